package mnistxent.parity;

import mnistxent.model.LayerParameters;

import mnistxent.config.ExperimentConfig;
import mnistxent.engine.KernelEngine;
import mnistxent.engine.kernel.MlpKernel;
import mnistxent.engine.kernel.SparseImages;

import java.util.List;

/** The kernel engine's step ({@link MlpKernel}, built as {@link KernelEngine} builds it) as a {@link StepEngine}. */
public final class KernelStepEngine implements StepEngine {

    private final MlpKernel kernel;
    private final int[] rowsOfBatch;

    public KernelStepEngine(ExperimentConfig config, List<LayerParameters> initial) {
        kernel = KernelEngine.kernelFor(config);
        kernel.setParameters(initial);
        rowsOfBatch = new int[config.training().batchSize()];
        for (int i = 0; i < rowsOfBatch.length; i++) {
            rowsOfBatch[i] = i;
        }
    }

    @Override
    public double step(float[] x, float[] y, int rows) {
        int classes = y.length / rows;
        byte[] labels = new byte[rows];
        for (int r = 0; r < rows; r++) {
            int hot = -1;
            for (int j = 0; j < classes; j++) {
                if (y[r * classes + j] == 1f) {
                    hot = j;
                } else if (y[r * classes + j] != 0f) {
                    throw new IllegalArgumentException("the kernel takes one-hot labels");
                }
            }
            labels[r] = (byte) hot;
        }
        return kernel.step(SparseImages.ofDense(x, labels, rows, x.length / rows), rowsOfBatch);
    }

    @Override
    public List<LayerParameters> parameters() {
        return kernel.parameters();
    }
}
