package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.SyntheticImages;
import mnistxent.engine.kernel.MlpKernel;
import mnistxent.engine.kernel.KernelImages;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfInitializer;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The fast CPU engine: the seed's step written out in float32 Java ({@link MlpKernel}), the images held as
 * the kernel reads them ({@link KernelImages}: their lit pixels, bytes and bit sets). Plain Java, whatever
 * the ND4J backend.
 */
public final class KernelEngine implements TrainingEngine {

    /**
     * Steps per {@link #train} call: a few milliseconds of work, so Ctrl-C stops within them, while the
     * per-call bookkeeping stays negligible.
     */
    private static final int STEPS_PER_CALL = 256;
    /** The warm-up's steps per call, and its calls: 6,144 steps at most, as many as before in calls of 16. */
    private static final int WARM_UP_STEPS_PER_CALL = 16;
    private static final int WARM_UP_CALLS = 384;

    /**
     * Set once a kernel trains on real images: the JIT's profiles are the process's, not a kernel's, so
     * from then on real training compiles the kernel and the warm-up stops taking a core from it (~0.2 s of
     * the whole job, README, Performance, "Start-up").
     */
    private static final AtomicBoolean trainingStarted = new AtomicBoolean();

    private final ExperimentConfig config;
    private final MlpKernel kernel;
    /**
     * Holds the parameters of the latest {@link #snapshot} and counts them, on the thread that ends the
     * epoch, while {@link #kernel} trains on (made at the first snapshot).
     */
    private MlpKernel counter;
    private final KernelImages train;
    private final KernelImages validation;
    private final KernelImages test;

    public KernelEngine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial) {
        this.config = config;
        this.kernel = kernelFor(config);
        this.train = KernelImages.of(images.train());
        this.validation = KernelImages.of(images.validation());
        this.test = KernelImages.of(images.test());
        kernel.setParameters(initial);
    }

    /** A kernel with the config's layer sizes, activations, loss, learning rate and batch size. */
    public static MlpKernel kernelFor(ExperimentConfig config) {
        return new MlpKernel(config.network().sizes(), config.network().activations(), config.loss(), config.updater().learningRate(),
                config.updater().l2(), config.training().batchSize());
    }

    /**
     * Starts compiling the kernel before the data is even loaded: a daemon thread runs a few thousand
     * steps of a throwaway kernel of the same shape on {@link SyntheticImages}, so that the JIT has compiled the
     * SIMD loops (very slow until then) by the time training starts. It runs while MNIST is read (README,
     * Performance, "Start-up"), and stops once a kernel trains on real images ({@link #trainingStarted}).
     */
    public static void warmUpInBackground(ExperimentConfig config) {
        Thread t = new Thread(() -> {
            MlpKernel k = kernelFor(config);
            k.setParameters(TfInitializer.draw(config.network(), config.init(), 1));
            int images = 64;
            KernelImages synthetic = KernelImages.of(SyntheticImages.of(images, config.network().inputs()));
            // the calls of training: runs of steps, and an evaluation now and then; in runs shorter than
            // training's, so that the warm-up stops within milliseconds once training starts (a run of
            // STEPS_PER_CALL takes ~0.3 s before the JIT has compiled the kernel)
            int stepsPerCall = WARM_UP_STEPS_PER_CALL;
            int[] batches = new int[stepsPerCall * k.batchSize()];
            float[] losses = new float[stepsPerCall];
            for (int call = 0; call < WARM_UP_CALLS && !trainingStarted.get(); call++) {
                for (int i = 0; i < batches.length; i++) {
                    batches[i] = (call * 31 + i * 7) % images;
                }
                k.steps(synthetic, batches, 0, stepsPerCall, losses);
                MlpKernel.exerciseScalarFallbacks();    // after each run, once the JIT profiles the kernel
                if (call % 32 == 31) {
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
        if (!trainingStarted.get()) {
            trainingStarted.set(true);
        }
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

    /**
     * A copy of the parameters in a second kernel, which counts the test and validation images when asked,
     * on whatever thread asks, while this engine trains on: an epoch's evaluation leaves the training thread
     * (README, Performance, "Epoch ends"). The copy is good until the next snapshot.
     */
    @Override
    public EpochSnapshot snapshot() {
        if (counter == null) {
            counter = kernelFor(config);
        }
        counter.copyParametersFrom(kernel);
        MlpKernel copy = counter;
        return new EpochSnapshot() {
            @Override
            public List<LayerParameters> parameters() {
                return copy.parameters();
            }

            @Override
            public int correctOnTest() {
                return copy.countCorrect(test);
            }

            @Override
            public int correctOnValidation() {
                return validation.count() == 0 ? 0 : copy.countCorrect(validation);
            }

            @Override
            public boolean countsLater() {
                return true;
            }
        };
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
