package mnistxent.cli;

import mnistxent.engine.EngineKind;
import mnistxent.model.LayerParameters;
import mnistxent.model.NetworkFactory;
import mnistxent.model.NpyParameters;
import mnistxent.model.TfParameters;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.train.TrainingFixtures;
import mnistxent.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each problem is said as what it is (README, "Command-line reference"): an unreadable directory is not a
 * missing file, a damaged training state does not stop what does not need it, a number that is not a number
 * is named where it is, the same whichever engine would have met it.
 */
class DiagnosesTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static Path model;

    @BeforeAll
    static void train() {
        model = TrainingFixtures.fresh(TrainingFixtures.config(41, 1, 50, shared.resolve("runs")),
                new TrainingRun.Options("kernel", null, false)).dir().resolve(RunDirectory.MODEL_FINAL);
    }

    private static String data() {
        return TrainingFixtures.mnistDir().toString();
    }

    private static String oneLine(Cli r) {
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("(null)"), r.err());
        return r.err().strip();
    }

    /**
     * Runs the CLI in a JVM of its own that cannot override file permissions: as root (CI, this machine) the
     * process drops the capabilities that let root read anything; as another user, permissions apply anyway.
     */
    private static String[] withoutPermissionOverride(Path stderr, String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            command.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return new String[]{Integer.toString(p.exitValue()), out, Files.readString(stderr)};
    }

    @Test
    void anUnreadableDataDirectoryIsNotAMissingOne() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        Files.copy(Path.of(data(), "t10k-labels-idx1-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"));
        assertTrue(dir.toFile().setReadable(false, false) && dir.toFile().setExecutable(false, false));
        try {
            String[] r = withoutPermissionOverride(tmp.resolve("err.txt"), "data", "verify", "--data-dir", dir.toString());
            assertEquals("1", r[0], r[2]);
            List<String> lines = r[2].lines().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
            assertEquals(List.of("error: cannot read the data directory " + dir + " (permission denied); keep MNIST "
                    + "elsewhere: --data-dir DIR (or MNIST_XENT_DATA=DIR)"), lines);
        } finally {
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
        }
    }

    @Test
    void aDirectoryWhereADataFileShouldBeIsSaidToBeOne() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        Files.createDirectories(dir.resolve("train-images-idx3-ubyte"));
        Cli r = Cli.run("data", "fetch", "--data-dir", dir.toString());
        assertEquals(1, r.code());
        assertEquals("error: " + dir.resolve("train-images-idx3-ubyte") + " is a directory where the MNIST file "
                + "train-images-idx3-ubyte should be; move it out of the way", oneLine(r));
    }

    /** {@code model} with its training state entry replaced by bytes that do not decode. */
    private Path withDamagedState() throws Exception {
        Path damaged = tmp.resolve("damaged.zip");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(model));
             OutputStream file = Files.newOutputStream(damaged);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals(ModelFile.STATE_ENTRY) ? new byte[]{1, 2, 3} : in.readAllBytes());
                out.closeEntry();
            }
        }
        return damaged;
    }

    @Test
    void aDamagedTrainingStateStopsOnlyResuming() throws Exception {
        Path damaged = withDamagedState();
        Cli evaluate = Cli.run("evaluate", "--model", damaged.toString(), "--data-dir", data());
        assertEquals(0, evaluate.code(), evaluate.err());
        assertEquals(Cli.run("evaluate", "--model", model.toString(), "--data-dir", data()).out(), evaluate.out());
        Cli export = Cli.run("export", "--model", damaged.toString(), "--out", tmp.resolve("params").toString());
        assertEquals(0, export.code(), export.err());
        Cli predict = Cli.run("predict", "--model", damaged.toString(), "--index", "0", "--data-dir", data());
        assertEquals(0, predict.code(), predict.err());

        Cli resume = Cli.run("train", "--resume", damaged.toString(), "--data-dir", data());
        assertEquals(1, resume.code());
        assertEquals("error: the training state in " + damaged + " (" + ModelFile.STATE_ENTRY + ") is damaged "
                + "(unexpected end of data): this zip cannot be resumed (its network can still be evaluated, used and "
                + "exported); resume from another checkpoint or model zip of the run", oneLine(resume));
    }

    @Test
    void aModelOrCheckpointGivenAsTheConfigIsSaidToBeOne() {
        Cli r = Cli.run("train", "--config", model.toString());
        assertEquals(1, r.code());
        assertEquals("error: " + model + ": is a zip archive (a model or checkpoint zip?), not a YAML config",
                oneLine(r));
    }

    @Test
    void aNaNWeightOnAnAlwaysBlackPixelIsRefusedTheSameWayByBothEngines() throws Exception {
        Path init = tmp.resolve("init");
        List<LayerParameters> layers = new ArrayList<>(TrainingFixtures.parameters(model));
        float[] w2 = layers.get(0).weights().clone();
        w2[0] = Float.NaN;              // W_2[0, 0]: pixel 0 is 0 in every MNIST image (the kernel skips it)
        layers.set(0, new LayerParameters(layers.get(0).nIn(), layers.get(0).nOut(), w2, layers.get(0).biases()));
        NpyParameters.write(init, layers);
        List<String> lines = bothEngines(engine -> List.of("train", "--init", init.toString(), "--seed", "1",
                "--epochs", "1", "--steps-per-epoch", "20", "--engine", engine, "--output-dir",
                tmp.resolve("runs-" + engine).toString(), "--data-dir", data()));
        assertFalse(Files.exists(tmp.resolve("runs-kernel")) || Files.exists(tmp.resolve("runs-dl4j")),
                "nothing was started");
        assertEquals("error: " + init + ": W_2[0, 0] is NaN; parameters must be finite numbers to be trained or used",
                lines.get(0));
        assertEquals(lines.get(0), lines.get(1), "the engines agree");
    }

    /** The error line of the command {@code args} makes for each engine; each run must fail, printing nothing. */
    private static List<String> bothEngines(java.util.function.Function<String, List<String>> args) {
        List<String> lines = new ArrayList<>();
        for (String engine : List.of("kernel", "dl4j")) {
            Cli r = Cli.run(args.apply(engine).toArray(new String[0]));
            assertEquals(1, r.code(), engine + ": " + r.err());
            assertEquals("", r.out(), engine + ": no Epoch line");
            lines.add(oneLine(r));
        }
        return lines;
    }

    @Test
    void aModelZipHoldingAnInfinityIsRefusedWhenLoaded() throws Exception {
        ModelFile.Loaded loaded = ModelFile.load(model);
        List<LayerParameters> parameters = TfParameters.read(loaded.network());
        parameters.get(1).biases()[3] = Float.POSITIVE_INFINITY;
        Path bad = tmp.resolve("inf.zip");
        ModelFile.save(bad, NetworkFactory.configuration(loaded.config()).toJson(), parameters, loaded.config(),
                loaded.requireState(), -1, EngineKind.KERNEL);
        Cli r = Cli.run("evaluate", "--model", bad.toString(), "--data-dir", data());
        assertEquals(1, r.code());
        assertEquals("error: " + bad + ": b_3[3] is Infinity; parameters must be finite numbers to be trained or used",
                oneLine(r));
    }

    @Test
    void aLossThatStopsBeingANumberStopsTheRunAtTheSameStepWithEitherEngine() throws Exception {
        Path config = tmp.resolve("diverge.yaml");
        Files.writeString(config, Files.readString(TrainingFixtures.SEED_CONFIG)
                .replace("name: tf14-cross-entropy", "name: diverge")
                .replaceFirst("activation: sigmoid", "activation: relu")
                .replace("learning-rate: 3.0", "learning-rate: 1.0e30"));
        List<String> lines = bothEngines(engine -> List.of("train", "--config", config.toString(), "--seed", "1",
                "--epochs", "1", "--steps-per-epoch", "50", "--engine", engine, "--output-dir",
                tmp.resolve(engine).toString(), "--data-dir", data()));
        assertEquals("error: the training loss is NaN at step 2 of epoch 0 (step 2 of the run); training diverged: "
                + "lower updater.learning-rate, or start from other parameters", lines.get(0));
        assertEquals(lines.get(0), lines.get(1), "the engines agree");
    }
}
