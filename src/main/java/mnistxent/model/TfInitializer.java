package mnistxent.model;

import mnistxent.config.DistributionSpec;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.InitSpec;
import mnistxent.config.NetworkSpec;
import mnistxent.random.SeededRandom;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws the initial parameters the way the seed script does (SPEC §3): every tensor, weights AND
 * biases, from its configured normal distribution ({@code tf.random_normal}: N(0,1)).
 *
 * <p>DL4J cannot say this by itself: {@code WeightInit.NORMAL} is N(0, 1/sqrt(fan_in)) and a
 * layer's {@code biasInit} is a constant. So the network is built with DL4J's init and then every
 * parameter is overwritten here. The draws come from {@link SeededRandom}, not ND4J's generator,
 * so the same seed gives the same parameters on every backend. Order: W_2, b_2, W_3, b_3, ...
 * (TF's variable creation order), each row-major.
 */
public final class TfInitializer {

    private TfInitializer() {
    }

    /**
     * A run's initial parameters: drawn from the config's distributions with its seed's "init" stream, so
     * that a seed gives the same start on every engine and machine. The config's seed must be set
     * ({@link ExperimentConfig#hasSeed()}).
     */
    public static List<LayerParameters> initial(ExperimentConfig config) {
        if (!config.hasSeed()) {
            throw new IllegalArgumentException("the config has no seed yet: resolve one first (Seeds.resolve)");
        }
        return draw(config.network(), config.init(), SeededRandom.derive(config.seed(), "init"));
    }

    public static List<LayerParameters> draw(NetworkSpec network, InitSpec init, long seed) {
        SeededRandom random = new SeededRandom(seed);
        List<LayerParameters> layers = new ArrayList<>();
        for (int i = 0; i < network.layers().size(); i++) {
            int nIn = network.fanIn(i);
            int nOut = network.layers().get(i).units();
            float[] w = sample(random, init.weights(), nIn, nIn * nOut);
            float[] b = sample(random, init.biases(), nIn, nOut);
            layers.add(new LayerParameters(nIn, nOut, w, b));
        }
        return layers;
    }

    private static float[] sample(SeededRandom random, DistributionSpec d, int fanIn, int count) {
        double mean = d.effectiveMean(fanIn);
        double std = d.effectiveStd(fanIn);
        float[] out = new float[count];
        for (int k = 0; k < count; k++) {
            out[k] = (float) (mean + std * random.nextGaussian());
        }
        return out;
    }
}
