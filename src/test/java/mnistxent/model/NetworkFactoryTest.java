package mnistxent.model;

import mnistxent.config.Activation;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LayerSpec;
import mnistxent.config.LossKind;
import mnistxent.config.NetworkSpec;
import mnistxent.config.UpdaterSpec;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The DL4J configuration is built without ND4J, yet is the one of a network initialised from DL4J's own list
 * builder's: the same JSON, which is what a model zip stores and what DL4J restores a network from.
 */
class NetworkFactoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"tf12-quadratic", "tf14-cross-entropy", "tf15-cross-entropy-scaled-init",
            "tf15-quadratic-scaled-init"})
    void eachShippedConfigGivesTheListBuildersJson(String name) {
        ExperimentConfig config = ConfigLoader.load(Path.of("config", name + ".yaml")).withSeed(7);
        String expected = initialised(listBuilt(config)).toJson();
        assertEquals(expected, NetworkFactory.configuration(config).toJson());
        assertEquals(expected, initialised(NetworkFactory.configuration(config)).toJson());
        assertEquals(initialised(listBuilt(config)), NetworkFactory.configuration(config));
    }

    @Test
    void deeperNetworksOtherActivationsAndL2GiveTheListBuildersJsonToo() {
        ExperimentConfig seed = ConfigLoader.load(Path.of(ConfigLoader.DEFAULT_CONFIG)).withSeed(11);
        NetworkSpec deeper = new NetworkSpec(784, List.of(new LayerSpec(50, Activation.TANH),
                new LayerSpec(20, Activation.RELU), new LayerSpec(10, Activation.SIGMOID)));
        ExperimentConfig config = new ExperimentConfig(seed.name(), seed.seed(), deeper, seed.init(), LossKind.QUADRATIC,
                new UpdaterSpec(0.5, 0.001), seed.training(), seed.data(), seed.output());
        String expected = initialised(listBuilt(config)).toJson();
        assertEquals(expected, NetworkFactory.configuration(config).toJson());
        assertEquals(3, NetworkFactory.configuration(config).getConfs().size());
    }

    /** The configuration of a network initialised from {@code configuration}: what a model zip stores. */
    private static MultiLayerConfiguration initialised(MultiLayerConfiguration configuration) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        return network.getLayerWiseConfigurations();
    }

    /** The configuration as DL4J's list builder puts the same layers together (which starts ND4J: its seed seeds ND4J's generator). */
    private static MultiLayerConfiguration listBuilt(ExperimentConfig config) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .miniBatch(true)
                .updater(new Sgd(config.updater().learningRate()))
                .biasInit(0.0)
                .seed(config.seed());
        if (config.updater().l2() > 0) {
            base.regularization(new ArrayList<>(List.of(new TfL2Regularization(config.updater().l2()))));
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        int last = config.network().layers().size() - 1;
        for (int i = 0; i <= last; i++) {
            list.layer(NetworkFactory.layer(config, i, i == last));
        }
        return list.build();
    }
}
