package mnistxent.report;

import java.util.Locale;

/**
 * {@code k} of {@code n} (e.g. stalled runs of a config), with the 95% Wilson score interval: unlike
 * the textbook {@code p ± 1.96 sqrt(p(1-p)/n)} it stays inside [0, 1] and is not empty for 0 of n,
 * which is exactly the case that matters here ("0 of 100 cross-entropy runs stalled": at most 3.7%).
 */
public record Proportion(int k, int n) {

    /** The normal quantile of a two-sided 95% interval. */
    private static final double Z = 1.959963984540054;

    public Proportion {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException(k + " of " + n);
        }
    }

    public double value() {
        return n == 0 ? Double.NaN : (double) k / n;
    }

    /** The lower end of the 95% Wilson interval: exactly 0 for 0 of n (the formula's rounding leaves ~1e-18). */
    public double lower() {
        return n == 0 ? Double.NaN : k == 0 ? 0 : centre() - halfWidth();
    }

    /** The upper end of the 95% Wilson interval: exactly 1 for n of n. */
    public double upper() {
        return n == 0 ? Double.NaN : k == n ? 1 : centre() + halfWidth();
    }

    private double centre() {
        double p = value();
        return (p + Z * Z / (2.0 * n)) / (1 + Z * Z / n);
    }

    private double halfWidth() {
        double p = value();
        return Z / (1 + Z * Z / n) * Math.sqrt(p * (1 - p) / n + Z * Z / (4.0 * n * n));
    }

    /** {@code 3 of 100 (3.0%, 95% CI 1.0–8.5%)}. */
    public String format() {
        if (n == 0) {
            return "0 of 0";
        }
        return String.format(Locale.ROOT, "%d of %d (%.1f%%, 95%% CI %.1f–%.1f%%)", k, n, 100 * value(),
                100 * lower(), 100 * upper());
    }
}
