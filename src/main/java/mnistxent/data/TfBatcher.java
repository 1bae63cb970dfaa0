package mnistxent.data;

import mnistxent.config.ExperimentConfig;
import mnistxent.config.MnistShape;
import mnistxent.random.SeededRandom;

import java.util.Arrays;
import java.util.Objects;

/**
 * TensorFlow 1.1's {@code DataSet.next_batch} (docs/SPEC.md §2), over a pool of training indices
 * {@code [poolStart, poolStart + poolSize)} (MNIST: {@code [5000, 60000)}).
 *
 * <p>Exactly as TF does it:
 * <ul>
 *   <li>the very first call shuffles the pool (a uniform random permutation);</li>
 *   <li>when {@code position + batch <= n} the batch is the next {@code batch} entries of the
 *       permutation (so when {@code position + batch == n} the batch is the tail, and the reshuffle
 *       happens on the NEXT call);</li>
 *   <li>otherwise the batch is the rest of the current permutation, then the permutation is
 *       reshuffled and the batch is filled from its start: a batch may straddle two passes.</li>
 * </ul>
 * TF reorders its data arrays by {@code perm = arange(n); shuffle(perm)}, so each pass is the
 * previous order composed with a fresh permutation. Shuffling the current order in place with
 * Fisher-Yates is that same composition (the swaps that turn {@code arange} into {@code perm} turn
 * {@code order} into {@code order[perm]}), so that is what is done here, with no extra array.
 * Randomness comes from {@link SeededRandom} (TF's NumPy stream is not reproduced; SPEC preamble),
 * whose state is part of {@link State} so that a checkpointed run resumes with the same batches.
 *
 * <p>Not thread-safe. Allocation: {@link #next()} returns a new array; {@link #next(int[])} fills the
 * caller's array and allocates nothing.
 */
public final class TfBatcher {

    private final int poolStart;
    private final int batchSize;
    /** Local indices 0..n-1 in the current pass's order. */
    private final int[] order;
    private final SeededRandom random;
    private int position;
    private long epochsCompleted;
    private boolean started;

    /**
     * @param poolStart first global training index of the pool (MNIST: the validation size, 5,000)
     * @param poolSize  number of examples in the pool (MNIST: 55,000)
     * @param batchSize examples per call of {@link #next()}; 1..poolSize
     * @param seed      seed of the shuffles
     */
    public TfBatcher(int poolStart, int poolSize, int batchSize, long seed) {
        this(poolStart, identity(poolSize), batchSize, new SeededRandom(seed), 0, 0, false);
    }

    /** The batcher of MNIST's training split: the pool after the first {@code validationSize} images. */
    public static TfBatcher forTraining(int trainImageCount, int validationSize, int batchSize, long seed) {
        return new TfBatcher(validationSize, trainImageCount - validationSize, batchSize, seed);
    }

    /**
     * The batch stream of a run of {@code config} (SPEC §2): MNIST's training split, the config's batch
     * size, shuffled by the run seed's "batches" stream, so that a seed gives the same batches on every
     * engine and machine.
     */
    public static TfBatcher forTraining(ExperimentConfig config) {
        return forTraining(MnistShape.TRAIN_IMAGES, config.data().validationSize(), config.training().batchSize(),
                SeededRandom.derive(config.seed(), "batches"));
    }

    private TfBatcher(int poolStart, int[] order, int batchSize, SeededRandom random, int position,
                      long epochsCompleted, boolean started) {
        if (poolStart < 0) {
            throw new IllegalArgumentException("poolStart must be >= 0, got " + poolStart);
        }
        if (order.length < 1) {
            throw new IllegalArgumentException("the pool must hold at least one example");
        }
        if (batchSize < 1 || batchSize > order.length) {
            throw new IllegalArgumentException("batchSize must be 1.." + order.length + " (the pool size), got " + batchSize);
        }
        if (position < 0 || position > order.length) {
            throw new IllegalArgumentException("position must be 0.." + order.length + ", got " + position);
        }
        this.poolStart = poolStart;
        this.order = order;
        this.batchSize = batchSize;
        this.random = Objects.requireNonNull(random);
        this.position = position;
        this.epochsCompleted = epochsCompleted;
        this.started = started;
    }

