package mnistxent.cli;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.MnistData;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.engine.KernelEngine;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfParameters;
import mnistxent.run.MetricsFile;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: the real CLI on the real MNIST (fetched by the data layer, as on a fresh
 * machine), the seed's config.
 */
class TrainEndToEndTest {

    private static final Pattern EPOCH_LINE = Pattern.compile("Epoch (\\d+): (\\d+) / 10000");
    private static final Pattern BEST_LINE = Pattern.compile("best: (\\d+) / 10000");

    /** Runs the CLI with stdout captured; returns exit code and stdout. */
    private static Object[] cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Object[]{code, captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(original);
        }
    }

    private static Path onlyRunDirectory(Path outputDir) throws IOException {
        try (Stream<Path> dirs = Files.list(outputDir)) {
            List<Path> all = dirs.filter(Files::isDirectory).toList();
            assertEquals(1, all.size(), "one run directory in " + outputDir + ": " + all);
            return all.get(0);
        }
    }

    @Test
    void oneEpochOfTheSeedScriptPrintsItsLinesAndSavesAModelThatReloadsToTheSameCount(@TempDir Path out)
            throws IOException {
        Object[] result = cli("train", "--config", "config/tf14-cross-entropy.yaml", "--epochs", "1",
                "--seed", "7", "--output-dir", out.toString(), "--no-progress");
        assertEquals(0, result[0]);
        List<String> lines = ((String) result[1]).lines().toList();
        assertEquals(2, lines.size(), "stdout carries exactly the seed script's lines: " + lines);
        Matcher epoch = EPOCH_LINE.matcher(lines.get(0));
        Matcher best = BEST_LINE.matcher(lines.get(1));
        assertTrue(epoch.matches(), lines.get(0));
        assertTrue(best.matches(), lines.get(1));
        assertEquals("0", epoch.group(1));
        int count = Integer.parseInt(epoch.group(2));
        assertEquals(count, Integer.parseInt(best.group(1)));
        assertTrue(count >= 8500, "one epoch of the seed script reaches >= 85%, got " + count);

        Path run = onlyRunDirectory(out);
        for (String f : List.of(RunDirectory.CONFIG, RunDirectory.METRICS, RunDirectory.CHECKPOINT,
                RunDirectory.MODEL_BEST, RunDirectory.MODEL_FINAL, RunDirectory.LOG)) {
            assertTrue(Files.isRegularFile(run.resolve(f)), "run directory has " + f);
        }
        assertEquals(count, MetricsFile.read(run.resolve(RunDirectory.METRICS)).get(0).testCorrect());
        assertTrue(Files.readString(run.resolve(RunDirectory.LOG)).contains("epoch 0: train loss"));
        ExperimentConfig effective = ConfigLoader.load(run.resolve(RunDirectory.CONFIG));
        assertEquals(7L, effective.seed());

        for (String zip : List.of(RunDirectory.MODEL_FINAL, RunDirectory.MODEL_BEST)) {
            ModelFile.Loaded loaded = ModelFile.load(run.resolve(zip));
            assertEquals(effective, loaded.requireConfig());
            assertEquals(String.valueOf(count), loaded.meta().getProperty("test.correct"));
            MnistData data = MnistFetcher.load(loaded.config().data());
            assertEquals(count, new KernelEngine(loaded.config(), ImageSets.of(data, 0),
                    TfParameters.read(loaded.network())).correctOnTest(), zip + " reloads to the recorded count");
        }
    }

    @Test
    void theSameSeedGivesIdenticalOutputAndParameters(@TempDir Path out) throws IOException {
        String[] args = {"train", "--config", "config/tf12-quadratic.yaml", "--epochs", "2", "--steps-per-epoch",
                "700", "--seed", "11", "--no-progress", "--output-dir"};
        Object[] first = cli(concat(args, out.resolve("a").toString()));
        Object[] second = cli(concat(args, out.resolve("b").toString()));
        assertEquals(0, first[0]);
        assertEquals(0, second[0]);
        assertEquals(first[1], second[1], "identical standard output");
        assertEquals(3, ((String) first[1]).lines().count());
        List<LayerParameters> a = finalParameters(out.resolve("a"));
        List<LayerParameters> b = finalParameters(out.resolve("b"));
        for (int l = 0; l < a.size(); l++) {
            assertArrayEquals(a.get(l).weights(), b.get(l).weights(), 0f, "weights of layer " + l);
            assertArrayEquals(a.get(l).biases(), b.get(l).biases(), 0f, "biases of layer " + l);
        }
    }

    @Test
    void theStockDl4jEngineTrainsTheSameRunAsTheKernel(@TempDir Path out) {
        String[] args = {"train", "--config", "config/tf14-cross-entropy.yaml", "--epochs", "1", "--steps-per-epoch",
                "300", "--seed", "3", "--no-progress", "--output-dir", out.toString(), "--engine"};
        Object[] kernel = cli(concat(args, "kernel"));
        Object[] dl4j = cli(concat(args, "dl4j"));
        assertEquals(0, kernel[0]);
        assertEquals(0, dl4j[0]);
        // Same math to float32 rounding: after 300 steps the two agree on the test count to a few images.
        int k = best((String) kernel[1]);
        int d = best((String) dl4j[1]);
        assertTrue(Math.abs(k - d) <= 3, "kernel " + k + " vs dl4j " + d);
    }

    private static List<LayerParameters> finalParameters(Path outputDir) throws IOException {
        return TfParameters.read(ModelFile.load(onlyRunDirectory(outputDir).resolve(RunDirectory.MODEL_FINAL)).network());
    }

    private static int best(String stdout) {
        List<String> lines = stdout.lines().toList();
        Matcher m = BEST_LINE.matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), "last line is the best line: " + lines);
        return Integer.parseInt(m.group(1));
    }

    private static String[] concat(String[] a, String last) {
        String[] all = java.util.Arrays.copyOf(a, a.length + 1);
        all[a.length] = last;
        return all;
    }
}
