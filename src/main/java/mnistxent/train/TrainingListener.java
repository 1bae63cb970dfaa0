package mnistxent.train;

import mnistxent.run.EpochResult;
import mnistxent.run.TrainingState;

/** Observes a run: progress display, metrics file, checkpoints. All methods run on the training thread. */
public interface TrainingListener {

    default void onStart(TrainingState state) {
    }

    /** After every step: keep it cheap (this is the hot path). {@code stepInEpoch} is 1-based. */
    default void onStep(int epoch, int stepInEpoch, float loss) {
    }

    /** After each epoch's evaluation; the engine's parameters are already synced into the network. */
    default void onEpochEnd(EpochResult result, TrainingState state, boolean newBest) {
    }

    /** When the run ends, finished or stopped; parameters are synced. */
    default void onFinish(TrainingState state, boolean stopped) {
    }
}
