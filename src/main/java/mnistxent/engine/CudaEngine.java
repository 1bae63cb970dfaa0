package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.LabelledImages;
import mnistxent.engine.cuda.CudaMlp;
import mnistxent.engine.cuda.GpuInfo;
import mnistxent.engine.cuda.KernelLayout;
import mnistxent.model.LayerParameters;

import java.util.List;

/**
 * The GPU engine: the seed's step as CUDA C ({@link CudaMlp}), a whole epoch of steps per launch on an
 * NVIDIA GPU. It computes MlpKernel's float32 operations in MlpKernel's order, so it trains like the
 * kernel engine (and like TensorFlow: the parity tests). Needs only the NVIDIA driver.
 */
public final class CudaEngine implements TrainingEngine {

    private final CudaMlp gpu;
    private final int batch;
    private final int validationCount;
    private final int testCount;

    public CudaEngine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial) {
        this.batch = config.training().batchSize();
        this.validationCount = images.validation().count();
        this.testCount = images.test().count();
        if (images.validation().count() > 0 && images.validation().pixels() != images.train().pixels()) {
            throw new IllegalArgumentException("the validation images must be the first training images (SPEC §1)");
        }
        this.gpu = new CudaMlp(config.network().sizes(), config.network().activations(), config.loss(), config.updater().learningRate(),
                config.updater().l2(), batch, 1, pack(images.train()), pack(images.test()));
        gpu.setParameters(List.of(initial));
    }

    static KernelLayout.PackedImages pack(LabelledImages images) {
        return KernelLayout.packImages(images.pixels(), images.labels(), images.count(), images.width());
    }

    /** Wall time spent in GPU launches so far (their uploads and downloads included). */
    public double gpuSeconds() {
        return gpu.gpuSeconds();
    }

    /** The GPU it runs on. */
    public GpuInfo device() {
        return gpu.gpu();
    }

    @Override
    public EngineKind kind() {
        return EngineKind.CUDA;
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public void train(int[] batches, int count, float[] losses) {
        gpu.train(batches, count, losses);
    }

    /** A whole epoch per launch: it runs in milliseconds, so a stop request still waits for little. */
    @Override
    public int preferredStepsPerCall() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int correctOnTest() {
        return gpu.correctOnTest()[0];
    }

    @Override
    public int correctOnValidation() {
        return gpu.correctOnTrainingPrefix(validationCount)[0];
    }

    @Override
    public int testCount() {
        return testCount;
    }

    @Override
    public int validationCount() {
        return validationCount;
    }

    @Override
    public List<LayerParameters> parameters() {
        return gpu.parameters().get(0);
    }

    @Override
    public void setParameters(List<LayerParameters> parameters) {
        gpu.setParameters(List.of(parameters));
    }

    @Override
    public void close() {
        gpu.close();
    }
}
