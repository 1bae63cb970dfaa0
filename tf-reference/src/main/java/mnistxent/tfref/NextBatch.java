package mnistxent.tfref;

import java.util.Random;

/**
 * {@code mnist.train.next_batch(batch)} (TF 1.1's {@code DataSet}), docs/SPEC.md §2: a permutation of
 * the examples and a position in it. The first call shuffles; a call that would run past the end takes
 * what is left, reshuffles, and fills the rest of the batch from the start of the new permutation.
 * The order comes from {@link Random}, not NumPy's Mersenne Twister (SPEC: the distribution and its use
 * are reproduced, not the stream).
 */
final class NextBatch {

    private final int[] order;
    private final Random random;
    private int position;
    private boolean started;

    NextBatch(int examples, Random random) {
        this.order = new int[examples];
        for (int i = 0; i < examples; i++) {
            order[i] = i;
        }
        this.random = random;
    }

    /** Fills {@code out} with the next batch's example indices, {@code out.length} of them. */
    void next(int[] out) {
        int n = order.length;
        if (out.length > n) {
            throw new IllegalArgumentException("batch " + out.length + " > " + n + " examples");
        }
        if (!started) {
            shuffle();    // SPEC §2: on the very first call
            started = true;
        }
        if (position + out.length > n) {
            // SPEC §2: the rest of this pass, then the start of a freshly shuffled one.
            int rest = n - position;
            System.arraycopy(order, position, out, 0, rest);
            shuffle();
            position = out.length - rest;
            System.arraycopy(order, 0, out, rest, position);
        } else {
            System.arraycopy(order, position, out, 0, out.length);
            position += out.length;
        }
    }

    /** A uniform permutation (Fisher-Yates), what {@code numpy.random.shuffle} draws. */
    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
