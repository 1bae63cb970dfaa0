package mnistxent.report;

/**
 * The exact two-sided sign test: given {@code wins} and {@code losses} of paired comparisons (ties left
 * out), how likely a split at least this uneven is if either side wins each pair with probability 1/2.
 * No assumption about the size of the differences, only their signs: right for accuracy differences
 * whose spread is anything but normal (a stalled run differs by ten points, the others by tenths).
 */
public final class SignTest {

    private SignTest() {
    }

    /** The two-sided p-value (1 when there are no untied pairs). */
    public static double pValue(int wins, int losses) {
        int n = wins + losses;
        if (n == 0) {
            return 1.0;
        }
        int extreme = Math.min(wins, losses);
        // P(X <= extreme) for X ~ Binomial(n, 1/2), summed in log space (n may be in the hundreds)
        double tail = 0;
        for (int i = 0; i <= extreme; i++) {
            tail += Math.exp(logChoose(n, i) - n * Math.log(2));
        }
        return Math.min(1.0, 2 * tail);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
