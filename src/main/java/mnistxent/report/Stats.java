package mnistxent.report;

import java.util.Arrays;
import java.util.Locale;

/**
 * A few numbers summarised: count, mean, sample standard deviation (divisor n - 1), min, quartiles and
 * max. For repeated measurements (the machines are shared: report medians, never one sample) and for
 * results over seeds. With one value the deviation is undefined (NaN); with none everything is.
 *
 * <p>Quartiles interpolate linearly between the sorted values (position {@code p (n - 1)}, NumPy's and
 * R's default), so the median of an even count is the mean of the middle two.
 */
public record Stats(int n, double mean, double std, double min, double q1, double median, double q3, double max) {

    public static Stats of(double... values) {
        int n = values.length;
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(values).sum() / n;
        double std = Double.NaN;
        if (n > 1) {
            double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
            std = Math.sqrt(squares / (n - 1));
        }
        return new Stats(n, mean, std, sorted[0], quantile(sorted, 0.25), quantile(sorted, 0.5),
                quantile(sorted, 0.75), sorted[n - 1]);
    }

    /** The {@code p}-quantile of sorted values, interpolated linearly. */
    static double quantile(double[] sorted, double p) {
        double at = p * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }

    /** {@code mean ± std} with {@code decimals} after the point, values times {@code scale}; "–" when empty. */
    public String format(double scale, int decimals) {
        if (n == 0) {
            return "–";
        }
        String m = number(mean * scale, decimals);
        return n == 1 ? m : m + " ± " + number(std * scale, decimals);
    }

    /** {@code median (q1–q3)}, values times {@code scale}; "–" when empty. */
    public String formatMedian(double scale, int decimals) {
        if (n == 0) {
            return "–";
        }
        String m = number(median * scale, decimals);
        return n == 1 ? m : m + " (" + number(q1 * scale, decimals) + "–" + number(q3 * scale, decimals) + ")";
    }

    /** {@code min–max}, values times {@code scale}; "–" when empty. */
    public String formatRange(double scale, int decimals) {
        if (n == 0) {
            return "–";
        }
        return n == 1 ? number(min * scale, decimals)
                : number(min * scale, decimals) + "–" + number(max * scale, decimals);
    }

    private static String number(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
