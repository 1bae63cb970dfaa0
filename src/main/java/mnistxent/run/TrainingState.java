package mnistxent.run;

import mnistxent.data.TfBatcher;

import java.util.List;

/**
 * Everything besides the parameters that a run needs to continue exactly where it stopped
 * (1 + 1 epochs from a checkpoint equal 2 epochs straight). Stored in every model zip.
 *
 * @param epochsCompleted whole epochs done
 * @param stepInEpoch     steps already done of the epoch in progress (0 at an epoch boundary)
 * @param stepsDone       total steps done
 * @param epochLossSum    sum of the losses of the epoch in progress so far
 * @param epochSeconds    wall time already spent on the epoch in progress
 * @param best            best test count so far (-1 before the first evaluation)
 * @param history         the finished epochs
 * @param batcher         the minibatch stream: permutation, position, random state (SPEC §2)
 */
public record TrainingState(int epochsCompleted, int stepInEpoch, long stepsDone, double epochLossSum,
                            double epochSeconds, int best, List<EpochResult> history, TfBatcher.State batcher) {

    public TrainingState {
        history = List.copyOf(history);
    }

    /** The state of a run that has not started: no steps, a fresh batcher. */
    public static TrainingState initial(TfBatcher.State batcher) {
        return new TrainingState(0, 0, 0, 0.0, 0.0, -1, List.of(), batcher);
    }

    /** The epoch that produced {@link #best}, or -1. Ties go to the later epoch, as in the seed script. */
    public int bestEpoch() {
        return EpochResult.bestEpoch(history);
    }
}
