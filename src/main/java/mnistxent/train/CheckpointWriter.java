package mnistxent.train;

import mnistxent.config.ExperimentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the run's model zips (issue 4, 5): {@code checkpoint.zip} after every epoch and when a run
 * is stopped, {@code model-best.zip} whenever the test count reaches a new best (ties included,
 * as the seed's {@code best <= acc}), {@code model-final.zip} at the end. Every write is atomic.
 */
public final class CheckpointWriter implements TrainingListener {

    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

    private final RunDirectory run;
    private final ExperimentConfig config;
    private final TrainingEngine engine;
    private int lastTestCorrect = -1;

    public CheckpointWriter(RunDirectory run, ExperimentConfig config, TrainingEngine engine) {
        this.run = run;
        this.config = config;
        this.engine = engine;
    }

    @Override
    public void onStart(TrainingState state) {
        if (!state.history().isEmpty()) {
            lastTestCorrect = state.history().get(state.history().size() - 1).testCorrect();
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest) {
        lastTestCorrect = result.testCorrect();
        ModelFile.save(run.checkpoint(), engine.network(), config, state, result.testCorrect(), engine.kind());
        if (newBest) {
            ModelFile.save(run.modelBest(), engine.network(), config, state, result.testCorrect(), engine.kind());
        }
        log.debug("epoch {}: checkpoint written{}", result.epoch(), newBest ? " (new best)" : "");
    }

    @Override
    public void onFinish(TrainingState state, boolean stopped) {
        if (stopped) {
            // mid-epoch: the test count of these parameters is not known
            ModelFile.save(run.checkpoint(), engine.network(), config, state, -1, engine.kind());
            return;
        }
        ModelFile.save(run.modelFinal(), engine.network(), config, state, lastTestCorrect, engine.kind());
    }
}
