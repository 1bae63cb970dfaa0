package mnistxent.config;

/**
 * The optimiser. Only plain SGD exists in the seed: {@code p <- p - learningRate * dLoss/dp}
 * (SPEC §5), no momentum, no decay, no clipping. {@code l2} is the optional L2 regularisation of
 * the series' chapter 16 (SPEC §8): {@code loss + l2/2 * sum(W^2)} over weights only; 0 = off.
 */
public record UpdaterSpec(double learningRate, double l2) {
}
