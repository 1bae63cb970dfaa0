package mnistxent.train;

import mnistxent.model.LayerParameters;
import mnistxent.run.EpochResult;
import mnistxent.run.TrainingState;

import java.util.List;

/**
 * Observes a run: progress display, metrics file, checkpoints. {@link #onStart}, {@link #onStep} and
 * {@link #onFinish} run on the training thread; {@link #onEpochEnd} runs once per epoch, in epoch order, on
 * the training thread or, when the engine counts an epoch's images while it trains on, on the thread that
 * ends the epochs, while the next epoch's steps go on (README, Performance, "Epoch ends"). Every epoch's end
 * is over before {@link #onFinish}.
 */
public interface TrainingListener {

    default void onStart(TrainingState state) {
    }

    /** After every step: keep it cheap (this is the hot path). {@code stepInEpoch} is 1-based. */
    default void onStep(int epoch, int stepInEpoch, float loss) {
    }

    /**
     * After each epoch's evaluation.
     *
     * @param parameters the parameters at the epoch's end (the engine may have trained on since)
     */
    default void onEpochEnd(EpochResult result, TrainingState state, boolean newBest,
                            List<LayerParameters> parameters) {
    }

    /** When the run ends, finished or stopped; parameters are synced. */
    default void onFinish(TrainingState state, boolean stopped) {
    }
}
