package mnistxent.bench;

import java.util.Arrays;

/** Median, minimum and maximum of repeated measurements (the machines are shared: never one sample). */
public record Stats(double median, double min, double max, int samples) {

    public static Stats of(double[] values) {
        if (values.length == 0) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1], n);
    }
}
