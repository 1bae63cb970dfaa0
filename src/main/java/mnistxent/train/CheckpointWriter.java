package mnistxent.train;

import mnistxent.UserError;
import mnistxent.config.ExperimentConfig;
import mnistxent.engine.TrainingEngine;
import mnistxent.io.AtomicFiles;
import mnistxent.model.TfParameters;
import mnistxent.run.EpochResult;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.run.TrainingState;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Saves the run's model zips: {@code checkpoint.zip} after every epoch and when a run is stopped,
 * {@code model-best.zip} whenever the test count reaches a new best (ties included, as the seed's
 * {@code best <= acc}), {@code model-final.zip} at the end. Every write is atomic.
 *
 * <p>The model is the DL4J network built from the config; the engine's parameters are written into it
 * before each save, so every zip holds exactly the parameters the engine reached.
 *
 * <p>The checkpoint is written before the next epoch starts, so a {@code kill -9} loses at most the
 * epoch in progress (README, Performance: what that costs); {@code model-best.zip} is then a copy of the
 * checkpoint's file, not a second serialisation.
 */
public final class CheckpointWriter implements TrainingListener {

    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

    private final RunDirectory run;
    private final ExperimentConfig config;
    private final TrainingEngine engine;
    private final MultiLayerNetwork network;
    private int lastTestCorrect = -1;

    public CheckpointWriter(RunDirectory run, ExperimentConfig config, TrainingEngine engine,
                            MultiLayerNetwork network) {
        this.run = run;
        this.config = config;
        this.engine = engine;
        this.network = network;
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
        save(run.checkpoint(), state, result.testCorrect());
        if (newBest) {
            try {
                AtomicFiles.copy(run.checkpoint(), run.modelBest());
            } catch (IOException e) {
                throw new UserError("cannot write the model file " + run.modelBest() + ": " + e.getMessage());
            }
        }
        log.debug("epoch {}: checkpoint written{}", result.epoch(), newBest ? " (new best)" : "");
    }

    @Override
    public void onFinish(TrainingState state, boolean stopped) {
        if (stopped) {
            save(run.checkpoint(), state, -1);    // mid-epoch: the test count of these parameters is not known
        } else {
            save(run.modelFinal(), state, lastTestCorrect);
        }
    }

    private void save(java.nio.file.Path file, TrainingState state, int testCorrect) {
        TfParameters.write(network, engine.parameters());
        ModelFile.save(file, network, config, state, testCorrect, engine.kind());
    }
}
