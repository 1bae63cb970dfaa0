package mnistxent.engine;

import mnistxent.config.Activation;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LayerSpec;
import mnistxent.data.MnistData;
import mnistxent.data.TfPixels;
import mnistxent.model.TfParameters;
import mnistxent.engine.kernel.MlpKernel;
import mnistxent.engine.kernel.SparseImages;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/**
 * The fast engine: the network's parameters are copied into an {@link MlpKernel}, trained there,
 * and written back into the DL4J network whenever the trainer syncs (each epoch, checkpoint, stop).
 * Plain Java on the CPU whatever the ND4J backend.
 */
public final class KernelEngine implements TrainingEngine {

    private final MultiLayerNetwork network;
    private final MlpKernel kernel;
    private final SparseImages train;
    private final SparseImages validation;
    private final SparseImages test;

    public KernelEngine(MultiLayerNetwork network, ExperimentConfig config, MnistData data) {
        this.network = network;
        this.kernel = kernelFor(config);
        int pixels = MnistData.PIXELS;
        this.train = SparseImages.of(data.trainPixels(), data.trainLabels(), data.trainImageCount(), pixels,
                TfPixels.SCALE);
        // The validation images are the first validation-size training images (SPEC §1).
        int v = config.data().validationSize();
        this.validation = SparseImages.of(data.trainPixels(), data.trainLabels(), v, pixels,
                TfPixels.SCALE);
        this.test = SparseImages.of(data.testPixels(), data.testLabels(), data.testImageCount(), pixels,
                TfPixels.SCALE);
        reloadFromNetwork();
    }

    /** A kernel with the config's layer sizes, activations, loss, learning rate and batch size. */
    public static MlpKernel kernelFor(ExperimentConfig config) {
        List<LayerSpec> layers = config.network().layers();
        int[] sizes = new int[layers.size() + 1];
        Activation[] activations = new Activation[layers.size()];
        sizes[0] = config.network().inputs();
        for (int i = 0; i < layers.size(); i++) {
            sizes[i + 1] = layers.get(i).units();
            activations[i] = layers.get(i).activation();
        }
        return new MlpKernel(sizes, activations, config.loss(), config.updater().learningRate(),
                config.updater().l2(), config.training().batchSize());
    }

    /**
     * Starts compiling the kernel before the data is even loaded: a daemon thread runs a few
     * thousand steps of a throwaway kernel of the same shape on synthetic images, so the JIT has
     * compiled the SIMD loops (which are very slow until then) by the time training starts. It uses
     * the second core while the main thread initialises ND4J and reads MNIST.
     */
    public static void warmUpInBackground(ExperimentConfig config) {
        Thread t = new Thread(() -> {
            MlpKernel k = kernelFor(config);
            k.setParameters(mnistxent.model.TfInitializer.draw(config.network(), config.init(), 1));
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
            int[] batch = new int[k.batchSize()];
            for (int step = 0; step < 6_000; step++) {
                for (int e = 0; e < batch.length; e++) {
                    batch[e] = (step * 31 + e * 7) % images;
                }
                k.step(synthetic, batch);
                if (step % 1_000 == 0) {
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
    public float step(int[] trainIndices) {
        return kernel.step(train, trainIndices);
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
    public void syncToNetwork() {
        TfParameters.write(network, kernel.parameters());
    }

    @Override
    public void reloadFromNetwork() {
        kernel.setParameters(TfParameters.read(network));
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }
}
