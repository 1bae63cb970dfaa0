package mnistxent.train;

import mnistxent.bench.JvmLaunch;
import mnistxent.cli.Main;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.TfBatcher;
import mnistxent.engine.EngineKind;
import mnistxent.model.LayerParameters;
import mnistxent.model.NetworkFactory;
import mnistxent.model.NpyParameters;
import mnistxent.model.TfInitializer;
import mnistxent.model.TfParameters;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.run.TrainingState;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's zips are written without ND4J, from the network's configuration and the engine's parameters: the
 * DL4J entries are the bytes DL4J writes, and a kernel run never starts ND4J.
 */
class RunModelTest {

    @TempDir
    Path tmp;

    @Test
    void aZipWrittenWithoutNd4jHasTheEntriesDl4jWritesAndRestoresToTheSameParameters() throws Exception {
        ExperimentConfig config = TrainingFixtures.config(3, 1, 10, tmp);
        List<LayerParameters> parameters = TfInitializer.initial(config.withSeed(4));
        TrainingState state = TrainingState.initial(TfBatcher.forTraining(config).state());
        Path zip = tmp.resolve("model.zip");
        RunModel.of(config).save(zip, parameters, config, state, 17, EngineKind.KERNEL);

        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(NetworkFactory.create(config, parameters), dl4j, true);
        Path dl4jZip = Files.write(tmp.resolve("dl4j.zip"), dl4j.toByteArray());
        List<String> dl4jEntries = entryNames(dl4jZip);
        assertEquals(List.of(ModelSerializer.CONFIGURATION_JSON, ModelSerializer.COEFFICIENTS_BIN), dl4jEntries,
                "SGD keeps no updater state: DL4J writes no more than these");
        for (String entry : dl4jEntries) {
            assertArrayEquals(entryBytes(dl4jZip, entry), entryBytes(zip, entry), entry);
        }
        assertEquals(dl4jEntries, entryNames(zip).subList(0, 2));
        ModelFile.Loaded loaded = ModelFile.load(zip);
        List<LayerParameters> restored = TfParameters.read(loaded.network());
        for (int l = 0; l < parameters.size(); l++) {
            assertArrayEquals(parameters.get(l).weights(), restored.get(l).weights(), "layer " + l);
            assertArrayEquals(parameters.get(l).biases(), restored.get(l).biases(), "layer " + l);
        }
        assertEquals(config, loaded.config());
        assertEquals(17, loaded.recordedTestCorrect().orElseThrow());
    }

    @Test
    void parametersOfAnotherNetworkAreRefusedAndNothingIsWritten() {
        ExperimentConfig config = TrainingFixtures.config(3, 1, 10, tmp);
        TrainingState state = TrainingState.initial(TfBatcher.forTraining(config).state());
        List<LayerParameters> oneLayer = List.of(new LayerParameters(784, 10, new float[7840], new float[10]));
        Path zip = tmp.resolve("wrong.zip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunModel.of(config).save(zip, oneLayer, config, state, 1, EngineKind.KERNEL));
        assertEquals("the network has 2 layers, got 1", e.getMessage());
        List<LayerParameters> transposed = TfInitializer.initial(config).stream()
                .map(l -> new LayerParameters(l.nOut(), l.nIn(), l.weights(), new float[l.nIn()])).toList();
        e = assertThrows(IllegalArgumentException.class,
                () -> RunModel.of(config).save(zip, transposed, config, state, 1, EngineKind.KERNEL));
        assertEquals("W_2 has shape [784,30] in the network, got [30,784]", e.getMessage());
        assertFalse(Files.exists(zip));
    }

    /**
     * The kernel engine trains and writes its zips with no ND4J backend on the classpath at all: had anything
     * started ND4J, the run would fail for want of one.
     */
    @Test
    void aKernelRunNeedsNoNd4jBackend() throws Exception {
        trainWithoutNd4j(List.of());
    }

    /** {@code --init}'s NumPy files are read in plain Java: a run from them needs no ND4J backend either. */
    @Test
    void aKernelRunFromNumPyFilesNeedsNoNd4jBackend() throws Exception {
        ExperimentConfig config = TrainingFixtures.config(5, 2, 20, tmp);
        Path init = tmp.resolve("init");
        NpyParameters.write(init, TfInitializer.initial(config.withSeed(8)));
        String log = trainWithoutNd4j(List.of("--init", init.toString()));
        assertTrue(log.contains("initial parameters from " + init.toAbsolutePath()), log);
    }

    /** Trains 2 epochs of 20 steps in a JVM with no ND4J backend on its classpath; returns the run's log. */
    private String trainWithoutNd4j(List<String> extraArguments) throws Exception {
        Path output = tmp.resolve("runs");
        String classpath = Arrays.stream(System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(p -> !p.contains("nd4j-native") && !p.contains("nd4j-cuda") && !p.contains("openblas"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(JvmLaunch.javaExecutable());
        command.addAll(JvmLaunch.APPLICATION_JVM_FLAGS);
        command.addAll(List.of("-cp", classpath, Main.class.getName(), "train", "--seed", "5", "--epochs", "2",
                "--steps-per-epoch", "20", "--engine", "kernel", "--no-progress", "--output-dir", output.toString(),
                "--data-dir", TrainingFixtures.mnistDir().toString()));
        command.addAll(extraArguments);
        Path stderr = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), stdout + Files.readString(stderr));
        assertTrue(stdout.contains("Epoch 1: "), stdout);

        Path runDir = onlyRunDirectory(output);
        String log = Files.readString(runDir.resolve(RunDirectory.LOG));
        assertTrue(log.contains("ND4J: not started"), log);
        // the zips it wrote restore (here, where ND4J is on the classpath) to the parameters it trained
        ModelFile.Loaded last = ModelFile.load(runDir.resolve(RunDirectory.MODEL_FINAL));
        ModelFile.Loaded checkpoint = ModelFile.load(runDir.resolve(RunDirectory.CHECKPOINT));
        assertEquals(2, last.state().epochsCompleted());
        assertEquals(last.network().params(), checkpoint.network().params());
        return log;
    }

    private static Path onlyRunDirectory(Path output) throws IOException {
        try (Stream<Path> dirs = Files.list(output)) {
            List<Path> runs = dirs.filter(Files::isDirectory).toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }

    private static byte[] entryBytes(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(name)).readAllBytes();
        }
    }

    private static List<String> entryNames(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.stream().map(e -> e.getName()).toList();
        }
    }
}
