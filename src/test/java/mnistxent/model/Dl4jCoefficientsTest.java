package mnistxent.model;

import mnistxent.config.Activation;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LayerSpec;
import mnistxent.config.NetworkSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The coefficients written without ND4J are ND4J's own bytes for the network's parameters, and read back equal. */
class Dl4jCoefficientsTest {

    @Test
    void theBytesAreNd4jsForTheSeedsNetwork() throws Exception {
        ExperimentConfig config = ConfigLoader.load(Path.of(ConfigLoader.DEFAULT_CONFIG)).withSeed(3);
        List<LayerParameters> parameters = TfInitializer.initial(config);
        assertArrayEquals(nd4jBytes(NetworkFactory.create(config, parameters)), Dl4jCoefficients.of(parameters));
    }

    @Test
    void theBytesAreNd4jsForADeeperNetworkOfOddShapes() throws Exception {
        ExperimentConfig seed = ConfigLoader.load(Path.of(ConfigLoader.DEFAULT_CONFIG)).withSeed(5);
        NetworkSpec net = new NetworkSpec(784, List.of(new LayerSpec(7, Activation.TANH),
                new LayerSpec(3, Activation.RELU), new LayerSpec(10, Activation.SIGMOID)));
        ExperimentConfig config = new ExperimentConfig(seed.name(), seed.seed(), net, seed.init(), seed.loss(),
                seed.updater(), seed.training(), seed.data(), seed.output());
        Random random = new Random(9);
        List<LayerParameters> parameters = TfInitializer.initial(config).stream()
                .map(l -> new LayerParameters(l.nIn(), l.nOut(), gaussians(random, l.weights().length),
                        gaussians(random, l.biases().length)))
                .toList();
        MultiLayerNetwork network = NetworkFactory.create(config, parameters);
        byte[] ours = Dl4jCoefficients.of(parameters);
        assertArrayEquals(nd4jBytes(network), ours);
        assertEquals(network.params(), Nd4j.read(new DataInputStream(new ByteArrayInputStream(ours))));
    }

    private static byte[] nd4jBytes(MultiLayerNetwork network) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(network.params(), out);
        }
        return bytes.toByteArray();
    }

    private static float[] gaussians(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
