package mnistxent.ablation;

import java.util.Arrays;
import java.util.Locale;

/**
 * Mean and sample standard deviation (divisor n - 1) of a few values, e.g. one per seed.
 * With one value the deviation is undefined (NaN); with none the mean is too.
 */
public record Stat(double mean, double std, int n, double min, double max) {

    public static Stat of(double... values) {
        int n = values.length;
        if (n == 0) {
            return new Stat(Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(values).sum() / n;
        double std = Double.NaN;
        if (n > 1) {
            double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
            std = Math.sqrt(squares / (n - 1));
        }
        return new Stat(mean, std, n, Arrays.stream(values).min().orElseThrow(),
                Arrays.stream(values).max().orElseThrow());
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
