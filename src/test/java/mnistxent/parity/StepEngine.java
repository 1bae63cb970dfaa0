package mnistxent.parity;

import mnistxent.model.LayerParameters;

import mnistxent.config.ExperimentConfig;

import java.util.List;

/**
 * A training engine as the parity tests see it: it holds a network's parameters and applies one
 * plain-SGD step per minibatch (docs/SPEC.md §5). The Deeplearning4j network is one
 * ({@link Dl4jStepEngine}); any other engine that claims to train exactly like TensorFlow plugs in
 * here and runs the same comparisons by extending {@link AbstractTfParityTest}.
 */
public interface StepEngine {

    /**
     * Trains on one minibatch and returns that batch's loss as it was BEFORE the update (what the
     * seed's {@code sess.run([loss, train_step])} would report).
     *
     * @param x    the batch's images, row-major {@code [rows, 784]}
     * @param y    their one-hot labels, row-major {@code [rows, 10]}
     * @param rows the number of examples in the batch
     */
    double step(float[] x, float[] y, int rows);

    /** The current parameters, TF's names and layout: W_2, b_2, W_3, b_3 as {@link LayerParameters}s. */
    List<LayerParameters> parameters();

    /** Makes an engine for a config, starting from the given parameters (not from its own init). */
    @FunctionalInterface
    interface Factory {
        StepEngine create(ExperimentConfig config, List<LayerParameters> initial);
    }
}
