package mnistxent.parity;

import mnistxent.model.LayerParameters;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs TensorFlow itself on a {@link ParityScenario}: writes the scenario directory of
 * tf-reference/README.md, forks {@code mnistxent.tfref.TfReference} in a JVM of its own (TF Java and
 * ND4J cannot share one: README, How "exactly" is proven) and reads back TF's per-step losses and parameter snapshots.
 *
 * <p>The root build packages tf-reference/ before the tests and passes its location in the system
 * property {@code mnistxent.tfref.dir}. A missing build is a test failure, never a skip: a parity test
 * that silently does not run proves nothing.
 *
 * <p>Results are cached per scenario for the life of the test JVM, so several engines' parity tests
 * share one TF run.
 */
public final class TfReferenceRunner {

    /** What the root pom passes to surefire; the default serves runs from an IDE at the repository root. */
    public static final String DIR_PROPERTY = "mnistxent.tfref.dir";
    static final String MAIN_CLASS = "mnistxent.tfref.TfReference";
    private static final long TIMEOUT_MINUTES = 5;
    private static final Map<String, TfRun> CACHE = new ConcurrentHashMap<>();

    private TfReferenceRunner() {
    }

    /** TF's results: {@code losses[k]} is step k's pre-update loss; snapshots by step number. */
    public record TfRun(float[] losses, Map<Integer, List<LayerParameters>> snapshots, String runtime) {
    }

    /** TF's run of the scenario (computed once per JVM). */
    public static TfRun reference(ParityScenario scenario) {
        return CACHE.computeIfAbsent(scenario.toString(), key -> {
            try {
                return run(scenario, scenario.data(), Path.of("target", "tf-parity", scenario.name()));
            } catch (IOException e) {
                throw new AssertionError("could not run the TF reference on " + scenario + ": " + e, e);
            }
        });
    }

    /** Writes {@code data} as scenario directory {@code dir}, runs TF on it and reads its outputs. */
    public static TfRun run(ParityScenario s, ParityScenario.Data data, Path dir) throws IOException {
        writeScenario(s, data, dir);
        return runWritten(s, dir);
    }

    /** Runs TF on an already written scenario directory {@code dir} (of scenario {@code s}) and reads its outputs. */
    static TfRun runWritten(ParityScenario s, Path dir) throws IOException {
        String classpath = classpath();
        Path log = dir.resolve("tf-reference.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx1g", "-cp", classpath, MAIN_CLASS,
                dir.toAbsolutePath().toString())
                .directory(dir.toFile())     // where a crashing JVM leaves its hs_err file
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process = pb.start();
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the TF reference ran over " + TIMEOUT_MINUTES + " minutes on " + s
                        + "; its log: " + log.toAbsolutePath());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the TF reference ran", e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the TF reference failed (exit " + process.exitValue() + ") on " + s + ":\n"
                    + tail(log));
        }
        return read(s, dir.resolve("tf"));
    }

    /** The reference's classpath: its jar, then the TF jars listed by its build. */
    static String classpath() throws IOException {
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, "tf-reference/target"));
        Path jar = dir.resolve("mnist-xent-tf-reference.jar");
        Path dependencies = dir.resolve("runtime.classpath");
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(dependencies)) {
            throw new AssertionError("The TensorFlow reference is not built: " + jar.toAbsolutePath() + " or "
                    + dependencies.toAbsolutePath() + " is missing. Run `mvn -B verify` at the repository root: it "
                    + "builds tf-reference/ before the tests (see tf-reference/README.md).");
        }
        String deps = Files.readString(dependencies).trim();
        return jar.toAbsolutePath() + (deps.isEmpty() ? "" : java.io.File.pathSeparator + deps);
    }

    // ------------------------------------------------------------------ the file protocol

    static void writeScenario(ParityScenario s, ParityScenario.Data data, Path dir) throws IOException {
        if (Files.isDirectory(dir.resolve("tf"))) {
            // never read a previous run's outputs as this run's
            try (var files = Files.walk(dir.resolve("tf"))) {
                for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("loss", s.loss().yamlName());
        p.setProperty("learning_rate", Double.toString(s.learningRate()));
        p.setProperty("l2", Double.toString(s.l2()));
        p.setProperty("batch_size", Integer.toString(s.batchSize()));
        p.setProperty("steps", Integer.toString(s.steps()));
        p.setProperty("snapshots", Arrays.stream(s.snapshots()).mapToObj(Integer::toString)
                .collect(Collectors.joining(",")));
        try (Writer w = Files.newBufferedWriter(dir.resolve("scenario.properties"))) {
            p.store(w, "parity scenario " + s);
        }
        writeFloats(dir.resolve("x.f32"), data.x());
        writeFloats(dir.resolve("y.f32"), data.y());
        writeInts(dir.resolve("batches.i32"), data.batches());
        writeParameters(dir, data.initial());
    }

    static void writeParameters(Path dir, List<LayerParameters> layers) throws IOException {
        for (int i = 0; i < layers.size(); i++) {
            writeFloats(dir.resolve(LayerParameters.weightName(i) + ".f32"), layers.get(i).weights());
            writeFloats(dir.resolve(LayerParameters.biasName(i) + ".f32"), layers.get(i).biases());
        }
    }

    static TfRun read(ParityScenario s, Path out) throws IOException {
        float[] losses = readFloats(out.resolve("loss.f32"));
        if (losses.length != s.steps()) {
            throw new AssertionError("TF wrote " + losses.length + " losses for " + s.steps() + " steps");
        }
        Map<Integer, List<LayerParameters>> snapshots = new LinkedHashMap<>();
        int[] sizes = {ParityScenario.INPUTS, ParityScenario.HIDDEN, ParityScenario.OUTPUTS};
        for (int k : s.snapshots()) {
            Path step = out.resolve("step-" + k);
            List<LayerParameters> layers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                layers.add(new LayerParameters(sizes[i], sizes[i + 1],
                        readFloats(step.resolve(LayerParameters.weightName(i) + ".f32")),
                        readFloats(step.resolve(LayerParameters.biasName(i) + ".f32"))));
            }
            snapshots.put(k, layers);
        }
        Properties info = new Properties();
        try (var r = Files.newBufferedReader(out.resolve("info.properties"))) {
            info.load(r);
        }
        return new TfRun(losses, snapshots, info.getProperty("tensorflow_runtime", "?"));
    }

    static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
    }

    static void writeInts(Path file, int[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        Files.write(file, b.array());
    }

    static float[] readFloats(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length % Float.BYTES != 0) {
            throw new AssertionError(file + " is not a whole number of float32 values (" + raw.length + " bytes)");
        }
        float[] out = new float[raw.length / Float.BYTES];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
