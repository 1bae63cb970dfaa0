package mnistxent.report;

import java.util.Arrays;
import java.util.Locale;

/**
 * A few numbers summarised: count, mean, sample standard deviation (divisor n - 1), min, median and max.
 * For repeated measurements (the machines are shared: report medians, never one sample) and for results
 * over seeds. With one value the deviation is undefined (NaN); with none everything is.
 */
public record Stats(int n, double mean, double std, double min, double median, double max) {

    public static Stats of(double... values) {
        int n = values.length;
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(values).sum() / n;
        double std = Double.NaN;
        if (n > 1) {
            double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
            std = Math.sqrt(squares / (n - 1));
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(n, mean, std, sorted[0], median, sorted[n - 1]);
    }

    /** {@code mean ± std} with {@code decimals} after the point, values times {@code scale}; "–" when empty. */
    public String format(double scale, int decimals) {
        if (n == 0) {
            return "–";
        }
        String m = String.format(Locale.ROOT, "%." + decimals + "f", mean * scale);
        return n == 1 ? m : m + " ± " + String.format(Locale.ROOT, "%." + decimals + "f", std * scale);
    }
}
