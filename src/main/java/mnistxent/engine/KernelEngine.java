package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.TfPixels;
import mnistxent.engine.kernel.MlpKernel;
import mnistxent.engine.kernel.SparseImages;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfInitializer;

import java.util.List;

/**
 * The fast CPU engine: the seed's step written out in float32 Java ({@link MlpKernel}), the images held
 * sparsely ({@link SparseImages}). Plain Java, whatever the ND4J backend.
 */
public final class KernelEngine implements TrainingEngine {

    /**
     * Steps per {@link #train} call: a few milliseconds of work, so Ctrl-C stops within them, while the
     * per-call bookkeeping stays negligible.
     */
    private static final int STEPS_PER_CALL = 256;

    private final MlpKernel kernel;
    private final SparseImages train;
    private final SparseImages validation;
    private final SparseImages test;

    public KernelEngine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial) {
        this.kernel = kernelFor(config);
        this.train = SparseImages.of(images.train());
        this.validation = SparseImages.of(images.validation());
        this.test = SparseImages.of(images.test());
        kernel.setParameters(initial);
    }

    /** A kernel with the config's layer sizes, activations, loss, learning rate and batch size. */
    public static MlpKernel kernelFor(ExperimentConfig config) {
        return new MlpKernel(config.network().sizes(), config.network().activations(), config.loss(), config.updater().learningRate(),
                config.updater().l2(), config.training().batchSize());
    }

    /**
     * Starts compiling the kernel before the data is even loaded: a daemon thread runs a few thousand
     * steps of a throwaway kernel of the same shape on synthetic images, so that the JIT has compiled the
     * SIMD loops (very slow until then) by the time training starts. It uses the second core while the
     * main thread initialises ND4J and reads MNIST.
     */
    public static void warmUpInBackground(ExperimentConfig config) {
        Thread t = new Thread(() -> {
            MlpKernel k = kernelFor(config);
            k.setParameters(TfInitializer.draw(config.network(), config.init(), 1));
            int pixels = config.network().inputs();
            int images = 64;
            byte[] px = new byte[images * pixels];
            byte[] labels = new byte[images];
            for (int n = 0; n < images; n++) {
                labels[n] = (byte) (n % 10);
                for (int p = (n * 7) % 5; p < pixels; p += 5) {     // ~20% lit, like MNIST
                    px[n * pixels + p] = (byte) (1 + (n + p) % 255);
                }
            }
            SparseImages synthetic = SparseImages.of(px, labels, images, pixels, TfPixels.SCALE);
            // the same calls as training: runs of STEPS_PER_CALL steps, then an evaluation
            int[] batches = new int[STEPS_PER_CALL * k.batchSize()];
            float[] losses = new float[STEPS_PER_CALL];
            for (int call = 0; call < 24; call++) {
                for (int i = 0; i < batches.length; i++) {
                    batches[i] = (call * 31 + i * 7) % images;
                }
                k.steps(synthetic, batches, 0, STEPS_PER_CALL, losses);
                if (call % 4 == 3) {
                    k.countCorrect(synthetic);
                }
            }
        }, "kernel-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    @Override
    public EngineKind kind() {
        return EngineKind.KERNEL;
    }

    @Override
    public int batchSize() {
        return kernel.batchSize();
    }

    @Override
    public void train(int[] batches, int count, float[] losses) {
        kernel.steps(train, batches, 0, count, losses);
    }

    @Override
    public int preferredStepsPerCall() {
        return STEPS_PER_CALL;
    }

    @Override
    public int correctOnTest() {
        return kernel.countCorrect(test);
    }

    @Override
    public int correctOnValidation() {
        return kernel.countCorrect(validation);
    }

    @Override
    public int testCount() {
        return test.count();
    }

    @Override
    public int validationCount() {
        return validation.count();
    }

    @Override
    public List<LayerParameters> parameters() {
        return kernel.parameters();
    }

    @Override
    public void setParameters(List<LayerParameters> parameters) {
        kernel.setParameters(parameters);
    }
}
