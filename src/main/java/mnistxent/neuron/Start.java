package mnistxent.neuron;

/** Where gradient descent starts: the neuron's weight {@code w} and bias {@code b} (docs/SPEC.md §7). */
public record Start(double w, double b) {

    public Start {
        if (!Double.isFinite(w) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("w and b must be finite, got w=" + w + ", b=" + b);
        }
    }

    /** {@code w=0.6, b=0.9}, as printed in tables and legends. */
    public String label() {
        return "w=" + NeuronFormat.compact(w) + ", b=" + NeuronFormat.compact(b);
    }
}
