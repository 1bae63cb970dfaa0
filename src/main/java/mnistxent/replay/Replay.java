package mnistxent.replay;

import mnistxent.engine.EngineKind;
import mnistxent.engine.TrainingEngine;
import mnistxent.io.AtomicFiles;
import mnistxent.model.LayerParameters;
import mnistxent.model.NpyParameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a TensorFlow user's run step for step ({@code replay}): from the parameters their session started
 * with, on exactly the minibatches it drew, with the config's loss and learning rate (SPEC §3-§5). Since
 * "exactly" in SPEC means "the same updates given the same start and batches", the outputs can be compared
 * with the TF run's own, parameter for parameter and loss for loss.
 *
 * <p>The steps go through a training engine, the same code a training run uses, as one sequence.
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

    /**
     * Runs every row of {@code batches} as one SGD step, in one sequence, on {@code engine} (built over the
     * training images the indices point into, holding the initial parameters).
     */
    public static Result run(TrainingEngine engine, BatchIndices batches) {
        float[] losses = new float[batches.steps()];
        engine.train(batches.indices(), batches.steps(), losses);
        return new Result(losses, engine.parameters(), engine.kind());
    }

    /** Writes W_2.npy, b_2.npy, W_3.npy, b_3.npy and {@value #LOSS_FILE} into {@code dir}; returns the files. */
    public static List<Path> write(Path dir, Result result) throws IOException {
        List<Path> written = new ArrayList<>(NpyParameters.write(dir, result.parameters()));
        StringBuilder csv = new StringBuilder("step,loss\n");
        float[] losses = result.losses();
        for (int k = 0; k < losses.length; k++) {
            // Float.toString: the shortest decimal that reads back as the same float32.
            csv.append(k).append(',').append(Float.toString(losses[k])).append('\n');
        }
        Path file = dir.resolve(LOSS_FILE);
        AtomicFiles.writeString(file, csv.toString());
        written.add(file);
        return written;
    }
}
