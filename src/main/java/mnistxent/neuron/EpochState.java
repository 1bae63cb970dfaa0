package mnistxent.neuron;

/**
 * The neuron after {@code epoch} updates (epoch 0: the start, before any update): its weight,
 * bias, output {@code a} and cost {@code C} on the one example (docs/SPEC.md §7).
 */
public record EpochState(int epoch, double w, double b, double a, double cost) {
}
