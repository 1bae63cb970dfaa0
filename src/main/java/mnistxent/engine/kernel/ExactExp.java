package mnistxent.engine.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel's exp-based functions (the sigmoid and TF's cross-entropy terms), many at a time, with
 * results bit-identical to their scalar definitions in {@link #sigmoid(float)} and {@link #crossEntropy}.
 *
 * <p>Why: one scalar {@code Math.exp} costs ~6 ns here and a step needs 500 of them plus 100
 * {@code Math.log1p} (~11 ns each): ~5 µs, more than the rest of an optimised step (README, Performance).
 * The vector forms ({@code VectorOperators.EXP}, {@code LOG1P}) cost under 1 ns a value.
 *
 * <p>Why the results are still exact: both {@code Math.exp} and the vector {@code EXP} are within 1 ulp
 * of the exact value (their specifications; likewise {@code log1p}), so the two double results differ by
 * at most a few parts in 2^49 (sigmoid) or 2^44 (the sum of a batch's loss terms), and the float32 result
 * rounded from them can differ only if the double lies that close to a point halfway between two floats.
 * Each result is therefore rounded twice more, from the double moved down and up by 2^-40 of itself: if
 * both give the same float, every double in between, the scalar definition's included, rounds to it; if
 * not (1 number in ~320,000 over all floats), that value is recomputed with the scalar definition. NaNs always
 * take the scalar path. {@code ExactExpTest} checks this against the scalar definitions over millions of
 * inputs, every special value included.
 */
final class ExactExp {

    /**
     * Doubles in vectors as wide as the kernel's float vectors: a float vector converts into two of them.
     * (One float species throughout: a second float shape makes C2's profiles of the shared vector methods
     * polymorphic, and it then boxes vectors instead of keeping them in registers.)
     */
    static final VectorSpecies<Double> DOUBLES = VectorSpecies.of(double.class, MlpKernel.SPECIES.vectorShape());
    private static final VectorSpecies<Float> FLOATS = MlpKernel.SPECIES;
    private static final int HALF = DOUBLES.length();

    private static final double BELOW = 1 - 0x1p-40;
    private static final double ABOVE = 1 + 0x1p-40;

    private ExactExp() {
    }

    /** The sigmoid as the kernel defines it: in double, rounded once to float32. */
    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /**
     * {@code a[i] = sigmoid(z[i])} for {@code i} in {@code [from, to)}, whole float vectors: the doubles a
     * vector at a time into {@code scratch} (at least {@code to - from} long), then rounded and checked one
     * by one. (Rounding and checking in vectors too would take six conversions per vector, and C2 stops
     * inlining before the method is whole, boxing vectors in the middle of the loop.)
     *
     * @return how many values took the scalar path (for the tests)
     */
    static int sigmoid(float[] z, float[] a, int from, int to, double[] scratch) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        for (int i = from; i < to; i += FLOATS.length()) {
            FloatVector zf = FloatVector.fromArray(FLOATS, z, i);
            one.div(one.add(low(zf).neg().lanewise(VectorOperators.EXP))).intoArray(scratch, i - from);
            one.div(one.add(high(zf).neg().lanewise(VectorOperators.EXP))).intoArray(scratch, i - from + HALF);
        }
        return round(z, a, from, to, scratch);
    }

    /**
     * {@code a[i]}, for {@code i} in {@code [from, to)}: the double {@code sigmoids[i - from]} rounded to float
     * where that rounding is certain to be the scalar definition's, else {@code sigmoid(z[i])} (class doc).
     *
     * @return how many values took the scalar path
     */
    private static int round(float[] z, float[] a, int from, int to, double[] sigmoids) {
        double[] scratch = sigmoids;
        int scalar = 0;
        for (int i = from; i < to; i++) {
            double r = scratch[i - from];
            if ((float) (r * BELOW) == (float) (r * ABOVE)) {     // false for NaN
                a[i] = (float) r;
            } else {
                a[i] = sigmoid(z[i]);
                scalar++;
            }
        }
        return scalar;
    }

    private static DoubleVector low(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    private static DoubleVector high(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 1);
    }

    /**
     * TF's {@code sigmoid_cross_entropy_with_logits} (SPEC §4) summed over {@code outs} logits of each of
     * {@code rows} examples and divided by {@code rows * outs}: the scalar definition the kernel's loss is.
     * Row {@code e}'s logits are {@code z[e * stride ..]}, its label {@code labels[e]}.
     */
    static float crossEntropy(float[] z, int stride, int outs, int[] labels, int rows) {
        double sum = 0;
        for (int e = 0; e < rows; e++) {
            for (int j = 0; j < outs; j++) {
                float zj = z[e * stride + j];
                float y = j == labels[e] ? 1f : 0f;
                // TF's stable form: max(z,0) - z*y + log(1 + exp(-|z|))
                sum += Math.max(zj, 0f) - zj * y + Math.log1p(Math.exp(-Math.abs(zj)));
            }
        }
        return (float) (sum / (rows * outs));
    }

    /**
     * {@link #crossEntropy}, its terms computed a vector at a time, summed in the same order.
     *
     * @param terms scratch of at least {@code rows * stride} doubles; {@code stride} whole float vectors
     * @param ones  scratch of at least {@code stride} floats, all zero
     */
    static float crossEntropy(float[] z, int stride, int outs, int[] labels, int rows, double[] terms, float[] ones) {
        for (int e = 0; e < rows; e++) {
            int label = labels[e];
            boolean labelled = label >= 0 && label < stride;     // else no logit is the label's, as above
            if (labelled) {
                ones[label] = 1f;
            }
            for (int j = 0; j < stride; j += FLOATS.length()) {
                int at = e * stride + j;
                FloatVector zf = FloatVector.fromArray(FLOATS, z, at);
                FloatVector linear = zf.max(0f).sub(zf.mul(FloatVector.fromArray(FLOATS, ones, j)));
                low(linear).add(low(zf).abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P))
                        .intoArray(terms, at);
                high(linear).add(high(zf).abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P))
                        .intoArray(terms, at + HALF);
            }
            if (labelled) {
                ones[label] = 0f;
            }
        }
        return mean(z, stride, outs, labels, rows, terms);
    }

    /**
     * A sigmoid output layer and TF's sigmoid cross-entropy in one pass over logits packed end to end (no
     * padding lanes): {@code a[i] = sigmoid(z[i])} for {@code i < rows * outs}, rounded as
     * {@link #sigmoid(float[], float[], int, int, double[])} rounds, and returns {@link #crossEntropy} of
     * them ({@code y[i]}: 1f at each row's label, else 0f). One exponential a logit serves both:
     * {@code u = exp(-|z|)}, the loss term's, and the sigmoid is {@code 1 / (1 + u)} for {@code z >= 0}, the
     * very doubles of the sigmoid's vector form, and {@code u / (1 + u)} below, within a few units of the
     * last place of the scalar definition's double like the vector form's: the same rounding check covers
     * it (class doc). Arrays hold whole float vectors past {@code rows * outs}.
     */
    static float sigmoidCrossEntropy(float[] z, float[] y, float[] a, int outs, int[] labels, int rows,
                                     double[] sigmoids, double[] terms) {
        int n = rows * outs;
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        for (int i = 0; i < n; i += FLOATS.length()) {
            FloatVector zf = FloatVector.fromArray(FLOATS, z, i);
            FloatVector linear = zf.max(0f).sub(zf.mul(FloatVector.fromArray(FLOATS, y, i)));
            DoubleVector zd = low(zf);
            DoubleVector u = zd.abs().neg().lanewise(VectorOperators.EXP);
            low(linear).add(u.lanewise(VectorOperators.LOG1P)).intoArray(terms, i);
            u.blend(one, zd.compare(VectorOperators.GE, 0.0)).div(one.add(u)).intoArray(sigmoids, i);
            zd = high(zf);
            u = zd.abs().neg().lanewise(VectorOperators.EXP);
            high(linear).add(u.lanewise(VectorOperators.LOG1P)).intoArray(terms, i + HALF);
            u.blend(one, zd.compare(VectorOperators.GE, 0.0)).div(one.add(u)).intoArray(sigmoids, i + HALF);
        }
        round(z, a, 0, n, sigmoids);
        return mean(z, outs, outs, labels, rows, terms);
    }

    /** The loss from its terms ({@code terms[e * stride + j]}): their mean, rounded as the scalar definition's. */
    private static float mean(float[] z, int stride, int outs, int[] labels, int rows, double[] terms) {
        double sum = 0;
        for (int e = 0; e < rows; e++) {
            for (int j = 0; j < outs; j++) {
                sum += terms[e * stride + j];
            }
        }
        double mean = sum / (rows * outs);
        float below = (float) (mean * BELOW);
        if (below == (float) (mean * ABOVE)) {      // false for NaN
            return (float) mean;
        }
        return crossEntropy(z, stride, outs, labels, rows);
    }
}
