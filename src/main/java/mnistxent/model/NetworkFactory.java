package mnistxent.model;

import mnistxent.config.Activation;
import mnistxent.config.DistributionSpec;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LayerSpec;
import mnistxent.config.LossKind;
import mnistxent.config.NetworkSpec;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
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

    /**
     * The DL4J configuration of the experiment (what a saved model zip stores), built without starting ND4J.
     *
     * <p>Why not DL4J's own list builder: its {@code seed(long)} and its {@code build()} both seed ND4J's random
     * generator, which starts ND4J (its native library and thread pool: ~1 s of a core). The kernel and CUDA
     * engines write their zips from this configuration without ND4J (README, Performance, "Start-up"), so the
     * seed is recorded in the builder's field and the layers' configurations are put together as the list
     * builder puts them, with the names of their parameters as the network's initialisation adds them.
     * {@code NetworkFactoryTest} holds the result equal, JSON for JSON, to the configuration of a network
     * initialised from the list builder's: what {@code ModelSerializer} writes into a zip.
     */
    public static MultiLayerConfiguration configuration(ExperimentConfig config) {
        NetworkSpec net = config.network();
        SeedRecordingBuilder base = new SeedRecordingBuilder();
        base.dataType(DataType.FLOAT)                                       // SPEC §3: float32 throughout
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .miniBatch(true)                                            // DL4J divides by the batch size
                .updater(new Sgd(config.updater().learningRate()))          // SPEC §5: p <- p - lr * grad
                .biasInit(0.0);                                             // overwritten by TfInitializer
        if (config.hasSeed()) {
            base.recordSeed(config.seed());
        }
        if (config.updater().l2() > 0) {
            // weights only; SPEC §8 extra. Not base.l2(): its score term is summed in float32 (TfL2Regularization)
            base.regularization(new ArrayList<>(List.of(new TfL2Regularization(config.updater().l2()))));
        }
        List<NeuralNetConfiguration> layers = new ArrayList<>();
        int last = net.layers().size() - 1;
        for (int i = 0; i <= last; i++) {
            NeuralNetConfiguration layer = base.clone().layer(layer(config, i, i == last)).build();
            // the parameters' names, as DL4J's initialisation of the network records them in it (idempotent)
            layer.addVariable(DefaultParamInitializer.WEIGHT_KEY);
            layer.addVariable(DefaultParamInitializer.BIAS_KEY);
            layers.add(layer);
        }
        MultiLayerConfiguration configuration = new MultiLayerConfiguration();
        configuration.setConfs(layers);
        configuration.setDataType(DataType.FLOAT);
        configuration.setCacheMode(CacheMode.NONE);
        return configuration;
    }

    /** Layer {@code i} of the network, named as DL4J's list builder names it. */
    static Layer layer(ExperimentConfig config, int i, boolean output) {
        NetworkSpec net = config.network();
        LayerSpec spec = net.layers().get(i);
        int nIn = net.fanIn(i);
        DistributionSpec w = config.init().weights();
        // Describes the weight draw for readers of the DL4J config; the values come from TfInitializer.
        NormalDistribution weightDist = new NormalDistribution(w.effectiveMean(nIn), w.effectiveStd(nIn));
        Layer layer = output
                ? new OutputLayer.Builder(loss(config.loss())).nIn(nIn).nOut(spec.units())
                        .activation(dl4jActivation(spec.activation())).weightInit(weightDist).build()
                : new DenseLayer.Builder().nIn(nIn).nOut(spec.units())
                        .activation(dl4jActivation(spec.activation())).weightInit(weightDist).build();
        layer.setLayerName("layer" + i);
        return layer;
    }

    /** DL4J's global builder with a seed that is only recorded: its {@code seed(long)} starts ND4J. */
    private static final class SeedRecordingBuilder extends NeuralNetConfiguration.Builder {
        void recordSeed(long seed) {
            this.seed = seed;
        }
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
