package mnistxent.replay;

import mnistxent.npy.NpyArrays;
import mnistxent.npy.NpyException;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The minibatches of a run to replay: row k holds the indices, into the 60,000 MNIST training images in
 * file order (before the validation split of SPEC §1), of the examples of step k, in batch order. Read from
 * a NumPy int32 array {@code [K, batch]} (int64, NumPy's default integer, is accepted too).
 *
 * @param steps the number of rows, K
 * @param batch the number of columns
 */
public record BatchIndices(int steps, int batch, int[] indices) {

    public BatchIndices {
        if (steps < 1 || batch < 1 || indices.length != (long) steps * batch) {
            throw new IllegalArgumentException(steps + " x " + batch + " batches with " + indices.length + " indices");
        }
        indices = indices.clone();
    }

    /** Step k's indices (a fresh array). */
    public int[] row(int k) {
        return Arrays.copyOfRange(indices, k * batch, (k + 1) * batch);
    }

    /**
     * Reads and checks {@code file}: rank 2, at least one row, {@code batchSize} columns, every index in
     * {@code [0, imageCount)}.
     */
    public static BatchIndices read(Path file, int batchSize, int imageCount) {
        NpyArrays.Integers a = NpyArrays.readIntegers(file, 2, "the batch indices [K, batch]");
        long[] shape = a.shape();
        if (shape[1] != batchSize) {
            throw new NpyException(file + " has batches of " + shape[1] + " (shape (" + shape[0] + ", " + shape[1]
                    + ")) but the config's training.batch-size is " + batchSize
                    + "; give a config with batch-size " + shape[1] + " or batches of " + batchSize);
        }
        if (shape[0] > Integer.MAX_VALUE / Math.max(1, shape[1])) {
            throw new NpyException(file + " has too many rows (" + shape[0] + ")");
        }
        long[] values = a.values();
        int[] indices = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v < 0 || v >= imageCount) {
                throw new NpyException(file + ": row " + i / batchSize + ", column " + i % batchSize + " holds " + v
                        + ", outside 0.." + (imageCount - 1) + " (indices are into the " + imageCount
                        + " MNIST training images in file order, before any split)");
            }
            indices[i] = (int) v;
        }
        return new BatchIndices((int) shape[0], batchSize, indices);
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }
}
