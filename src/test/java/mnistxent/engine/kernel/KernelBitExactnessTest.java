package mnistxent.engine.kernel;

import mnistxent.config.Activation;
import mnistxent.config.LossKind;
import mnistxent.data.TfPixels;
import mnistxent.model.LayerParameters;
import mnistxent.random.SeededRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel against the one it replaced ({@link BaselineMlpKernel}, the arithmetic mlp.cu mirrors): every
 * step's loss, every parameter after the steps and the evaluation counts must be the same bits, for each
 * loss and activation, L2, odd and even batches (up to 64 examples and more: two ways of summing the input
 * layer's gradient), layer widths that are and are not whole vectors, a third layer, and parameters large
 * enough to saturate units.
 */
class KernelBitExactnessTest {

    private static final int PIXELS = 784;
    private static final int IMAGES = 300;

    @ParameterizedTest(name = "{0}, hidden {1} x{2}, batch {3}, l2 {4}, init x{5}, sizes {6}")
    @CsvSource({
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SIGMOID, 1, 10, 0.0, 1, 30",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SIGMOID, 1, 10, 0.0, 3, 30",
            "QUADRATIC, SIGMOID, 1, 10, 0.0, 1, 30",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, TANH, 1, 7, 0.0, 1, 30",
            "QUADRATIC, RELU, 1, 1, 0.0, 1, 30",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SIGMOID, 1, 37, 0.001, 1, 30",
            "QUADRATIC, TANH, 1, 10, 0.01, 1, 30",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SIGMOID, 1, 10, 0.0, 1, 7",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, RELU, 1, 10, 0.0, 1, 100",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SIGMOID, 2, 10, 0.0, 1, 30",
            "QUADRATIC, RELU, 2, 5, 0.001, 1, 33",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SIGMOID, 1, 70, 0.0, 1, 30",
            "QUADRATIC, SIGMOID, 1, 65, 0.001, 1, 30",
    })
    void stepsAndCountsAreTheBaselinesBits(LossKind loss, Activation hidden, int hiddenLayers, int batch, double l2,
                                           float initScale, int width) {
        SeededRandom r = new SeededRandom(width * 31L + batch);
        KernelImages images = mnistLike(r);
        BaselineMlpKernel.Images asBefore = BaselineMlpKernel.Images.of(images);
        int[] sizes = new int[hiddenLayers + 2];
        Activation[] activations = new Activation[hiddenLayers + 1];
        sizes[0] = PIXELS;
        for (int l = 1; l <= hiddenLayers; l++) {
            sizes[l] = width + l - 1;
            activations[l - 1] = hidden;
        }
        sizes[hiddenLayers + 1] = 10;
        activations[hiddenLayers] = Activation.SIGMOID;
        List<LayerParameters> init = gaussian(sizes, initScale, r);

        MlpKernel kernel = new MlpKernel(sizes, activations, loss, 3.0, l2, batch);
        BaselineMlpKernel baseline = new BaselineMlpKernel(sizes, activations, loss, 3.0, l2, batch);
        kernel.setParameters(init);
        baseline.setParameters(init);
        int steps = 600;
        stepBoth(kernel, baseline, images, asBefore, steps, r);
        List<LayerParameters> got = kernel.parameters();
        List<LayerParameters> want = baseline.parameters();
        for (int l = 0; l < want.size(); l++) {
            assertSameBits(want.get(l).weights(), got.get(l).weights(), "weights of layer " + l);
            assertSameBits(want.get(l).biases(), got.get(l).biases(), "biases of layer " + l);
        }
        assertEquals(baseline.countCorrect(asBefore), kernel.countCorrect(images));
        // the block form of the input layer is what ran, where it applies (batches of up to 10, no L2)
        assertEquals(batch <= MlpKernel.BLOCK && l2 == 0 ? steps : 0, kernel.stepsInBlock(), "steps in block");
    }

    /**
     * A -0f parameter keeps the input layer on the sparse sums (the block form's sums of zeros could give
     * such a weight the other sign), and the run is the baseline's, bit for bit.
     */
    @ParameterizedTest(name = "-0f in layer {0}''s {1}")
    @CsvSource({"0, weights", "0, biases", "1, weights"})
    void negativeZeroParametersTakeTheSparseSums(int layer, String which) {
        SeededRandom r = new SeededRandom(7);
        int[] sizes = {PIXELS, 30, 10};
        List<LayerParameters> init = gaussian(sizes, 1f, r);
        LayerParameters p = init.get(layer);
        float[] values = which.equals("weights") ? p.weights() : p.biases();
        values[3] = -0f;
        MlpKernel kernel = runAgainstBaseline(init, sizes, r);
        assertEquals(0, kernel.stepsInBlock());
    }

    /**
     * Parameters that are not finite make NaNs of the block form's zeros: a step whose input sums or deltas
     * are not all finite takes the sparse sums, so that the run stays the baseline's (NaNs compared as NaNs).
     */
    @ParameterizedTest(name = "{0} in layer {1}")
    @CsvSource({"Infinity, 0", "NaN, 0", "Infinity, 1", "NaN, 1"})
    void stepsWithNonFiniteSumsTakeTheSparseSums(float bad, int layer) {
        SeededRandom r = new SeededRandom(11);
        int[] sizes = {PIXELS, 30, 10};
        List<LayerParameters> init = gaussian(sizes, 1f, r);
        // a pixel most images light in layer 0 (the middle of the image); any row of layer 1
        init.get(layer).weights()[layer == 0 ? (14 * 28 + 14) * 30 + 2 : 5] = bad;
        int steps = BASELINE_STEPS;
        long inBlock = runAgainstBaseline(init, sizes, r).stepsInBlock();
        assertTrue(inBlock < steps, "some steps took the sparse sums: " + inBlock + " of " + steps);
    }

    private static final int BASELINE_STEPS = 300;

    /** {@link #BASELINE_STEPS} steps of batches of 10 against the baseline, every loss and parameter compared; returns the kernel. */
    private MlpKernel runAgainstBaseline(List<LayerParameters> init, int[] sizes, SeededRandom r) {
        KernelImages images = mnistLike(r);
        BaselineMlpKernel.Images asBefore = BaselineMlpKernel.Images.of(images);
        Activation[] activations = {Activation.SIGMOID, Activation.SIGMOID};
        int batch = 10;
        MlpKernel kernel = new MlpKernel(sizes, activations, LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS, 3.0, 0, batch);
        BaselineMlpKernel baseline = new BaselineMlpKernel(sizes, activations,
                LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS, 3.0, 0, batch);
        kernel.setParameters(init);
        baseline.setParameters(init);
        int steps = BASELINE_STEPS;
        stepBoth(kernel, baseline, images, asBefore, steps, r);
        List<LayerParameters> got = kernel.parameters();
        List<LayerParameters> want = baseline.parameters();
        for (int l = 0; l < want.size(); l++) {
            assertSameValues(want.get(l).weights(), got.get(l).weights(), "weights of layer " + l);
            assertSameValues(want.get(l).biases(), got.get(l).biases(), "biases of layer " + l);
        }
        return kernel;
    }

    /**
     * {@code steps} steps of both kernels on the same random batches, every loss compared (NaNs as NaNs), and
     * the evaluation counts every 200 steps.
     */
    private static void stepBoth(MlpKernel kernel, BaselineMlpKernel baseline, KernelImages images,
                                 BaselineMlpKernel.Images asBefore, int steps, SeededRandom r) {
        int batch = kernel.batchSize();
        int[] batches = new int[steps * batch];
        for (int k = 0; k < batches.length; k++) {
            batches[k] = r.nextInt(IMAGES);
        }
        for (int step = 0; step < steps; step++) {
            float got = kernel.step(images, batches, step * batch);
            float want = baseline.step(asBefore, batches, step * batch);
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got),
                    "loss of step " + step + ": " + want + " vs " + got);
            if (step % 200 == 0) {
                assertEquals(baseline.countCorrect(asBefore), kernel.countCorrect(images), "count after step " + step);
            }
        }
    }

    /** The same floats, the signs of zeros included; any NaN equals any NaN (their payloads are the CPU's). */
    private static void assertSameValues(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int k = 0; k < want.length; k++) {
            assertEquals(Float.floatToIntBits(want[k]), Float.floatToIntBits(got[k]), what + "[" + k + "]");
        }
    }

    static void assertSameBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int k = 0; k < want.length; k++) {
            if (Float.floatToRawIntBits(want[k]) != Float.floatToRawIntBits(got[k])) {
                assertEquals(want[k], got[k], what + "[" + k + "]");
                assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]), what + "[" + k + "]");
            }
        }
    }

    /** Blobs of lit pixels on 28x28, ~20% of them, with MNIST's range of bytes; labels 0-9. */
    static KernelImages mnistLike(SeededRandom r) {
        byte[] pixels = new byte[IMAGES * PIXELS];
        byte[] labels = new byte[IMAGES];
        for (int n = 0; n < IMAGES; n++) {
            labels[n] = (byte) r.nextInt(10);
            int strokes = 3 + r.nextInt(4);
            for (int s = 0; s < strokes; s++) {
                int row = 4 + r.nextInt(20);
                int col = 4 + r.nextInt(20);
                for (int len = 0; len < 12; len++) {
                    for (int dr = 0; dr < 2; dr++) {
                        int rr = Math.min(27, Math.max(0, row + dr));
                        int cc = Math.min(27, Math.max(0, col));
                        pixels[n * PIXELS + rr * 28 + cc] = (byte) (1 + r.nextInt(255));
                    }
                    row += r.nextInt(3) - 1;
                    col += r.nextInt(3) - 1;
                }
            }
        }
        return KernelImages.of(pixels, labels, IMAGES, PIXELS, TfPixels.SCALE);
    }

    static List<LayerParameters> gaussian(int[] sizes, float scale, SeededRandom r) {
        List<LayerParameters> layers = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            float[] w = new float[sizes[l] * sizes[l + 1]];
            float[] b = new float[sizes[l + 1]];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) r.nextGaussian() * scale;
            }
            for (int k = 0; k < b.length; k++) {
                b[k] = (float) r.nextGaussian() * scale;
            }
            layers.add(new LayerParameters(sizes[l], sizes[l + 1], w, b));
        }
        return layers;
    }
}
