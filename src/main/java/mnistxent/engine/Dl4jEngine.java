package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.config.MnistShape;
import mnistxent.data.ImageSets;
import mnistxent.data.LabelledImages;
import mnistxent.model.LayerParameters;
import mnistxent.model.NetworkFactory;
import mnistxent.model.TfParameters;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * The reference engine: stock {@code MultiLayerNetwork.fit(DataSet)}, one call per batch, on whatever
 * ND4J backend the build selected (CPU, or CUDA on the GPUs ND4J supports). Its per-op overhead makes it
 * slow (README, Performance), but it is DL4J doing all the work, so it is the yardstick for the other
 * engines.
 */
public final class Dl4jEngine implements TrainingEngine {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Dl4jEngine.class);

    private final MultiLayerNetwork network;
    private final LabelledImages train;
    private final int batch;
    private final float[] features;
    private final float[] labels;
    private final Evaluation test;
    private final Evaluation validation;

    public Dl4jEngine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial) {
        useOneCpuThread();
        this.network = NetworkFactory.create(config, initial);
        this.train = images.train();
        this.batch = config.training().batchSize();
        this.features = new float[batch * train.width()];
        this.labels = new float[batch * MnistShape.CLASSES];
        this.test = new Evaluation(images.test());
        this.validation = new Evaluation(images.validation());
    }

    /**
     * On the CPU backend, ND4J's ops run on one thread: a step's matrices are at most 10x784 and 784x30,
     * far too small to repay handing work to a second thread (README, Performance: one thread is faster).
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
    public int batchSize() {
        return batch;
    }

    @Override
    public void train(int[] batches, int count, float[] losses) {
        int width = train.width();
        for (int k = 0; k < count; k++) {
            Arrays.fill(labels, 0f);
            for (int e = 0; e < batch; e++) {
                int n = batches[k * batch + e];
                train.copyScaled(n, features, e * width);
                labels[e * MnistShape.CLASSES + train.label(n)] = 1f;
            }
            INDArray x = Nd4j.create(features, new long[]{batch, width}, DataType.FLOAT);
            INDArray y = Nd4j.create(labels, new long[]{batch, MnistShape.CLASSES}, DataType.FLOAT);
            network.fit(new DataSet(x, y));
            // fit computes the score in the same forward pass as the gradient, before the update
            losses[k] = (float) network.score();
        }
    }

    /** One step per call: a step takes milliseconds here, so Ctrl-C is honoured after the step in progress. */
    @Override
    public int preferredStepsPerCall() {
        return 1;
    }

    @Override
    public int correctOnTest() {
        return test.correct(network);
    }

    @Override
    public int correctOnValidation() {
        return validation.correct(network);
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
        return TfParameters.read(network);
    }

    @Override
    public void setParameters(List<LayerParameters> parameters) {
        TfParameters.write(network, parameters);
    }

    /** A fixed evaluation set: argmax of the network's output against the labels (SPEC §6). */
    private static final class Evaluation {
        private final int count;
        private final INDArray features;
        private final INDArray labelIndex;

        Evaluation(LabelledImages images) {
            this.count = images.count();
            if (count == 0) {
                features = null;
                labelIndex = null;
                return;
            }
            float[] x = new float[count * images.width()];
            float[] y = new float[count];
            for (int n = 0; n < count; n++) {
                images.copyScaled(n, x, n * images.width());
                y[n] = images.label(n);
            }
            this.features = Nd4j.create(x, new long[]{count, images.width()}, DataType.FLOAT);
            this.labelIndex = Nd4j.create(y, new long[]{count}, DataType.FLOAT);
        }

        int count() {
            return count;
        }

        int correct(MultiLayerNetwork network) {
            if (count == 0) {
                return 0;
            }
            INDArray predicted = network.output(features, false).argMax(1).castTo(DataType.FLOAT);
            return predicted.eq(labelIndex).castTo(DataType.INT).sumNumber().intValue();
        }
    }
}
