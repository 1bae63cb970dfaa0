package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.engine.cuda.GpuInfo;
import mnistxent.model.LayerParameters;

import java.util.List;

/**
 * The GPU engine: the seed's step as CUDA C, a whole epoch of steps per launch on an NVIDIA GPU. One run
 * of {@link CudaRuns} (a GPU launch trains as many runs as it is given; this is one). It computes MlpKernel's
 * float32 operations in MlpKernel's order, so it trains like the kernel engine (and like TensorFlow: the
 * parity tests). Needs only the NVIDIA driver.
 */
public final class CudaEngine implements TrainingEngine {

    private final CudaRuns run;

    public CudaEngine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial) {
        if (images.validation().count() > 0 && images.validation().pixels() != images.train().pixels()) {
            throw new IllegalArgumentException("the validation images must be the first training images (SPEC §1)");
        }
        this.run = new CudaRuns(config, images, List.of(initial));
    }

    /** Wall time spent in GPU launches so far (their uploads and downloads included). */
    public double gpuSeconds() {
        return run.gpuSeconds();
    }

    /** The GPU it runs on. */
    public GpuInfo device() {
        return run.device();
    }

    @Override
    public EngineKind kind() {
        return EngineKind.CUDA;
    }

    @Override
    public int batchSize() {
        return run.batchSize();
    }

    @Override
    public void train(int[] batches, int count, float[] losses) {
        run.train(batches, count, losses);
    }

    /** A whole epoch per launch: it runs in milliseconds, so a stop request still waits for little. */
    @Override
    public int preferredStepsPerCall() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int correctOnTest() {
        return run.correctOnTest()[0];
    }

    @Override
    public int correctOnValidation() {
        return run.correctOnValidation()[0];
    }

    @Override
    public int testCount() {
        return run.testCount();
    }

    @Override
    public int validationCount() {
        return run.validationCount();
    }

    @Override
    public List<LayerParameters> parameters() {
        return run.parameters(0);
    }

    @Override
    public void setParameters(List<LayerParameters> parameters) {
        run.setParameters(List.of(parameters));
    }

    @Override
    public void close() {
        run.close();
    }
}
