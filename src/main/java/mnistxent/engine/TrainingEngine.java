package mnistxent.engine;

import mnistxent.model.LayerParameters;

import java.util.List;

/**
 * Computes the SGD steps of one run and counts its correct images. Every engine computes the same
 * float32 math (SPEC §3-§5) and passes the same TensorFlow parity tests; they differ in where and how
 * fast they run. Plain Java: an engine is built over images and parameters ({@link Engines#create}),
 * not over a DL4J network, so the same interface serves training, replay, the parity tests and an engine
 * that runs on a GPU.
 *
 * <p>Steps come in sequences: {@link #train} takes many batches at once, so that an engine on a GPU can
 * run a whole epoch in one launch; {@link #preferredStepsPerCall()} says how many steps a call should
 * take so that a stop request (Ctrl-C) is still honoured promptly.
 */
public interface TrainingEngine extends AutoCloseable {

    /** The engine's name as the CLI and {@code bench} spell it. */
    EngineKind kind();

    /** Examples per step. */
    int batchSize();

    /**
     * Runs {@code count} SGD steps in order. Step k trains on the training images
     * {@code batches[k * batchSize() .. (k + 1) * batchSize())} (indices into {@code ImageSets.train()}) and
     * stores that batch's loss before its update in {@code losses[k]} (what the seed's
     * {@code sess.run([loss, train_step])} reports).
     */
    void train(int[] batches, int count, float[] losses);

    /** One step on one batch of {@link #batchSize()} indices; returns its loss before the update. */
    default float step(int[] batch) {
        float[] loss = new float[1];
        train(batch, 1, loss);
        return loss[0];
    }

    /** How many steps one {@link #train} call should take at most (the granularity of stopping). */
    int preferredStepsPerCall();

    /** How many test images are classified correctly (argmax, SPEC §6). */
    int correctOnTest();

    /** How many validation images are classified correctly. */
    int correctOnValidation();

    /** Size of the test set (10,000 for MNIST). */
    int testCount();

    /** Size of the validation set (the config's {@code data.validation-size}). */
    int validationCount();

    /** The current parameters, TF's names, shapes and layout (fresh arrays). */
    List<LayerParameters> parameters();

    /**
     * The parameters now, with their test and validation counts ({@link EpochSnapshot}). By default both are
     * taken here; an engine that can count a copy of its parameters while it trains on returns a snapshot
     * that counts later. A snapshot is good until the next call of this method, which may reuse its memory.
     */
    default EpochSnapshot snapshot() {
        return EpochSnapshot.counted(parameters(), correctOnTest(), validationCount() == 0 ? 0 : correctOnValidation());
    }

    /** Replaces the parameters (shapes must match the config). */
    void setParameters(List<LayerParameters> parameters);

    /** Releases what the engine holds outside the Java heap (device memory); the engine is unusable after. */
    @Override
    default void close() {
    }
}
