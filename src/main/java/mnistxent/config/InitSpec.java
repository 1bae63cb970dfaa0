package mnistxent.config;

/** How the weights and the biases of every layer are drawn (SPEC §3: both N(0,1) in the seed). */
public record InitSpec(DistributionSpec weights, DistributionSpec biases) {
}
