package mnistxent.train;

import mnistxent.UserError;
import mnistxent.config.ExperimentConfig;
import mnistxent.engine.TrainingEngine;
import mnistxent.io.AtomicFiles;
import mnistxent.model.LayerParameters;
import mnistxent.run.EpochResult;
import mnistxent.run.RunDirectory;
import mnistxent.run.TrainingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Saves the run's model zips: {@code checkpoint.zip} after every epoch and when a run is stopped,
 * {@code model-best.zip} whenever the test count reaches a new best (ties included, as the seed's
 * {@code best <= acc}), {@code model-final.zip} at the end. Every write is atomic.
 *
 * <p>The model is the DL4J network built from the config; the engine's parameters are written into it
 * before each save, so every zip holds exactly the parameters the engine reached.
 *
 * <p>An epoch's checkpoint is written on a thread of its own while the next epoch trains (README,
 * Performance: it took the training thread ~15-50 ms an epoch): from the parameters the epoch ended with
 * (the trainer's, {@link TrainingListener#onEpochEnd}), and the write of epoch k must be complete before
 * epoch k+1's line is printed ({@link #barrier}, a listener that runs before {@link ScriptLines}). So,
 * whatever the moment of a {@code kill -9}, the checkpoint holds the last printed epoch or, while that epoch's write is in flight,
 * the one before it: a kill loses at most the epoch in progress and an epoch whose checkpoint had not yet
 * been written. {@code model-best.zip} is a copy of the checkpoint's file, not a second serialisation.
 * The final and the stopped run's saves are written at once, after any write in flight.
 */
public final class CheckpointWriter implements TrainingListener {

    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

    private final RunDirectory run;
    private final ExperimentConfig config;
    private final TrainingEngine engine;
    private final RunModel model;
    private int lastTestCorrect = -1;
    private final BackgroundWork writes = new BackgroundWork("checkpoint-writer");

    /** @param model what the zips are written from (its configuration perhaps still being made: it is waited for) */
    public CheckpointWriter(RunDirectory run, ExperimentConfig config, TrainingEngine engine, RunModel model) {
        this.run = run;
        this.config = config;
        this.engine = engine;
        this.model = model;
    }

    @Override
    public void onStart(TrainingState state) {
        if (!state.history().isEmpty()) {
            lastTestCorrect = state.history().get(state.history().size() - 1).testCorrect();
        }
    }

    /**
     * A listener to put before the one that prints an epoch's line: it waits for the previous epoch's
     * checkpoint (and reports its failure, if it failed).
     */
    public TrainingListener barrier() {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest,
                                   List<LayerParameters> parameters) {
                writes.await();
            }
        };
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest,
                           List<LayerParameters> parameters) {
        lastTestCorrect = result.testCorrect();
        writes.submit(() -> {
            save(run.checkpoint(), parameters, state, result.testCorrect());
            if (newBest) {
                try {
                    AtomicFiles.copy(run.checkpoint(), run.modelBest());
                } catch (IOException e) {
                    throw new UserError("cannot write the model file " + run.modelBest() + ": " + e.getMessage());
                }
            }
            log.debug("epoch {}: checkpoint written{}", result.epoch(), newBest ? " (new best)" : "");
        });
    }

    @Override
    public void onFinish(TrainingState state, boolean stopped) {
        try {
            writes.await();
            if (stopped) {
                // mid-epoch: the test count of these parameters is not known
                save(run.checkpoint(), engine.parameters(), state, -1);
            } else {
                save(run.modelFinal(), engine.parameters(), state, lastTestCorrect);
            }
        } finally {
            writes.shutdown();
        }
    }

    private void save(Path file, List<LayerParameters> parameters, TrainingState state, int testCorrect) {
        model.save(file, parameters, config, state, testCorrect, engine.kind());
    }
}