    private static int[] identity(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, got " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** The next batch as GLOBAL training indices ({@code poolStart + local}); a new array of {@link #batchSize()}. */
    public int[] next() {
        int[] out = new int[batchSize];
        next(out);
        return out;
    }

    /**
     * Fills {@code dst} with the next {@code dst.length} global indices (TF's {@code next_batch(dst.length)};
     * normally {@code dst.length == batchSize()}). Allocates nothing.
     */
    public void next(int[] dst) {
        next(dst, 0, dst.length);
    }

    /**
     * Fills {@code dst} with the next {@code count} batches of {@link #batchSize()}, end to end: batch k at
     * {@code dst[k * batchSize ..]}. Allocates nothing.
     */
    public void next(int[] dst, int count) {
        if ((long) count * batchSize > dst.length) {
            throw new IllegalArgumentException(count + " batches of " + batchSize + " do not fit " + dst.length);
        }
        for (int k = 0; k < count; k++) {
            next(dst, k * batchSize, batchSize);
        }
    }

    private void next(int[] dst, int at, int batch) {
        int n = order.length;
        if (batch < 1 || batch > n) {
            throw new IllegalArgumentException("batch must be 1.." + n + ", got " + batch);
        }
        if (!started) {
            // TF: `if self._epochs_completed == 0 and start == 0 and shuffle`: only ever true on the first call.
            random.shuffle(order);
            started = true;
        }
        int start = position;
        if (start + batch > n) {
            epochsCompleted++;
            int rest = n - start;
            copy(start, dst, at, rest);
            random.shuffle(order);
            position = batch - rest;
            copy(0, dst, at + rest, position);
        } else {
            position = start + batch;
            copy(start, dst, at, batch);
        }
    }

    private void copy(int from, int[] dst, int at, int count) {
        for (int i = 0; i < count; i++) {
            dst[at + i] = poolStart + order[from + i];
        }
    }

    public int batchSize() {
        return batchSize;
    }

    public int poolStart() {
        return poolStart;
    }

    public int poolSize() {
        return order.length;
    }

    /** Completed passes over the pool (TF's {@code _epochs_completed}; not the script's "epochs"). */
    public long epochsCompleted() {
        return epochsCompleted;
    }

    /** Everything needed to continue exactly here; independent of this batcher (copies). */
    public State state() {
        return new State(poolStart, batchSize, order, position, epochsCompleted, started, random.state());
    }

    /** A batcher that yields exactly what the one that produced {@code state} would have yielded next. */
    public static TfBatcher restore(State state) {
        return new TfBatcher(state.poolStart(), state.order(), state.batchSize(), SeededRandom.restore(state.random()),
                state.position(), state.epochsCompleted(), state.started());
    }

    /**
     * A saved batcher, for checkpoints.
     *
     * @param poolStart       first global index of the pool
     * @param batchSize       the default batch size
     * @param order           the current permutation of local indices {@code 0..poolSize-1}
     * @param position        TF's {@code _index_in_epoch}
     * @param epochsCompleted TF's {@code _epochs_completed}
     * @param started         whether the first shuffle happened
     * @param random          the shuffle stream's state
     */
    public record State(int poolStart, int batchSize, int[] order, int position, long epochsCompleted,
                        boolean started, SeededRandom.State random) {

        public State {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(random, "random");
            order = order.clone();
            boolean[] seen = new boolean[order.length];
            for (int v : order) {
                if (v < 0 || v >= order.length || seen[v]) {
                    throw new IllegalArgumentException("order is not a permutation of 0.." + (order.length - 1));
                }
                seen[v] = true;
            }
        }

        @Override
        public int[] order() {
            return order.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && poolStart == s.poolStart && batchSize == s.batchSize
                    && Arrays.equals(order, s.order) && position == s.position
                    && epochsCompleted == s.epochsCompleted && started == s.started && random.equals(s.random);
        }

        @Override
        public int hashCode() {
            return Objects.hash(poolStart, batchSize, Arrays.hashCode(order), position, epochsCompleted, started, random);
        }

        @Override
        public String toString() {
            return "TfBatcher.State[poolStart=" + poolStart + ", poolSize=" + order.length + ", batchSize=" + batchSize
                    + ", position=" + position + ", epochsCompleted=" + epochsCompleted + ", started=" + started + "]";
        }
    }
}
