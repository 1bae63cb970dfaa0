package mnistxent.model;

import mnistxent.config.ExperimentConfig;
import mnistxent.config.LossKind;
import mnistxent.random.SeededRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §3: {@code tf.random_normal}, N(0, 1), for ALL FOUR tensors, biases included (DL4J's own bias
 * init is a constant). Bounds are several standard errors wide, so they hold for any seed.
 */
class TfInitializerTest {

    private static final ExperimentConfig CONFIG =
            NetworkLossReductionTest.config(LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS, 3.0, 0);

    @Test
    void everyParameterIsStandardNormal() {
        List<LayerParameters> layers = TfInitializer.draw(CONFIG.network(), CONFIG.init(), 123);
        assertEquals(List.of(784, 30), layers.stream().map(LayerParameters::nIn).toList());
        assertEquals(List.of(30, 10), layers.stream().map(LayerParameters::nOut).toList());
        double[] all = layers.stream().flatMap(l -> java.util.stream.Stream.of(l.weights(), l.biases()))
                .flatMapToDouble(a -> java.util.stream.IntStream.range(0, a.length).mapToDouble(i -> a[i])).toArray();
        assertEquals(23_860, all.length);
        assertEquals(CONFIG.network().parameterCount(), all.length);
        // standard errors: mean 1/sqrt(n) = 0.0065, std 1/sqrt(2n) = 0.0046, P(|z|<1) 0.003
        assertEquals(0.0, mean(all), 0.035, "mean");
        assertEquals(1.0, std(all), 0.025, "standard deviation");
        long withinOneSigma = Arrays.stream(all).filter(v -> Math.abs(v) < 1).count();
        assertEquals(0.6827, withinOneSigma / (double) all.length, 0.015, "normal shape (a uniform would give 0.577)");
    }

    @Test
    void biasesAreDrawnNotConstant() {
        List<LayerParameters> layers = TfInitializer.draw(CONFIG.network(), CONFIG.init(), 456);
        double[] biases = layers.stream().map(LayerParameters::biases)
                .flatMapToDouble(a -> java.util.stream.IntStream.range(0, a.length).mapToDouble(i -> a[i])).toArray();
        assertEquals(40, biases.length);
        assertEquals(40, Arrays.stream(biases).distinct().count(), "every bias its own draw");
        assertEquals(0.0, mean(biases), 0.8, "mean of 40 N(0,1) draws (5 standard errors)");
        double s = std(biases);
        assertTrue(s > 0.5 && s < 1.6, "standard deviation of 40 N(0,1) draws: " + s);
    }

    @Test
    void theFactoryNetworkHoldsTheDraws() {
        MultiLayerNetwork net = NetworkFactory.create(CONFIG);
        List<LayerParameters> expected = TfInitializer.draw(CONFIG.network(), CONFIG.init(),
                SeededRandom.derive(CONFIG.seed(), "init"));
        List<LayerParameters> actual = TfParameters.read(net);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(expected.get(i).weights(), actual.get(i).weights(), "layer " + i + " weights");
            assertArrayEquals(expected.get(i).biases(), actual.get(i).biases(), "layer " + i + " biases");
            float[] b = actual.get(i).biases();
            assertFalse(allEqual(b), "layer " + i + " biases are a constant: DL4J's biasInit was not overwritten");
        }
    }

    @Test
    void sameSeedSameDrawsOtherSeedOtherDraws() {
        List<LayerParameters> a = TfInitializer.draw(CONFIG.network(), CONFIG.init(), 99);
        List<LayerParameters> b = TfInitializer.draw(CONFIG.network(), CONFIG.init(), 99);
        List<LayerParameters> c = TfInitializer.draw(CONFIG.network(), CONFIG.init(), 100);
        assertArrayEquals(a.get(1).biases(), b.get(1).biases());
        assertArrayEquals(a.get(0).weights(), b.get(0).weights());
        assertFalse(Arrays.equals(a.get(0).weights(), c.get(0).weights()));
    }

    private static boolean allEqual(float[] v) {
        for (float x : v) {
            if (x != v[0]) {
                return false;
            }
        }
        return true;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }
}
