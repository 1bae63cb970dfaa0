package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.engine.cuda.CudaMlp;
import mnistxent.engine.cuda.GpuInfo;
import mnistxent.engine.cuda.KernelLayout;
import mnistxent.model.LayerParameters;

import java.util.List;

/**
 * R runs on the GPU, a thread block each, every launch shared ({@link CudaMlp}): what makes a study of
 * hundreds of seeds fill a GPU. Device memory per run: its parameters (104 KB for the seed's network), the
 * batch indices of one launch (an epoch: 200 KB) and its losses (20 KB); the images are shared.
 */
public final class CudaRuns implements MultiRunEngine {

    private final CudaMlp gpu;
    private final int batch;
    private final int validationCount;
    private final int testCount;
    private List<List<LayerParameters>> downloaded;

    public CudaRuns(ExperimentConfig config, ImageSets images, List<List<LayerParameters>> initial) {
        this.batch = config.training().batchSize();
        this.validationCount = images.validation().count();
        this.testCount = images.test().count();
        this.gpu = new CudaMlp(config.network().sizes(), config.network().activations(), config.loss(),
                config.updater().learningRate(), config.updater().l2(), batch, initial.size(),
                KernelLayout.packImages(images.train()), KernelLayout.packImages(images.test()));
        gpu.setParameters(initial);
    }

    @Override
    public EngineKind kind() {
        return EngineKind.CUDA;
    }

    @Override
    public int runs() {
        return gpu.runs();
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public void train(int[] batches, int steps, float[] losses) {
        downloaded = null;
        gpu.train(batches, steps, losses);
    }

    @Override
    public int[] correctOnTest() {
        return gpu.correctOnTest();
    }

    @Override
    public int[] correctOnValidation() {
        return gpu.correctOnTrainingPrefix(validationCount);
    }

    @Override
    public int testCount() {
        return testCount;
    }

    @Override
    public int validationCount() {
        return validationCount;
    }

    /** Run {@code run}'s parameters; every run's are read from the device at once, after the last launch. */
    @Override
    public List<LayerParameters> parameters(int run) {
        if (downloaded == null) {       // after a launch, every run's are read at once
            downloaded = gpu.parameters();
        }
        return downloaded.get(run);
    }

    /** Replaces every run's parameters. */
    public void setParameters(List<List<LayerParameters>> parameters) {
        downloaded = null;
        gpu.setParameters(parameters);
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
    public void close() {
        gpu.close();
    }
}
