package mnistxent.report;

import java.util.Arrays;

/**
 * A shaded min-max range drawn behind a line, e.g. the spread of several seeds around their mean.
 * {@code lower[i]} and {@code upper[i]} belong to the line's {@code x[i]}.
 */
public record Band(double[] lower, double[] upper) {

    public Band {
        if (lower.length != upper.length) {
            throw new IllegalArgumentException("band bounds differ in length: " + lower.length + " vs " + upper.length);
        }
        for (int i = 0; i < lower.length; i++) {
            if (lower[i] > upper[i]) {
                throw new IllegalArgumentException("band lower bound above upper bound at index " + i);
            }
        }
        lower = lower.clone();
        upper = upper.clone();
    }

    @Override
    public double[] lower() {
        return lower.clone();
    }

    @Override
    public double[] upper() {
        return upper.clone();
    }

    public int size() {
        return lower.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Band b && Arrays.equals(lower, b.lower) && Arrays.equals(upper, b.upper);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lower) + Arrays.hashCode(upper);
    }

    @Override
    public String toString() {
        return "Band[" + lower.length + " points]";
    }
}
