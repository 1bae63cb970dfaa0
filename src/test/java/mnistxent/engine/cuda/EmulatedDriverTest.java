package mnistxent.engine.cuda;

import mnistxent.bench.JvmLaunch;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.train.TrainingFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CUDA engine end to end without a GPU: the application, in a process of its own, loads an emulated
 * {@code libcuda.so.1} (src/test/cuda/emulated_driver.cpp: the driver calls CudaDriver binds, with mlp.cu's
 * kernels run on CPU threads) instead of NVIDIA's. So the JNA binding, the device buffers, the launches, the
 * parameter sync into the model, the zips and the CLI all run for real, and must give the kernel engine's
 * results bit for bit (the kernels compute MlpKernel's operations in its order: CudaKernelEmulationTest).
 * What this cannot show is the real GPU: that is the GPU check's job (README, Running on a GPU).
 */
class EmulatedDriverTest {

    private static Path driverDir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildTheEmulatedDriver() throws Exception {
        driverDir = Path.of("target", "emulated-driver").toAbsolutePath();
        Files.createDirectories(driverDir);
        Path source = Path.of("src/test/cuda/emulated_driver.cpp");
        Path library = driverDir.resolve("libcuda.so.1");
        if (Files.exists(library) && Files.getLastModifiedTime(library).compareTo(newest(source.getParent(),
                Path.of("src/main/cuda/mlp.cu"))) > 0) {
            return;
        }
        Process p = new ProcessBuilder("g++", "-std=c++20", "-O2", "-pthread", "-ffp-contract=off",
                "-Wno-unknown-pragmas", "-shared", "-fPIC", "-x", "c++", source.toString(), "-o", library.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail("g++ could not build the emulated driver (g++ is needed by the tests):\n" + log);
        }
    }

    private static java.nio.file.attribute.FileTime newest(Path dir, Path also) throws IOException {
        java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(also);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                java.nio.file.attribute.FileTime m = Files.getLastModifiedTime(f);
                if (m.compareTo(t) > 0) {
                    t = m;
                }
            }
        }
        return t;
    }

    /** What a process printed, and how it ended. */
    private record Ran(int code, List<String> out, String err) {
    }

    /** The application's CLI in a JVM that finds the emulated driver (small blocks: the emulation is slow). */
    private Ran cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmLaunch.javaExecutable());
        cmd.addAll(JvmLaunch.APPLICATION_JVM_FLAGS);
        cmd.add("-Djna.library.path=" + driverDir);
        cmd.add("-Dmnistxent.cuda.threads=128");
        cmd.add("-Dmnistxent.cuda.countBlocks=4");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("mnistxent.cli.Main");
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the application ran over 5 minutes: " + String.join(" ", args));
        }
        return new Ran(p.exitValue(), Files.readAllLines(out), Files.readString(err));
    }

    private Path onlyRun(Path outputDir) throws IOException {
        try (var dirs = Files.list(outputDir)) {
            return dirs.findFirst().orElseThrow();
        }
    }

    @Test
    void trainingOnTheGpuPathGivesTheKernelsRunAndAModelThatEvaluatesTheSame() throws Exception {
        String data = TrainingFixtures.mnistDir().toString();
        String[] run = {"train", "--seed", "5", "--epochs", "2", "--steps-per-epoch", "40", "--no-progress",
                "--data-dir", data, "--output-dir"};
        Ran cuda = cli(concat(run, tmp.resolve("cuda").toString(), "--engine", "cuda"));
        assertEquals(0, cuda.code(), cuda.err());
        assertTrue(cuda.err().contains("GPU: Emulated GPU"), "the log names the GPU: " + cuda.err());
        assertTrue(cuda.err().contains("engine: cuda;"), cuda.err());
        Ran kernel = cli(concat(run, tmp.resolve("kernel").toString(), "--engine", "kernel"));
        assertEquals(0, kernel.code(), kernel.err());
        assertEquals(kernel.out(), cuda.out(), "the seed's lines, equal to the kernel engine's");
        assertEquals(3, cuda.out().size());

        Path cudaRun = onlyRun(tmp.resolve("cuda"));
        Path kernelRun = onlyRun(tmp.resolve("kernel"));
        TrainingFixtures.assertBitwiseEqual(TrainingFixtures.parameters(kernelRun.resolve(RunDirectory.MODEL_FINAL)),
                TrainingFixtures.parameters(cudaRun.resolve(RunDirectory.MODEL_FINAL)),
                "the model zip's parameters (written back from the device)");
        assertEquals("cuda", ModelFile.load(cudaRun.resolve(RunDirectory.MODEL_FINAL)).meta().getProperty("engine"));

        // evaluate counts with the recorded engine (cuda): the count training recorded
        Ran evaluate = cli("evaluate", "--model", cudaRun.resolve(RunDirectory.MODEL_FINAL).toString(), "--data-dir",
                data);
        assertEquals(0, evaluate.code(), evaluate.err());
        assertEquals(List.of(cuda.out().get(1).replace("Epoch 1: ", "")), evaluate.out());

        // resuming the run's checkpoint with the recorded engine continues it exactly
        Ran resumed = cli("train", "--resume", cudaRun.resolve(RunDirectory.CHECKPOINT).toString(), "--epochs", "3",
                "--data-dir", data, "--no-progress");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("engine cuda (as recorded in the zip)"), resumed.err());
        Ran straight = cli("train", "--seed", "5", "--epochs", "3", "--steps-per-epoch", "40", "--no-progress",
                "--data-dir", data, "--output-dir", tmp.resolve("straight").toString(), "--engine", "kernel");
        assertEquals(0, straight.code(), straight.err());
        assertEquals(straight.out().subList(2, 4), resumed.out(), "2 + 1 epochs on the GPU path = 3 straight");
        TrainingFixtures.assertBitwiseEqual(
                TrainingFixtures.parameters(onlyRun(tmp.resolve("straight")).resolve(RunDirectory.MODEL_FINAL)),
                TrainingFixtures.parameters(cudaRun.resolve(RunDirectory.MODEL_FINAL)), "resumed = straight");
    }

    @Test
    void anAblationOnTheGpuPathTrainsItsSeedsInOneLaunchAndMatchesTheKernel() throws Exception {
        String data = TrainingFixtures.mnistDir().toString();
        String[] ablate = {"ablate", "--configs", "tf14-cross-entropy", "--seeds", "3", "--epochs", "1",
                "--steps-per-epoch", "20", "--out"};
        Ran cuda = cli(concat(ablate, tmp.resolve("cuda").toString(), "--engine", "cuda"));
        assertEquals(0, cuda.code(), cuda.err());
        assertTrue(cuda.err().contains("up to 3 per launch on the cuda engine"), cuda.err());
        Ran kernel = cli(concat(ablate, tmp.resolve("kernel").toString(), "--engine", "kernel"));
        assertEquals(0, kernel.code(), kernel.err());
        for (int seed = 1; seed <= 3; seed++) {
            Path a = tmp.resolve("cuda/tf14-cross-entropy/seed-" + seed);
            Path b = tmp.resolve("kernel/tf14-cross-entropy/seed-" + seed);
            assertEquals(Files.readAllLines(b.resolve("stdout.txt")), Files.readAllLines(a.resolve("stdout.txt")),
                    "seed " + seed + ": three runs in one launch, each the kernel's run");
            TrainingFixtures.assertBitwiseEqual(TrainingFixtures.parameters(b.resolve(RunDirectory.MODEL_FINAL)),
                    TrainingFixtures.parameters(a.resolve(RunDirectory.MODEL_FINAL)), "seed " + seed);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
