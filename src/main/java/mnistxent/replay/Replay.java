package mnistxent.replay;

import mnistxent.model.LayerParameters;

import mnistxent.config.ExperimentConfig;
import mnistxent.model.NetworkFactory;
import mnistxent.model.NpyParameters;
import mnistxent.model.TfParameters;
import mnistxent.engine.EngineKind;
import mnistxent.engine.TrainingEngine;
import mnistxent.train.TrainingRun;
import mnistxent.UserError;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a TensorFlow user's run step for step ({@code replay}): from the parameters their session started
 * with, on exactly the minibatches it drew, with the config's loss and learning rate (SPEC §3-§5). Since
 * "exactly" in SPEC means "the same updates given the same start and batches", the outputs can be compared
 * with the TF run's own, parameter for parameter and loss for loss.
 *
 * <p>Each step goes through a training engine's {@code step}, the same code a training run uses.
 */
public final class Replay {

    /** The per-step losses file: {@code step,loss}, step k = row k of the batches. */
    public static final String LOSS_FILE = "loss.csv";

    /**
     * @param losses     {@code losses[k]}: the loss of step k's batch before its update (what TF's
     *                   {@code sess.run([loss, train_step])} returns)
     * @param parameters W_2, b_2, W_3, b_3 after the last step
     * @param engine     the engine that computed the steps
     */
    public record Result(float[] losses, List<LayerParameters> parameters, EngineKind engine) {
        public Result {
            losses = losses.clone();
            parameters = List.copyOf(parameters);
        }

        @Override
        public float[] losses() {
            return losses.clone();
        }
    }

    private Replay() {
    }

    /** Runs every row of {@code batches} as one SGD step from {@code initial}. */
    public static Result run(ExperimentConfig config, List<LayerParameters> initial, BatchIndices batches,
                             EngineKind kind, TrainingRun.Data data) {
        TrainingEngine engine = TrainingRun.createEngine(kind, NetworkFactory.create(config, initial), config, data);
        float[] losses = new float[batches.steps()];
        for (int k = 0; k < batches.steps(); k++) {
            losses[k] = engine.step(batches.row(k));
        }
        engine.syncToNetwork();
        return new Result(losses, TfParameters.read(engine.network()), kind);
    }

    /** Writes W_2.npy, b_2.npy, W_3.npy, b_3.npy and {@value #LOSS_FILE} into {@code dir}; returns the files. */
    public static List<Path> write(Path dir, Result result) {
        List<Path> written = new ArrayList<>(NpyParameters.write(dir, result.parameters()));
        Path csv = dir.resolve(LOSS_FILE);
        Path tmp = dir.resolve(LOSS_FILE + ".tmp");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("step,loss\n");
                float[] losses = result.losses();
                for (int k = 0; k < losses.length; k++) {
                    // Float.toString: the shortest decimal that reads back as the same float32.
                    w.write(k + "," + Float.toString(losses[k]) + "\n");
                }
            }
            Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError("cannot write " + csv + ": " + e.getMessage() + "; give a writable --out directory");
        }
        written.add(csv);
        return written;
    }
}
