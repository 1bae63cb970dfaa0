package mnistxent.data.fetch;

import org.slf4j.Logger;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Logs how a transfer is going, about once a second, at INFO: bytes so far, of how many, and the
 * rate. Logging, not stdout: stdout is reserved for the seed script's own lines.
 */
final class ProgressMeter {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final Logger log;
    private final String what;
    private final long total;
    private final long startNanos;
    private long bytes;
    private long lastLogNanos;

    /** @param total expected bytes, or -1 when unknown */
    ProgressMeter(Logger log, String what, long total) {
        this.log = log;
        this.what = what;
        this.total = total;
        this.startNanos = System.nanoTime();
        this.lastLogNanos = startNanos;
    }

    void advance(long n) {
        if (n <= 0) {
            return;
        }
        bytes += n;
        long now = System.nanoTime();
        if (now - lastLogNanos >= INTERVAL_NANOS) {
            lastLogNanos = now;
            log.info("{}: {}", what, describe(now));
        }
    }

    /** Logs the final line: total bytes, time and mean rate. */
    void finish() {
        long now = System.nanoTime();
        log.info("{}: done, {} in {}", what, describe(now), String.format(Locale.ROOT, "%.1f s", (now - startNanos) / 1e9));
    }

    long bytes() {
        return bytes;
    }

    String describe(long now) {
        double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
        String rate = megabytes(bytes / seconds) + "/s";
        if (total > 0) {
            return String.format(Locale.ROOT, "%s of %s (%d%%), %s", megabytes(bytes), megabytes(total),
                    bytes * 100 / total, rate);
        }
        return megabytes(bytes) + ", " + rate;
    }

    static String megabytes(double b) {
        return b < 1e6 ? String.format(Locale.ROOT, "%.1f kB", b / 1e3) : String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }

    /** {@code in}, counting what is read through it into {@code meter}. */
    static InputStream counting(InputStream in, ProgressMeter meter) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    meter.advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                meter.advance(n);
                return n;
            }
        };
    }
}
