package mnistxent.run;

import java.util.List;

/**
 * What one epoch (a fixed number of steps, SPEC §2) produced: a row of {@code metrics.csv}.
 *
 * @param epoch              0-based, as the seed script prints it
 * @param steps              total steps done at the end of this epoch
 * @param meanTrainLoss      mean of the epoch's per-step batch losses (each before its update)
 * @param testCorrect        test images classified correctly (SPEC §6), of {@code testCount}
 * @param testCount          size of the test set (10,000)
 * @param validationAccuracy fraction of the held-out validation images classified correctly
 *                           (NaN when the config holds out none)
 * @param seconds            wall time of the epoch, training and evaluation
 */
public record EpochResult(int epoch, long steps, double meanTrainLoss, int testCorrect, int testCount,
                          double validationAccuracy, double seconds) {

    /**
     * The seed's rule for a new best, {@code best = (best, acc)[best <= acc]} (SPEC §6): a tie moves the
     * best to the later epoch.
     */
    public static boolean isNewBest(int best, int correct) {
        return best <= correct;
    }

    /** The epoch holding the best test count of {@code history} under {@link #isNewBest}; -1 if empty. */
    public static int bestEpoch(List<EpochResult> history) {
        int best = Integer.MIN_VALUE;
        int epoch = -1;
        for (EpochResult r : history) {
            if (isNewBest(best, r.testCorrect())) {
                best = r.testCorrect();
                epoch = r.epoch();
            }
        }
        return epoch;
    }

    /** The seed script's line for this epoch: {@code Epoch N: C / 10000}. */
    public String scriptLine() {
        return "Epoch " + epoch + ": " + testCorrect + " / " + testCount;
    }
}
