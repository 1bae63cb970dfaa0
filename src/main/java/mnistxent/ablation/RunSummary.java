package mnistxent.ablation;

import mnistxent.run.EpochResult;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The numbers of one finished run, from its metrics (one {@link EpochResult} per epoch). Epochs are
 * numbered as the seed script prints them ({@code Epoch 0} is the first) unless a method says
 * otherwise.
 */
public record RunSummary(String config, long seed, List<EpochResult> history) {

    public RunSummary {
        history = List.copyOf(history);
        if (history.isEmpty()) {
            throw new IllegalArgumentException(config + " seed " + seed + ": no epochs");
        }
    }

    public int epochs() {
        return history.size();
    }

    public int testCount() {
        return last().testCount();
    }

    /** The script's {@code best}: the highest test count of any epoch. */
    public int bestCorrect() {
        return history.stream().mapToInt(EpochResult::testCorrect).max().orElseThrow();
    }

    /**
     * The epoch of {@link #bestCorrect}: the last one that reached it, as the script's
     * {@code best = (best, acc)[best <= acc]} moves a tie to the later epoch (SPEC §6).
     */
    public int bestEpoch() {
        return EpochResult.bestEpoch(history);
    }

    /**
     * A run stalls when its best test accuracy stays below this, in percent: one digit class (10% of the
     * test set) all but lost, the mark of an output unit stuck saturated and wrong, where the quadratic
     * cost's gradient vanishes (the article's slowdown; README, Results). Healthy runs of every config
     * here reach 93% or more; stalled ones sit near 86%.
     */
    public static final int STALL_PERCENT = 90;

    /** Whether this run stalled ({@link #STALL_PERCENT}). */
    public boolean stalled() {
        return 100L * bestCorrect() < (long) STALL_PERCENT * testCount();
    }

    /** Test count after the last epoch. */
    public int finalCorrect() {
        return last().testCorrect();
    }

    /**
     * The first epoch whose test accuracy is at least {@code percent}% (e.g. 94: 9,400 of 10,000),
     * in the script's numbering; empty if none is.
     */
    public OptionalInt firstEpochReaching(int percent) {
        for (EpochResult r : history) {
            // integers: 100 * correct >= percent * count, no rounding at the threshold
            if (100L * r.testCorrect() >= (long) percent * r.testCount()) {
                return OptionalInt.of(r.epoch());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The mean training loss of the {@code ordinal}-th epoch, counting from 1 (the 1st epoch is the
     * script's {@code Epoch 0}): the mean of that epoch's minibatch losses. Empty past the last epoch.
     */
    public OptionalDouble meanLossOfEpoch(int ordinal) {
        if (ordinal < 1) {
            throw new IllegalArgumentException("epochs count from 1 here, got " + ordinal);
        }
        return ordinal <= history.size() ? OptionalDouble.of(history.get(ordinal - 1).meanTrainLoss())
                : OptionalDouble.empty();
    }

    /** Wall time of the run's epochs, training and evaluation (not start-up). */
    public double seconds() {
        return history.stream().mapToDouble(EpochResult::seconds).sum();
    }

    /** Test accuracy per epoch, as a fraction. */
    public double[] accuracies() {
        return history.stream().mapToDouble(r -> r.testCorrect() / (double) r.testCount()).toArray();
    }

    /** Mean training loss per epoch. */
    public double[] losses() {
        return history.stream().mapToDouble(EpochResult::meanTrainLoss).toArray();
    }

    private EpochResult last() {
        return history.get(history.size() - 1);
    }
}
