package mnistxent.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TfSigmoidCrossEntropyLoss} against SPEC §4, per example (DL4J divides by the batch size
 * itself; see {@link NetworkLossReductionTest} for the network-level reduction).
 *
 * <p>The expected values are computed here in double precision from the textbook definition,
 * {@code -[y ln sigmoid(z) + (1 - y) ln(1 - sigmoid(z))]}, written with
 * {@code ln sigmoid(z) = -softplus(-z)} and {@code ln(1 - sigmoid(z)) = -softplus(z)}: a different
 * formula from the implementation's {@code max(z,0) - z*y + log1p(exp(-|z|))}.
 */
class TfSigmoidCrossEntropyLossTest {

    private static final TfSigmoidCrossEntropyLoss LOSS = new TfSigmoidCrossEntropyLoss();
    private static final ActivationSigmoid SIGMOID = new ActivationSigmoid();

    static double softplus(double t) {
        return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** Textbook cross-entropy of one element, in double. */
    static double crossEntropy(double z, double y) {
        return y * softplus(-z) + (1 - y) * softplus(z);
    }

    static INDArray floats(double[][] values) {
        return Nd4j.create(values).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    @Test
    void valuesAtHandComputedPoints() {
        // z = 0: ln 2 whatever the label; z = ln 3: sigmoid = 3/4, so -ln(3/4) for y=1 and -ln(1/4) for y=0.
        double ln3 = Math.log(3);
        double[][] z = {{0.0, Math.log(3), Math.log(3)}, {0.0, -2.5, 1.25}};
        double[][] y = {{1, 1, 0}, {0, 1, 0}};
        double[] expectedPerExample = {
                (Math.log(2) + Math.log(4.0 / 3) + Math.log(4)) / 3,
                (Math.log(2) + crossEntropy(-2.5, 1) + crossEntropy(1.25, 0)) / 3};
        assertEquals(Math.log(4.0 / 3), crossEntropy(ln3, 1), 1e-15, "the test's own formula");
        assertEquals(Math.log(4), crossEntropy(ln3, 0), 1e-15, "the test's own formula");

        INDArray perExample = LOSS.computeScoreArray(floats(y), floats(z), SIGMOID, null);
        assertEquals(2, perExample.length());
        for (int i = 0; i < 2; i++) {
            assertEquals(expectedPerExample[i], perExample.getDouble(i), 1e-6 * expectedPerExample[i],
                    "example " + i + ": mean over the outputs of the element-wise cost");
        }
        double mean = (expectedPerExample[0] + expectedPerExample[1]) / 2;
        assertEquals(mean, LOSS.computeScore(floats(y), floats(z), SIGMOID, null, true), 1e-6 * mean,
                "average = true: TF's reduce_mean over batch and outputs");
        assertEquals(2 * mean, LOSS.computeScore(floats(y), floats(z), SIGMOID, null, false), 2e-6 * mean,
                "average = false: the sum over the batch, which DL4J later divides by the batch size");
    }

    @Test
    void gradientIsSigmoidMinusLabelOverOutputs() {
        double[][] z = {{0.0, 1.5, -0.75, 4.0}, {-3.0, 0.25, 2.0, -0.1}};
        double[][] y = {{1, 0, 0, 0}, {0, 0, 1, 0}};
        INDArray g = LOSS.computeGradient(floats(y), floats(z), SIGMOID, null);
        assertEquals(2, g.rows());
        assertEquals(4, g.columns());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                double expected = (sigmoid(z[i][j]) - y[i][j]) / 4;
                // and that is the derivative of the textbook cost / nOut (central difference in double)
                double h = 1e-6;
                double numeric = (crossEntropy(z[i][j] + h, y[i][j]) - crossEntropy(z[i][j] - h, y[i][j])) / (2 * h) / 4;
                assertEquals(expected, numeric, 1e-8, "the test's own derivative");
                assertEquals(expected, g.getDouble(i, j), 1e-7, "dL/dz[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void saturatedOutputsStayFiniteAndKeepLearning() {
        double[] logits = {30, -30, 100, -100};
        for (double z : logits) {
            for (double y : new double[]{0, 1}) {
                double[][] zs = {{z, 0.0}};
                double[][] ys = {{y, 1}};
                double score = LOSS.computeScore(floats(ys), floats(zs), SIGMOID, null, true);
                double expected = (crossEntropy(z, y) + Math.log(2)) / 2;
                assertTrue(Double.isFinite(score), "z=" + z + " y=" + y + ": score " + score);
                assertEquals(expected, score, 1e-6 * Math.max(1, expected), "z=" + z + " y=" + y);

                INDArray g = LOSS.computeGradient(floats(ys), floats(zs), SIGMOID, null);
                double grad = g.getDouble(0, 0);
                double expectedGrad = (sigmoid(z) - y) / 2;
                assertTrue(Double.isFinite(grad), "z=" + z + " y=" + y + ": gradient " + grad);
                assertEquals(expectedGrad, grad, 1e-7, "z=" + z + " y=" + y + ": (sigmoid(z) - y) / nOut");
                if ((z > 0) != (y > 0)) {
                    // badly wrong and saturated: the gradient is ~ +-1/nOut, it does not vanish (SPEC §7)
                    assertEquals(0.5, Math.abs(grad), 1e-6, "z=" + z + " y=" + y + ": wrong outputs must keep learning");
                }
            }
        }
    }

    /** Why the custom loss exists (docs/SPEC.md §4): DL4J's own binary cross-entropy vanishes where TF's does not. */
    @Test
    void dl4jBinaryXentWouldVanishWhereTfDoesNot() {
        double[][] z = {{30.0}};
        double[][] y = {{0.0}};
        double ours = LOSS.computeGradient(floats(y), floats(z), SIGMOID, null).getDouble(0, 0);
        double dl4j = new LossBinaryXENT().computeGradient(floats(y), floats(z), SIGMOID, null).getDouble(0, 0);
        assertEquals(1.0, ours, 1e-6);
        assertTrue(Math.abs(dl4j) < 1e-3, "LossBinaryXENT's gradient at z=30, y=0 was " + dl4j);
    }

    @Test
    void refusesANonSigmoidOutput() {
        assertThrows(IllegalStateException.class, () -> LOSS.computeGradient(floats(new double[][]{{1}}),
                floats(new double[][]{{0.5}}), new org.nd4j.linalg.activations.impl.ActivationTanH(), null));
    }

    @Test
    void inputsAreNotModified() {
        INDArray z = floats(new double[][]{{-1.0, 2.0}});
        INDArray y = floats(new double[][]{{0.0, 1.0}});
        INDArray zCopy = z.dup();
        INDArray yCopy = y.dup();
        LOSS.computeGradientAndScore(y, z, SIGMOID, null, true);
        assertEquals(zCopy, z);
        assertEquals(yCopy, y);
    }
}
