package mnistxent.random;

import java.util.Arrays;

/**
 * The one random stream of the application: xoshiro256** seeded through SplitMix64.
 *
 * <p>Why our own generator rather than {@link java.util.Random} or ND4J's: its whole state is
 * four longs (plus a cached Gaussian) that can be saved into a checkpoint and restored, so a
 * resumed run continues the very same stream; and it does not depend on the ND4J
 * backend, so the same seed gives the same initial parameters and batch order on CPU and CUDA.
 *
 * <p>SPEC preamble: TF's Philox stream is not reproduced; its distributions are.
 */
public final class SeededRandom {

    private final long[] s = new long[4];
    private double cachedGaussian;
    private boolean hasCachedGaussian;

    public SeededRandom(long seed) {
        long x = seed;
        for (int i = 0; i < 4; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            s[i] = z ^ (z >>> 31);
        }
    }

    private SeededRandom(State state) {
        System.arraycopy(state.words(), 0, s, 0, 4);
        this.cachedGaussian = state.cachedGaussian();
        this.hasCachedGaussian = state.hasCachedGaussian();
    }

    /** A generator that continues exactly where the one that produced {@code state} was. */
    public static SeededRandom restore(State state) {
        return new SeededRandom(state);
    }

    /** Derives an independent seed for a named sub-stream (e.g. "init", "batches") of one run seed. */
    public static long derive(long seed, String stream) {
        SeededRandom r = new SeededRandom(seed ^ ((long) stream.hashCode() << 32 | stream.length()));
        return r.nextLong();
    }

    public long nextLong() {
        long result = Long.rotateLeft(s[1] * 5, 7) * 9;
        long t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Long.rotateLeft(s[3], 45);
        return result;
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal N(0, 1), Marsaglia's polar method (pairs; the second value is cached). */
    public double nextGaussian() {
        if (hasCachedGaussian) {
            hasCachedGaussian = false;
            return cachedGaussian;
        }
        double u, v, q;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            q = u * u + v * v;
        } while (q >= 1 || q == 0);
        double f = Math.sqrt(-2 * Math.log(q) / q);
        cachedGaussian = v * f;
        hasCachedGaussian = true;
        return u * f;
    }

    /** Fisher-Yates shuffle: a uniform random permutation of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    public State state() {
        return new State(s.clone(), cachedGaussian, hasCachedGaussian);
    }

    /** Everything needed to continue the stream; small enough to store in a checkpoint. */
    public record State(long[] words, double cachedGaussian, boolean hasCachedGaussian) {
        public State {
            if (words.length != 4) {
                throw new IllegalArgumentException("xoshiro256** state has 4 words, got " + words.length);
            }
            words = words.clone();
        }

        @Override
        public long[] words() {
            return words.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State other && Arrays.equals(words, other.words)
                    && Double.compare(cachedGaussian, other.cachedGaussian) == 0
                    && hasCachedGaussian == other.hasCachedGaussian;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(words) * 31 + Boolean.hashCode(hasCachedGaussian);
        }

        @Override
        public String toString() {
            return "State" + Arrays.toString(words);
        }
    }
}
