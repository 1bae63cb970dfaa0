package mnistxent.engine.kernel;

import mnistxent.random.SeededRandom;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ExactExp}'s vector forms against their scalar definitions, bit for bit: the sigmoid over ~4 million
 * floats spread over the whole range (every 1024th bit pattern) and the special values, and the batch loss
 * over random logits, saturated ones and special values. Its guarded rounding must also be seen to work: a
 * few of those millions take the scalar path.
 */
class ExactExpTest {

    private static final int BLOCK = 64;

    @Test
    void sigmoidEqualsItsScalarDefinitionOnEveryTestedFloat() {
        float[] z = new float[BLOCK];
        float[] a = new float[BLOCK];
        double[] scratch = new double[BLOCK];
        long scalar = 0;
        long checked = 0;
        long nan = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 1024 * BLOCK) {
            for (int k = 0; k < BLOCK; k++) {
                z[k] = Float.intBitsToFloat((int) (bits + 1024L * k + (k * 37 & 0x3FF)));
                nan += Float.isNaN(z[k]) ? 1 : 0;
            }
            scalar += ExactExp.sigmoid(z, a, 0, BLOCK, scratch);
            for (int k = 0; k < BLOCK; k++) {
                assertSameBits(ExactExp.sigmoid(z[k]), a[k], z[k]);
            }
            checked += BLOCK;
        }
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f, 17f, -17f, 87.3f, -87.3f,
                88.8f, -88.8f, 103f, -103f, 104f, -104f, 709.7f, -709.7f, 710f, -710f, 745.2f, -745.2f, 1e-8f, -1e-8f};
        for (int k = 0; k < BLOCK; k++) {
            z[k] = special[k % special.length];
        }
        ExactExp.sigmoid(z, a, 0, BLOCK, scratch);
        for (int k = 0; k < BLOCK; k++) {
            assertSameBits(ExactExp.sigmoid(z[k]), a[k], z[k]);
        }
        assertTrue(checked > 4_000_000, "checked " + checked);
        // NaNs always take the scalar path; of the rest, a few (1 in ~320,000 over all floats)
        assertTrue(scalar > nan, "the guard never sent a number to the scalar path in " + checked);
        assertTrue(scalar - nan < checked / 3000, (scalar - nan) + " numbers of " + checked + " took the scalar path");
    }

    @Test
    void crossEntropyEqualsItsScalarDefinition() {
        SeededRandom r = new SeededRandom(11);
        int stride = 16;
        int outs = 10;
        int rows = 10;
        float[] z = new float[rows * stride];
        int[] labels = new int[rows];
        double[] terms = new double[rows * stride];
        float[] ones = new float[stride];
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 50f, -50f, 120f, -120f, 1e30f, -1e30f};
        for (int trial = 0; trial < 200_000; trial++) {
            double spread = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 30 : 300;
            for (int e = 0; e < rows; e++) {
                labels[e] = r.nextInt(outs);
                for (int j = 0; j < outs; j++) {
                    z[e * stride + j] = trial % 97 == 0 ? special[r.nextInt(special.length)]
                            : (float) (r.nextGaussian() * spread);
                }
            }
            assertSameBits(ExactExp.crossEntropy(z, stride, outs, labels, rows),
                    ExactExp.crossEntropy(z, stride, outs, labels, rows, terms, ones), trial);
        }
        z[3] = Float.NaN;
        assertSameBits(ExactExp.crossEntropy(z, stride, outs, labels, rows),
                ExactExp.crossEntropy(z, stride, outs, labels, rows, terms, ones), -1);
        z[3] = Float.POSITIVE_INFINITY;
        assertSameBits(ExactExp.crossEntropy(z, stride, outs, labels, rows),
                ExactExp.crossEntropy(z, stride, outs, labels, rows, terms, ones), -2);
        labels[0] = 12;      // no logit is the label's: y = 0 throughout, as in the scalar definition
        assertSameBits(ExactExp.crossEntropy(z, stride, outs, labels, rows),
                ExactExp.crossEntropy(z, stride, outs, labels, rows, terms, ones), -3);
    }

    @Test
    void sigmoidsAndLossInOnePassEqualTheirScalarDefinitions() {
        SeededRandom r = new SeededRandom(13);
        int outs = 10;
        int rows = 10;
        int n = rows * outs;
        int room = 128;         // whole vectors past rows * outs, at every width
        float[] z = new float[room];
        float[] y = new float[room];
        float[] a = new float[room];
        int[] labels = new int[rows];
        double[] sigmoids = new double[room];
        double[] terms = new double[room];
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 17f, -17f, 50f, -50f, 87.5f, -87.5f, 103.9f, -103.9f, 120f, -120f,
                745.2f, -745.2f, 1e30f, -1e30f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN};
        long checkedNegative = 0;
        for (int trial = 0; trial < 100_000; trial++) {
            double spread = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 30 : 300;
            Arrays.fill(y, 0f);
            for (int e = 0; e < rows; e++) {
                labels[e] = r.nextInt(outs);
                y[e * outs + labels[e]] = 1f;
                for (int j = 0; j < outs; j++) {
                    float v = trial % 97 == 0 ? special[r.nextInt(special.length)]
                            // every bit pattern now and then: the whole float range, both signs
                            : trial % 5 == 0 ? Float.intBitsToFloat((int) r.nextLong())
                            : (float) (r.nextGaussian() * spread);
                    z[e * outs + j] = v;
                    checkedNegative += v < 0 ? 1 : 0;
                }
            }
            float loss = ExactExp.sigmoidCrossEntropy(z, y, a, outs, labels, rows, sigmoids, terms);
            assertSameValue(ExactExp.crossEntropy(z, outs, outs, labels, rows), loss, trial);
            for (int i = 0; i < n; i++) {
                assertSameValue(ExactExp.sigmoid(z[i]), a[i], "trial " + trial + ", logit " + z[i]);
            }
        }
        assertTrue(checkedNegative > 400_000, "negative logits (the u / (1 + u) form): " + checkedNegative);
    }

    /**
     * {@link #assertSameBits}, but any NaN for a NaN: the logits here include NaNs with payloads, and which
     * NaN a NaN result is depends on how the JIT had compiled the scalar definition at the time: the same
     * call with the same logits returned NaNs of different bits within one run.
     */
    private static void assertSameValue(float want, float got, Object what) {
        if (Float.isNaN(want) && Float.isNaN(got)) {
            return;
        }
        assertSameBits(want, got, what);
    }

    private static void assertSameBits(float want, float got, Object what) {
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), "at " + what + ": " + want + " vs " + got);
    }
}
