package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.MnistData;
import mnistxent.data.MnistDataVec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The reference engine: stock {@code MultiLayerNetwork.fit(DataSet)}, one call per batch, on
 * whatever ND4J backend the build selected (CPU or CUDA). Its per-op overhead makes it slow
 * (~400-800 steps/s here) but it is DL4J doing all the work, so it is the yardstick for the
 * kernel engine.
 */
public final class Dl4jEngine implements TrainingEngine {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Dl4jEngine.class);

    private final MultiLayerNetwork network;
    private final MnistData data;
    private final int batch;
    private final float[] features;
    private final float[] labels;
    private final Evaluation test;
    private final Evaluation validation;

    /**
     * @param dataDir the verified MNIST directory: the evaluation sets are read through DataVec
     *                ({@link MnistDataVec}), the way a DL4J program is fed
     */
    public Dl4jEngine(MultiLayerNetwork network, ExperimentConfig config, MnistData data, Path dataDir) {
        useOneCpuThread();
        this.network = network;
        this.data = data;
        this.batch = config.training().batchSize();
        this.features = new float[batch * MnistData.PIXELS];
        this.labels = new float[batch * MnistData.CLASSES];
        this.test = new Evaluation(MnistDataVec.testSet(dataDir));
        int v = config.data().validationSize();
        this.validation = v == 0 ? null : new Evaluation(MnistDataVec.validationSet(dataDir, v));
    }

    /**
     * On the CPU backend, ND4J's ops run on one thread: a step's matrices are at most 10x784 and
     * 784x30, far too small to repay handing work to a second thread. Measured with {@code bench}
     * on this 2-core machine: ~700 steps/s with one thread, ~540 with two (OpenMP's default).
     */
    private static void useOneCpuThread() {
        if ("CPU".equals(String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().get("backend")))) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            Nd4j.factory().blas().setMaxThreads(1);
            log.debug("dl4j engine: ND4J CPU ops and BLAS limited to 1 thread");
        }
    }

    @Override
    public EngineKind kind() {
        return EngineKind.DL4J;
    }

    @Override
    public float step(int[] trainIndices) {
        Arrays.fill(labels, 0f);
        for (int e = 0; e < batch; e++) {
            int n = trainIndices[e];
            data.copyScaledPixels(n, features, e * MnistData.PIXELS);
            labels[e * MnistData.CLASSES + (data.trainLabels()[n] & 0xFF)] = 1f;
        }
        INDArray x = Nd4j.create(features, new long[]{batch, MnistData.PIXELS}, DataType.FLOAT);
        INDArray y = Nd4j.create(labels, new long[]{batch, MnistData.CLASSES}, DataType.FLOAT);
        network.fit(new DataSet(x, y));
        return (float) network.score();
    }

    @Override
    public int correctOnTest() {
        return test.correct(network);
    }

    @Override
    public int correctOnValidation() {
        return validation == null ? 0 : validation.correct(network);
    }

    @Override
    public int testCount() {
        return test.count();
    }

    @Override
    public int validationCount() {
        return validation == null ? 0 : validation.count();
    }

    @Override
    public void syncToNetwork() {
        // the network is the engine: nothing to copy
    }

    @Override
    public void reloadFromNetwork() {
        // the network is the engine: nothing to copy
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }

    /** A fixed evaluation set: argmax of the network's output against the one-hot labels (SPEC §6). */
    private static final class Evaluation {
        private final INDArray features;
        private final INDArray labelIndex;

        Evaluation(DataSet set) {
            this.features = set.getFeatures();
            this.labelIndex = set.getLabels().argMax(1);
        }

        int count() {
            return (int) features.size(0);
        }

        int correct(MultiLayerNetwork network) {
            INDArray predicted = network.output(features, false).argMax(1);
            return predicted.eq(labelIndex).castTo(DataType.INT).sumNumber().intValue();
        }
    }
}
