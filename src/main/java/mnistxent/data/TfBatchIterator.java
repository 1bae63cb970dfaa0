package mnistxent.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The seed script's training loop as a DL4J iterator (docs/SPEC.md §2): each "epoch" is
 * {@code stepsPerEpoch} calls of TF's {@code next_batch} ({@link TfBatcher}), not a pass over the data.
 * {@link #reset()} starts the next epoch and does NOT reset the batcher, so the permutation and its
 * position run on across epochs as in TF (30 epochs of 5,000 steps = about 27.3 passes).
 *
 * <p>Each {@link DataSet} has features {@code [batch, 784]} float32 scaled as TF scales them
 * ({@link TfPixels}) and labels {@code [batch, 10]} float32 one-hot. The only per-step allocations
 * are the batch itself (two small arrays and the DataSet): the index and staging buffers are reused.
 * {@link #asyncSupported()} is false: DL4J's prefetch thread would draw batches ahead of the step
 * being trained, which would make the batcher's state at a checkpoint run ahead of the training.
 */
public final class TfBatchIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;
    private static final List<String> LABELS =
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final transient MnistData data;
    private final TfBatcher batcher;
    private final int stepsPerEpoch;
    private int step;
    private int[] indices;
    private float[] features;
    private float[] labels;
    private DataSetPreProcessor preProcessor;

    /** Starts at the beginning of an epoch. */
    public TfBatchIterator(MnistData data, TfBatcher batcher, int stepsPerEpoch) {
        this(data, batcher, stepsPerEpoch, 0);
    }

    /**
     * @param stepInEpoch steps of the current epoch already done (resuming a checkpoint taken mid-epoch
     *                    together with the batcher's {@link TfBatcher.State})
     */
    public TfBatchIterator(MnistData data, TfBatcher batcher, int stepsPerEpoch, int stepInEpoch) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch must be >= 1, got " + stepsPerEpoch);
        }
        if (stepInEpoch < 0 || stepInEpoch > stepsPerEpoch) {
            throw new IllegalArgumentException("stepInEpoch must be 0.." + stepsPerEpoch + ", got " + stepInEpoch);
        }
        if (batcher.poolStart() + batcher.poolSize() > data.trainImageCount()) {
            throw new IllegalArgumentException("the batcher's pool [" + batcher.poolStart() + ", "
                    + (batcher.poolStart() + batcher.poolSize()) + ") exceeds the " + data.trainImageCount()
                    + " training images");
        }
        this.data = data;
        this.batcher = batcher;
        this.stepsPerEpoch = stepsPerEpoch;
        this.step = stepInEpoch;
        allocate(batcher.batchSize());
    }

    private void allocate(int batch) {
        indices = new int[batch];
        features = new float[batch * MnistData.PIXELS];
        labels = new float[batch * MnistData.CLASSES];
    }

    /** The batcher, whose {@link TfBatcher#state()} a checkpoint saves. */
    public TfBatcher batcher() {
        return batcher;
    }

    /** Steps done in the current epoch. */
    public int stepInEpoch() {
        return step;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public boolean hasNext() {
        return step < stepsPerEpoch;
    }

    @Override
    public DataSet next() {
        return next(batcher.batchSize());
    }

    /** A batch of {@code num} examples (TF's {@code next_batch(num)}); normally {@code num == batch()}. */
    @Override
    @SuppressWarnings("try") // the workspace scope is used for its effect, not referenced
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch finished after " + stepsPerEpoch + " steps; call reset() for the next");
        }
        if (num != indices.length) {
            allocate(num);
        }
        batcher.next(indices);
        Arrays.fill(labels, 0f);
        for (int k = 0; k < num; k++) {
            data.copyScaledPixels(indices[k], features, k * MnistData.PIXELS);
            labels[k * MnistData.CLASSES + data.trainLabel(indices[k])] = 1f;
        }
        DataSet ds;
        // Outside any workspace: the batch must outlive whatever scope the caller is in.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray f = Nd4j.create(features, new long[] {num, MnistData.PIXELS}, DataType.FLOAT);
            INDArray l = Nd4j.create(labels, new long[] {num, MnistData.CLASSES}, DataType.FLOAT);
            ds = new DataSet(f, l);
        }
        step++;
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public int inputColumns() {
        return MnistData.PIXELS;
    }

    @Override
    public int totalOutcomes() {
        return MnistData.CLASSES;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Starts the next epoch of {@code stepsPerEpoch} steps; the batcher carries on where it was. */
    @Override
    public void reset() {
        step = 0;
    }

    @Override
    public int batch() {
        return batcher.batchSize();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return LABELS;
    }
}
