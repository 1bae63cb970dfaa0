package mnistxent.train;

import mnistxent.config.ExperimentConfig;
import mnistxent.model.TfParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Saves the run's model zips (issue 4, 5): {@code checkpoint.zip} after every epoch and when a run
 * is stopped, {@code model-best.zip} whenever the test count reaches a new best (ties included,
 * as the seed's {@code best <= acc}), {@code model-final.zip} at the end. Every write is atomic
 * (temporary file + rename) and happens on a background thread ({@link AsyncModelSaver}); the run
 * does not end before all of them are on disk.
 */
public final class CheckpointWriter implements TrainingListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

    private final RunDirectory run;
    private final ExperimentConfig config;
    private final TrainingEngine engine;
    private final AsyncModelSaver saver;
    private int lastTestCorrect = -1;

    public CheckpointWriter(RunDirectory run, ExperimentConfig config, TrainingEngine engine) {
        this.run = run;
        this.config = config;
        this.engine = engine;
        this.saver = new AsyncModelSaver(engine.network());
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
        List<TfParameters.Layer> parameters = TfParameters.read(engine.network());
        saver.save(run.checkpoint(), parameters, config, state, result.testCorrect(), engine.kind());
        if (newBest) {
            saver.save(run.modelBest(), parameters, config, state, result.testCorrect(), engine.kind());
        }
        log.debug("epoch {}: checkpoint queued{}", result.epoch(), newBest ? " (new best)" : "");
    }

    @Override
    public void onFinish(TrainingState state, boolean stopped) {
        List<TfParameters.Layer> parameters = TfParameters.read(engine.network());
        if (stopped) {
            // mid-epoch: the test count of these parameters is not known
            saver.save(run.checkpoint(), parameters, config, state, -1, engine.kind());
        } else {
            saver.save(run.modelFinal(), parameters, config, state, lastTestCorrect, engine.kind());
        }
        saver.awaitAll();
        log.debug("model zips written");
    }

    @Override
    public void close() {
        saver.close();
    }
}
