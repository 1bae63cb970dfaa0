package mnistxent.neuron;

/** The cost's partial derivatives {@code dC/dw} and {@code dC/db} at one point (docs/SPEC.md §7). */
public record Gradient(double dw, double db) {
}
