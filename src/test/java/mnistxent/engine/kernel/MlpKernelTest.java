package mnistxent.engine.kernel;

import mnistxent.config.Activation;
import mnistxent.config.LossKind;
import mnistxent.model.LayerParameters;
import mnistxent.random.SeededRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel against a deliberately naive reference: dense, double precision, no padding, no
 * sparsity, written straight from SPEC §3-§5. (TF itself is the reference of the parity tests.)
 */
class MlpKernelTest {

    private static final int PIXELS = 40;
    private static final int HIDDEN = 7;
    private static final int CLASSES = 10;
    private static final int IMAGES = 60;
    private static final int BATCH = 5;
    private static final float SCALE = (float) (1.0 / 255.0);

    @ParameterizedTest(name = "{0} loss, {1} hidden")
    @CsvSource({"SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SIGMOID, 0.0",
            "QUADRATIC, SIGMOID, 0.0",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, TANH, 0.0",
            "QUADRATIC, RELU, 0.0",
            "SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SIGMOID, 0.01"})
    void stepsMatchNaiveDoubleReference(LossKind loss, Activation hidden, double l2) {
        SeededRandom r = new SeededRandom(7);
        byte[] raw = sparsePixels(r);
        float[] pixels = scaled(raw);
        byte[] labels = labels(r);
        KernelImages images = KernelImages.of(raw, labels, IMAGES, PIXELS, SCALE);
        List<LayerParameters> init = initialParameters(r);

        MlpKernel kernel = new MlpKernel(new int[]{PIXELS, HIDDEN, CLASSES},
                new Activation[]{hidden, Activation.SIGMOID}, loss, 0.5, l2, BATCH);
        kernel.setParameters(init);
        NaiveNet naive = new NaiveNet(init, hidden, loss, 0.5, l2);

        for (int step = 0; step < 30; step++) {
            int[] batch = new int[BATCH];
            for (int e = 0; e < BATCH; e++) {
                batch[e] = r.nextInt(IMAGES);
            }
            float kernelLoss = kernel.step(images, batch);
            double naiveLoss = naive.step(pixels, labels, batch);
            assertEquals(naiveLoss, kernelLoss, 1e-5 * Math.max(1, Math.abs(naiveLoss)), "loss of step " + step);
        }
        List<LayerParameters> got = kernel.parameters();
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(naive.weights(l), got.get(l).weights(), 2e-5f, "weights of layer " + l);
            assertArrayEquals(naive.biases(l), got.get(l).biases(), 2e-5f, "biases of layer " + l);
        }
        assertEquals(naive.countCorrect(pixels, labels), kernel.countCorrect(images));
    }

    @Test
    void narrowerImagesTrainAsIfTheirMissingPixelsWereDark() {
        SeededRandom r = new SeededRandom(12);
        int narrow = PIXELS - 9;
        byte[] padded = sparsePixels(r);
        byte[] cut = new byte[IMAGES * narrow];
        for (int n = 0; n < IMAGES; n++) {
            Arrays.fill(padded, n * PIXELS + narrow, (n + 1) * PIXELS, (byte) 0);
            System.arraycopy(padded, n * PIXELS, cut, n * narrow, narrow);
        }
        byte[] labels = labels(r);
        List<LayerParameters> init = initialParameters(r);
        float[][] losses = new float[2][];
        List<List<LayerParameters>> trained = new ArrayList<>();
        int[] correct = new int[2];
        for (int k = 0; k < 2; k++) {
            KernelImages images = k == 0 ? KernelImages.of(padded, labels, IMAGES, PIXELS, SCALE)
                    : KernelImages.of(cut, labels, IMAGES, narrow, SCALE);
            MlpKernel kernel = new MlpKernel(new int[]{PIXELS, HIDDEN, CLASSES},
                    new Activation[]{Activation.SIGMOID, Activation.SIGMOID}, LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS,
                    3.0, 0, BATCH);
            kernel.setParameters(init);
            int[] batches = new int[20 * BATCH];
            for (int i = 0; i < batches.length; i++) {
                batches[i] = i * 7 % IMAGES;
            }
            losses[k] = new float[20];
            kernel.steps(images, batches, 0, 20, losses[k]);
            trained.add(kernel.parameters());
            correct[k] = kernel.countCorrect(images);
        }
        assertArrayEquals(losses[0], losses[1]);
        assertEquals(correct[0], correct[1]);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(trained.get(0).get(l).weights(), trained.get(1).get(l).weights(), "weights of layer " + l);
            assertArrayEquals(trained.get(0).get(l).biases(), trained.get(1).get(l).biases(), "biases of layer " + l);
        }
    }

    @Test
    void imagesWiderThanTheInputLayerAreRefused() {
        KernelImages wide = KernelImages.of(new byte[IMAGES * (PIXELS + 1)], new byte[IMAGES], IMAGES, PIXELS + 1, SCALE);
        MlpKernel kernel = new MlpKernel(new int[]{PIXELS, HIDDEN, CLASSES},
                new Activation[]{Activation.SIGMOID, Activation.SIGMOID}, LossKind.QUADRATIC, 0.5, 0, BATCH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernel.step(wide, new int[BATCH]));
        assertEquals("images of 41 pixels for a network of 40 inputs", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kernel.countCorrect(wide));
    }

    @Test
    void parametersRoundTripThroughThePaddedLayout() {
        SeededRandom r = new SeededRandom(3);
        List<LayerParameters> init = initialParameters(r);
        MlpKernel kernel = new MlpKernel(new int[]{PIXELS, HIDDEN, CLASSES},
                new Activation[]{Activation.SIGMOID, Activation.SIGMOID}, LossKind.QUADRATIC, 3.0, 0, BATCH);
        kernel.setParameters(init);
        List<LayerParameters> back = kernel.parameters();
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(init.get(l).weights(), back.get(l).weights(), 0f);
            assertArrayEquals(init.get(l).biases(), back.get(l).biases(), 0f);
        }
    }

    @Test
    void aCopyOfTheParametersTrainsAndCountsExactlyAsTheOriginal() {
        SeededRandom r = new SeededRandom(9);
        KernelImages images = KernelImages.of(sparsePixels(r), labels(r), IMAGES, PIXELS, SCALE);
        MlpKernel original = seedKernel();
        original.setParameters(initialParameters(r));
        original.step(images, new int[]{0, 1, 2, 3, 4});
        MlpKernel copy = seedKernel();
        copy.setParameters(initialParameters(r));            // other parameters, overwritten by the copy
        copy.copyParametersFrom(original);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(original.parameters().get(l).weights(), copy.parameters().get(l).weights(), 0f);
            assertArrayEquals(original.parameters().get(l).biases(), copy.parameters().get(l).biases(), 0f);
        }
        // the transposed copy of the output layer's weights came along: the backward passes agree too
        int[] batch = {5, 6, 7, 8, 9};
        assertEquals(Float.floatToRawIntBits(original.step(images, batch)), Float.floatToRawIntBits(copy.step(images, batch)));
        assertArrayEquals(original.parameters().get(0).weights(), copy.parameters().get(0).weights(), 0f);
        assertEquals(original.countCorrect(images), copy.countCorrect(images));

        MlpKernel wider = new MlpKernel(new int[]{PIXELS, HIDDEN + 1, CLASSES},
                new Activation[]{Activation.SIGMOID, Activation.SIGMOID}, LossKind.QUADRATIC, 3.0, 0, BATCH);
        assertThrows(IllegalArgumentException.class, () -> wider.copyParametersFrom(original));
    }

    private static MlpKernel seedKernel() {
        return new MlpKernel(new int[]{PIXELS, HIDDEN, CLASSES}, new Activation[]{Activation.SIGMOID, Activation.SIGMOID},
                LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS, 3.0, 0, BATCH);
    }

    @Test
    void rowsOfZeroPixelsAreLeftExactlyUnchanged() {
        SeededRandom r = new SeededRandom(5);
        byte[] raw = sparsePixels(r);
        for (int n = 0; n < IMAGES; n++) {
            raw[n * PIXELS + 3] = 0;               // pixel 3 is never lit
        }
        KernelImages images = KernelImages.of(raw, labels(r), IMAGES, PIXELS, SCALE);
        List<LayerParameters> init = initialParameters(r);
        MlpKernel kernel = new MlpKernel(new int[]{PIXELS, HIDDEN, CLASSES},
                new Activation[]{Activation.SIGMOID, Activation.SIGMOID},
                LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS, 3.0, 0, BATCH);
        kernel.setParameters(init);
        kernel.step(images, new int[]{0, 1, 2, 3, 4});
        float[] before = init.get(0).weights();
        float[] after = kernel.parameters().get(0).weights();
        for (int j = 0; j < HIDDEN; j++) {
            assertEquals(before[3 * HIDDEN + j], after[3 * HIDDEN + j], 0f);
        }
        boolean changed = false;
        for (int k = 0; k < before.length; k++) {
            changed |= before[k] != after[k];
        }
        assertTrue(changed, "the lit rows must move");
    }

    // ------------------------------------------------------------------ fixtures

    private static byte[] sparsePixels(SeededRandom r) {
        byte[] pixels = new byte[IMAGES * PIXELS];
        for (int k = 0; k < pixels.length; k++) {
            if (r.nextDouble() < 0.3) {
                pixels[k] = (byte) (1 + r.nextInt(255));
            }
        }
        return pixels;
    }

    /** The pixels' float values, as KernelImages scales them. */
    private static float[] scaled(byte[] raw) {
        float[] pixels = new float[raw.length];
        for (int k = 0; k < raw.length; k++) {
            pixels[k] = (raw[k] & 0xFF) * SCALE;
        }
        return pixels;
    }

    private static byte[] labels(SeededRandom r) {
        byte[] labels = new byte[IMAGES];
        for (int n = 0; n < IMAGES; n++) {
            labels[n] = (byte) r.nextInt(CLASSES);
        }
        return labels;
    }

    private static List<LayerParameters> initialParameters(SeededRandom r) {
        List<LayerParameters> layers = new ArrayList<>();
        int[] sizes = {PIXELS, HIDDEN, CLASSES};
        for (int l = 0; l < 2; l++) {
            float[] w = new float[sizes[l] * sizes[l + 1]];
            float[] b = new float[sizes[l + 1]];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) r.nextGaussian();
            }
            for (int k = 0; k < b.length; k++) {
                b[k] = (float) r.nextGaussian();
            }
            layers.add(new LayerParameters(sizes[l], sizes[l + 1], w, b));
        }
        return layers;
    }

    /** Two dense layers in double, textbook backpropagation. */
    private static final class NaiveNet {
        private final double[][][] w = new double[2][][];
        private final double[][] b = new double[2][];
        private final Activation hidden;
        private final LossKind loss;
        private final double lr;
        private final double l2;

        NaiveNet(List<LayerParameters> init, Activation hidden, LossKind loss, double lr, double l2) {
            for (int l = 0; l < 2; l++) {
                LayerParameters p = init.get(l);
                w[l] = new double[p.nIn()][p.nOut()];
                for (int i = 0; i < p.nIn(); i++) {
                    for (int j = 0; j < p.nOut(); j++) {
                        w[l][i][j] = p.weights()[i * p.nOut() + j];
                    }
                }
                b[l] = new double[p.nOut()];
                for (int j = 0; j < p.nOut(); j++) {
                    b[l][j] = p.biases()[j];
                }
            }
            this.hidden = hidden;
            this.loss = loss;
            this.lr = lr;
            this.l2 = l2;
        }

        static double act(Activation a, double z) {
            return switch (a) {
                case SIGMOID -> 1 / (1 + Math.exp(-z));
                case TANH -> Math.tanh(z);
                case RELU -> Math.max(0, z);
            };
        }

        static double actPrime(Activation a, double z) {
            return switch (a) {
                case SIGMOID -> act(a, z) * (1 - act(a, z));
                case TANH -> 1 - Math.tanh(z) * Math.tanh(z);
                case RELU -> z > 0 ? 1 : 0;
            };
        }

        double step(float[] pixels, byte[] labels, int[] batch) {
            double[][][] gw = {new double[PIXELS][HIDDEN], new double[HIDDEN][CLASSES]};
            double[][] gb = {new double[HIDDEN], new double[CLASSES]};
            double total = 0;
            for (int n : batch) {
                double[] x = new double[PIXELS];
                for (int p = 0; p < PIXELS; p++) {
                    x[p] = pixels[n * PIXELS + p];
                }
                double[] z1 = new double[HIDDEN];
                double[] a1 = new double[HIDDEN];
                for (int j = 0; j < HIDDEN; j++) {
                    z1[j] = b[0][j];
                    for (int p = 0; p < PIXELS; p++) {
                        z1[j] += x[p] * w[0][p][j];
                    }
                    a1[j] = act(hidden, z1[j]);
                }
                double[] d2 = new double[CLASSES];
                for (int k = 0; k < CLASSES; k++) {
                    double z2 = b[1][k];
                    for (int j = 0; j < HIDDEN; j++) {
                        z2 += a1[j] * w[1][j][k];
                    }
                    double a2 = 1 / (1 + Math.exp(-z2));
                    double y = labels[n] == k ? 1 : 0;
                    if (loss == LossKind.QUADRATIC) {
                        total += 0.5 * (a2 - y) * (a2 - y) / batch.length;
                        d2[k] = (a2 - y) * a2 * (1 - a2) / batch.length;
                    } else {
                        total += (-y * Math.log(a2) - (1 - y) * Math.log(1 - a2)) / (batch.length * CLASSES);
                        d2[k] = (a2 - y) / (batch.length * CLASSES);
                    }
                }
                for (int j = 0; j < HIDDEN; j++) {
                    double back = 0;
                    for (int k = 0; k < CLASSES; k++) {
                        back += d2[k] * w[1][j][k];
                        gw[1][j][k] += a1[j] * d2[k];
                    }
                    double d1 = back * actPrime(hidden, z1[j]);
                    gb[0][j] += d1;
                    for (int p = 0; p < PIXELS; p++) {
                        gw[0][p][j] += x[p] * d1;
                    }
                }
                for (int k = 0; k < CLASSES; k++) {
                    gb[1][k] += d2[k];
                }
            }
            for (int l = 0; l < 2; l++) {
                for (double[] row : w[l]) {
                    for (double v : row) {
                        total += 0.5 * l2 * v * v;      // the L2 term of the loss, before the update
                    }
                }
            }
            for (int l = 0; l < 2; l++) {
                for (int i = 0; i < w[l].length; i++) {
                    for (int j = 0; j < w[l][i].length; j++) {
                        w[l][i][j] -= lr * (gw[l][i][j] + l2 * w[l][i][j]);
                    }
                }
                for (int j = 0; j < b[l].length; j++) {
                    b[l][j] -= lr * gb[l][j];
                }
            }
            return total;
        }

        int countCorrect(float[] pixels, byte[] labels) {
            int correct = 0;
            for (int n = 0; n < IMAGES; n++) {
                double[] a1 = new double[HIDDEN];
                for (int j = 0; j < HIDDEN; j++) {
                    double z = b[0][j];
                    for (int p = 0; p < PIXELS; p++) {
                        z += pixels[n * PIXELS + p] * w[0][p][j];
                    }
                    a1[j] = act(hidden, z);
                }
                int best = 0;
                double bestA = -1;
                for (int k = 0; k < CLASSES; k++) {
                    double z = b[1][k];
                    for (int j = 0; j < HIDDEN; j++) {
                        z += a1[j] * w[1][j][k];
                    }
                    double a = 1 / (1 + Math.exp(-z));
                    if (a > bestA) {
                        bestA = a;
                        best = k;
                    }
                }
                correct += best == labels[n] ? 1 : 0;
            }
            return correct;
        }

        float[] weights(int l) {
            float[] out = new float[w[l].length * w[l][0].length];
            for (int i = 0; i < w[l].length; i++) {
                for (int j = 0; j < w[l][0].length; j++) {
                    out[i * w[l][0].length + j] = (float) w[l][i][j];
                }
            }
            return out;
        }

        float[] biases(int l) {
            float[] out = new float[b[l].length];
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) b[l][j];
            }
            return out;
        }
    }
}
