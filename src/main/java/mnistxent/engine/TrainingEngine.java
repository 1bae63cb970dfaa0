package mnistxent.engine;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Computes the training steps of one run. Every engine computes the same math (SPEC §3-§5) and
 * must pass the same TensorFlow parity tests; they differ only in how fast they are.
 *
 * <p>The model is always the DL4J {@link MultiLayerNetwork} built from the config: an engine may
 * keep the parameters elsewhere while it works, but {@link #syncToNetwork()} writes them back,
 * and the trainer calls it before every evaluation record, checkpoint and save.
 */
public interface TrainingEngine {

    /** The engine's name as the CLI and {@code bench} spell it. */
    EngineKind kind();

    /**
     * One SGD step on the training images with these indices (into the 60,000 training images,
     * file order). Returns the batch's loss computed before the update.
     */
    float step(int[] trainIndices);

    /** How many test images are classified correctly (argmax, SPEC §6). */
    int correctOnTest();

    /** How many of the held-out validation images are classified correctly. */
    int correctOnValidation();

    /** Size of the test set (10,000 for MNIST). */
    int testCount();

    /** Size of the validation set (the config's {@code data.validation-size}). */
    int validationCount();

    /** Writes the engine's current parameters into {@link #network()} (no-op if it trains it directly). */
    void syncToNetwork();

    /** Re-reads the parameters from {@link #network()} (after the network was changed from outside). */
    void reloadFromNetwork();

    MultiLayerNetwork network();
}
