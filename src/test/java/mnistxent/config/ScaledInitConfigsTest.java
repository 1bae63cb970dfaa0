package mnistxent.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ablation's scaled-init variants (docs/SPEC.md §8) differ from the seed's configs only in name and weights. */
class ScaledInitConfigsTest {

    private static final DistributionSpec SCALED = new DistributionSpec(0.0, 1.0, true);

    @Test
    void crossEntropyScaledInitIsTf14WithWeightsOverSqrtFanIn() {
        assertOnlyWeightsDiffer("config/tf14-cross-entropy.yaml", "config/tf15-cross-entropy-scaled-init.yaml",
                "tf15-cross-entropy-scaled-init");
    }

    @Test
    void quadraticScaledInitIsTf12WithWeightsOverSqrtFanIn() {
        assertOnlyWeightsDiffer("config/tf12-quadratic.yaml", "config/tf15-quadratic-scaled-init.yaml",
                "tf15-quadratic-scaled-init");
    }

    @Test
    void scaledStdIsOneOverSqrtFanIn() {
        assertEquals(1 / 28.0, SCALED.effectiveStd(784), 1e-12);
        assertEquals(1 / Math.sqrt(30), SCALED.effectiveStd(30), 1e-12);
    }

    private static void assertOnlyWeightsDiffer(String base, String variant, String name) {
        ExperimentConfig b = ConfigLoader.load(Path.of(base));
        ExperimentConfig v = ConfigLoader.load(Path.of(variant));
        assertEquals(name, v.name());
        assertEquals(SCALED, v.init().weights());
        assertEquals(DistributionSpec.STANDARD_NORMAL, v.init().biases(), "biases stay N(0,1) (SPEC §8)");
        assertTrue(b.init().weights().equals(DistributionSpec.STANDARD_NORMAL));
        ExperimentConfig expected = b.withName(name);
        expected = new ExperimentConfig(expected.name(), expected.seed(), expected.network(),
                new InitSpec(SCALED, expected.init().biases()), expected.loss(), expected.updater(),
                expected.training(), expected.data(), expected.output());
        assertEquals(expected, v);
    }
}
