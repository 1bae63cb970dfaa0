package mnistxent.model;

import mnistxent.config.Activation;
import mnistxent.config.DistributionSpec;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LayerSpec;
import mnistxent.config.LossKind;
import mnistxent.config.NetworkSpec;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place where a validated {@link ExperimentConfig} becomes a DL4J network
 * (SPEC §3-§5): dense sigmoid layers, float32, the TF-exact loss, plain SGD, TF's init.
 */
public final class NetworkFactory {

    private NetworkFactory() {
    }

    /** The DL4J configuration of the experiment (what a saved model zip stores). */
    public static MultiLayerConfiguration configuration(ExperimentConfig config) {
        NetworkSpec net = config.network();
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)                                   // SPEC §3: float32 throughout
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .miniBatch(true)                                            // DL4J divides by the batch size
                .updater(new Sgd(config.updater().learningRate()))          // SPEC §5: p <- p - lr * grad
                .biasInit(0.0);                                             // overwritten by TfInitializer
        if (config.hasSeed()) {
            base.seed(config.seed());
        }
        if (config.updater().l2() > 0) {
            // weights only; SPEC §8 extra. Not base.l2(): its score term is summed in float32 (TfL2Regularization)
            base.regularization(new ArrayList<>(List.of(new TfL2Regularization(config.updater().l2()))));
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        int last = net.layers().size() - 1;
        for (int i = 0; i <= last; i++) {
            LayerSpec layer = net.layers().get(i);
            int nIn = net.fanIn(i);
            DistributionSpec w = config.init().weights();
            // Describes the weight draw for readers of the DL4J config; the values come from TfInitializer.
            NormalDistribution weightDist = new NormalDistribution(w.effectiveMean(nIn), w.effectiveStd(nIn));
            if (i < last) {
                list.layer(new DenseLayer.Builder().nIn(nIn).nOut(layer.units())
                        .activation(dl4jActivation(layer.activation())).weightInit(weightDist).build());
            } else {
                list.layer(new OutputLayer.Builder(loss(config.loss())).nIn(nIn).nOut(layer.units())
                        .activation(dl4jActivation(layer.activation())).weightInit(weightDist).build());
            }
        }
        return list.build();
    }

    /**
     * A ready network: DL4J's configuration, initialised, then every weight and bias redrawn from the
     * configured distributions with the config's seed (which must be set: see
     * {@link ExperimentConfig#hasSeed()}).
     */
    public static MultiLayerNetwork create(ExperimentConfig config) {
        return create(config, TfInitializer.initial(config));
    }

    /**
     * The config's network holding {@code parameters} instead of a random draw ({@code train --init},
     * {@code replay}): TF's variables, read from NumPy files ({@link NpyParameters}). The seed is not used.
     */
    public static MultiLayerNetwork create(ExperimentConfig config, List<LayerParameters> parameters) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(config));
        network.init();
        TfParameters.write(network, parameters);
        return network;
    }

    public static ILossFunction loss(LossKind kind) {
        return switch (kind) {
            case SIGMOID_CROSS_ENTROPY_WITH_LOGITS -> new TfSigmoidCrossEntropyLoss();
            case QUADRATIC -> new TfQuadraticLoss();
        };
    }

    static org.nd4j.linalg.activations.Activation dl4jActivation(Activation activation) {
        return switch (activation) {
            case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
            case TANH -> org.nd4j.linalg.activations.Activation.TANH;
            case RELU -> org.nd4j.linalg.activations.Activation.RELU;
        };
    }
}
