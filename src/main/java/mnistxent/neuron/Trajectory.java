package mnistxent.neuron;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One of the article's curves: a cost trained from one start (docs/SPEC.md §7). {@code states}
 * holds epochs 0 (before any update) to N in order; {@code initialGradient} is the cost's gradient
 * at the start, the quantity the article uses to explain the learning slowdown.
 */
public record Trajectory(CostSpec cost, Start start, double input, double target, Gradient initialGradient,
                         List<EpochState> states) {

    public Trajectory {
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(initialGradient, "initialGradient");
        states = List.copyOf(states);
        if (states.size() < 2) {
            throw new IllegalArgumentException("a trajectory needs the start and at least one epoch");
        }
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).epoch() != i) {
                throw new IllegalArgumentException("states must be epochs 0..N in order; index " + i
                        + " holds epoch " + states.get(i).epoch());
            }
        }
    }

    /** The number of updates made (the last epoch). */
    public int epochs() {
        return states.size() - 1;
    }

    public EpochState at(int epoch) {
        return states.get(epoch);
    }

    /** The output before training: 0.82 from (0.6, 0.9), 0.98 from (2.0, 2.0) in the article. */
    public double initialOutput() {
        return states.get(0).a();
    }

    public double initialCost() {
        return states.get(0).cost();
    }

    public double finalCost() {
        return states.get(states.size() - 1).cost();
    }

    /** The costs of epochs 0..N. */
    public double[] costs() {
        return states.stream().mapToDouble(EpochState::cost).toArray();
    }

    /**
     * The first epoch whose cost is below half of the initial cost, or empty when that does not
     * happen within {@link #epochs()} epochs: a one-number summary of "learns fast" vs "slowdown".
     */
    public OptionalInt epochCostHalved() {
        double half = initialCost() / 2;
        for (EpochState s : states) {
            if (s.cost() < half) {
                return OptionalInt.of(s.epoch());
            }
        }
        return OptionalInt.empty();
    }
}
