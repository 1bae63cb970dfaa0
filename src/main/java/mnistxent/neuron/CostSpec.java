package mnistxent.neuron;

import mnistxent.config.LossKind;

import java.util.Objects;

/**
 * One cost of the experiment and the learning rate it is trained with (docs/SPEC.md §7: the
 * quadratic cost at 0.15, the cross-entropy at 0.005).
 */
public record CostSpec(LossKind loss, double learningRate) {

    public CostSpec {
        Objects.requireNonNull(loss, "loss");
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + learningRate);
        }
    }

    /** The article's name and formula of the cost, for titles. */
    public String formula() {
        return switch (loss) {
            case QUADRATIC -> "quadratic cost C = (a-y)\u00b2/2";
            case SIGMOID_CROSS_ENTROPY_WITH_LOGITS -> "cross-entropy C = -[y ln a + (1-y) ln(1-a)]";
        };
    }
}
