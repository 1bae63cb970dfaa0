package mnistxent.train;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ConfigOverrides;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.OutputSpec;
import mnistxent.config.TrainingSpec;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfParameters;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared by the tests that train for real: the real MNIST directory (fetched as the application fetches it),
 * short runs of the seed script's config, and exact comparisons of parameters.
 */
public final class TrainingFixtures {

    public static final Path SEED_CONFIG = Path.of("config/tf14-cross-entropy.yaml");
    private static Path mnist;

    private TrainingFixtures() {
    }

    /** The verified MNIST directory (fetched on a fresh machine; SPEC §1). */
    public static synchronized Path mnistDir() {
        if (mnist == null) {
            mnist = MnistFetcher.prepare(ConfigLoader.load(SEED_CONFIG).data());
        }
        return mnist;
    }

    /** The seed script's config, shortened: {@code epochs x steps}, runs under {@code outputDir}. */
    public static ExperimentConfig config(long seed, int epochs, int steps, Path outputDir) {
        ExperimentConfig c = ConfigLoader.load(SEED_CONFIG).withSeed(seed);
        c = c.withTraining(new TrainingSpec(c.training().batchSize(), epochs, steps));
        c = c.withOutput(new OutputSpec(outputDir));
        return c.withData(c.data().withDir(mnistDir()));
    }

    /** What a run printed on stdout, and its result. */
    public record Printed(TrainingRun.Result result, List<String> stdout) {
        public Path dir() {
            return result.directory().path();
        }
    }

    public static Printed fresh(ExperimentConfig config, TrainingRun.Options options) {
        StringWriter text = new StringWriter();
        TrainingRun.Result r = TrainingRun.fresh(config, options, new PrintWriter(text, true));
        return new Printed(r, lines(text));
    }

    public static Printed resume(TrainingRun.Options options, ConfigOverrides changes) {
        StringWriter text = new StringWriter();
        TrainingRun.Result r = TrainingRun.resume(options, changes, new PrintWriter(text, true));
        return new Printed(r, lines(text));
    }

    /** Changes of a resumed run: a new total of epochs. */
    public static ConfigOverrides totalEpochs(int epochs) {
        return new ConfigOverrides(null, epochs, null, null, null);
    }

    private static List<String> lines(StringWriter text) {
        String s = text.toString().replace(System.lineSeparator(), "\n");
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }

    /** The parameters stored in a model zip. */
    public static List<LayerParameters> parameters(Path zip) {
        return TfParameters.read(ModelFile.load(zip).network());
    }

    /** Every parameter equal bit for bit. */
    public static void assertBitwiseEqual(List<LayerParameters> expected, List<LayerParameters> actual,
                                          String what) {
        assertEquals(expected.size(), actual.size(), what + ": layers");
        for (int i = 0; i < expected.size(); i++) {
            assertBits(expected.get(i).weights(), actual.get(i).weights(), what + ": " + LayerParameters.weightName(i));
            assertBits(expected.get(i).biases(), actual.get(i).biases(), what + ": " + LayerParameters.biasName(i));
        }
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int j = 0; j < expected.length; j++) {
            if (Float.floatToRawIntBits(expected[j]) != Float.floatToRawIntBits(actual[j])) {
                fail(what + "[" + j + "] = " + actual[j] + ", expected " + expected[j] + " exactly");
            }
        }
    }

    /** metrics.csv without its wall-time column, which no two runs share. */
    public static List<String> metricsWithoutSeconds(Path runDir) {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve(RunDirectory.METRICS));
            assertTrue(lines.get(0).endsWith(",seconds"), lines.get(0));
            return lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).collect(Collectors.toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
