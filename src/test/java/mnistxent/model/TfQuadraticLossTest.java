package mnistxent.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;

import static mnistxent.model.TfSigmoidCrossEntropyLossTest.floats;
import static mnistxent.model.TfSigmoidCrossEntropyLossTest.sigmoid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TfQuadraticLoss} against SPEC §4, per example: {@code norm(y - a, axis=1)**2 / 2} and its
 * gradient {@code (a - y) * a * (1 - a)}. Expected values are computed here in double precision.
 */
class TfQuadraticLossTest {

    private static final TfQuadraticLoss LOSS = new TfQuadraticLoss();
    private static final ActivationSigmoid SIGMOID = new ActivationSigmoid();

    /** {@code norm(y - sigmoid(z))^2 / 2} of one example, in double, the way the script writes it. */
    static double quadratic(double[] z, double[] y) {
        double sumOfSquares = 0;
        for (int j = 0; j < z.length; j++) {
            double d = y[j] - sigmoid(z[j]);
            sumOfSquares += d * d;
        }
        double norm = Math.sqrt(sumOfSquares);
        return norm * norm / 2;
    }

    @Test
    void valuesAtHandComputedPoints() {
        // z = 0 -> a = 1/2; z = ln 3 -> a = 3/4: example 0 = ((1/2)^2 + (1/4)^2 + (3/4)^2) / 2 = 0.4375
        double[][] z = {{0.0, Math.log(3), Math.log(3)}, {-2.5, 0.5, 4.0}};
        double[][] y = {{1, 1, 0}, {0, 1, 0}};
        assertEquals(0.4375, quadratic(z[0], y[0]), 1e-15, "the test's own formula");
        double[] expected = {0.4375, quadratic(z[1], y[1])};

        INDArray perExample = LOSS.computeScoreArray(floats(y), floats(z), SIGMOID, null);
        for (int i = 0; i < 2; i++) {
            assertEquals(expected[i], perExample.getDouble(i), 1e-6 * expected[i], "example " + i);
        }
        double mean = (expected[0] + expected[1]) / 2;
        assertEquals(mean, LOSS.computeScore(floats(y), floats(z), SIGMOID, null, true), 1e-6 * mean,
                "average = true: reduce_mean over the batch (outputs are summed, not averaged)");
        assertEquals(2 * mean, LOSS.computeScore(floats(y), floats(z), SIGMOID, null, false), 2e-6 * mean);
    }

    @Test
    void gradientIsErrorTimesSigmoidDerivative() {
        double[][] z = {{0.0, 1.5, -0.75, 4.0}, {-3.0, 0.25, 2.0, -0.1}};
        double[][] y = {{1, 0, 0, 0}, {0, 0, 1, 0}};
        INDArray g = LOSS.computeGradient(floats(y), floats(z), SIGMOID, null);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                double a = sigmoid(z[i][j]);
                double expected = (a - y[i][j]) * a * (1 - a);
                // the derivative of the test's own cost with respect to z[i][j] (central difference)
                double h = 1e-6;
                double[] plus = z[i].clone();
                double[] minus = z[i].clone();
                plus[j] += h;
                minus[j] -= h;
                double numeric = (quadratic(plus, y[i]) - quadratic(minus, y[i])) / (2 * h);
                assertEquals(expected, numeric, 1e-8, "the test's own derivative");
                assertEquals(expected, g.getDouble(i, j), 1e-7, "dL/dz[" + i + "," + j + "]");
            }
        }
    }

    /** Saturation: finite everywhere; the gradient vanishes, which is the slowdown the article is about (SPEC §7). */
    @Test
    void saturatedOutputsStayFinite() {
        for (double z : new double[]{30, -30, 100, -100}) {
            for (double y : new double[]{0, 1}) {
                double[][] zs = {{z, 0.0}};
                double[][] ys = {{y, 1}};
                double score = LOSS.computeScore(floats(ys), floats(zs), SIGMOID, null, true);
                assertTrue(Double.isFinite(score), "z=" + z + " y=" + y);
                assertEquals(quadratic(zs[0], ys[0]), score, 1e-6, "z=" + z + " y=" + y);
                double grad = LOSS.computeGradient(floats(ys), floats(zs), SIGMOID, null).getDouble(0, 0);
                double a = sigmoid(z);
                assertTrue(Double.isFinite(grad), "z=" + z + " y=" + y);
                assertEquals((a - y) * a * (1 - a), grad, 1e-7, "z=" + z + " y=" + y);
                assertTrue(Math.abs(grad) < 1e-12, "a saturated sigmoid's quadratic gradient vanishes: " + grad);
            }
        }
    }
}
