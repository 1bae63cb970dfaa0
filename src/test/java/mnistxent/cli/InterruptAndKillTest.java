package mnistxent.cli;

import mnistxent.bench.JvmLaunch;
import mnistxent.config.ConfigOverrides;
import mnistxent.config.ExperimentConfig;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.run.RunLock;
import mnistxent.run.TrainingState;
import mnistxent.train.TrainingFixtures;
import mnistxent.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static mnistxent.train.TrainingFixtures.assertBitwiseEqual;
import static mnistxent.train.TrainingFixtures.metricsWithoutSeconds;
import static mnistxent.train.TrainingFixtures.parameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interrupting for real: {@code train} in a process of its own (the application's main class on the test
 * classpath) is stopped with Ctrl-C's signal, or killed with SIGKILL, and the run is then resumed from its
 * checkpoint. Either way the finished run equals one that was never interrupted, bit for bit.
 */
class InterruptAndKillTest {

    private static final long SEED = 51;
    private static final int EPOCHS = 4;
    private static final int STEPS = 30_000;     // ~0.8 s an epoch with the kernel: the signal lands mid-run

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static TrainingFixtures.Printed straight;

    @BeforeAll
    static void straightRun() {
        straight = TrainingFixtures.fresh(TrainingFixtures.config(SEED, EPOCHS, STEPS, shared.resolve("straight")),
                new TrainingRun.Options("kernel", null, false));
    }

    /** {@code train} in a new JVM, its stdout lines delivered to {@code lines}, its stderr to a file. */
    private static Process startTrain(Path outputDir, Path stderr, BlockingQueue<String> lines) throws IOException {
        // The application's own JVM settings (JvmLaunch), with the test classpath.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(JvmLaunch.javaExecutable());
        command.addAll(JvmLaunch.APPLICATION_JVM_FLAGS);
        command.addAll(List.of("-cp", classpath, Main.class.getName(), "train",
                "--seed", Long.toString(SEED), "--epochs", Integer.toString(EPOCHS),
                "--steps-per-epoch", Integer.toString(STEPS), "--engine", "kernel", "--no-progress",
                "--output-dir", outputDir.toString(), "--data-dir", TrainingFixtures.mnistDir().toString()));
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "train-stdout");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** Collects stdout lines until one starts with {@code prefix}; returns all lines seen. */
    private static List<String> awaitLine(BlockingQueue<String> lines, String prefix, Process p, Path stderr)
            throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return seen;
                }
            } else if (!p.isAlive()) {
                break;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("no '" + prefix + "' line from train; stdout " + seen + "; stderr:\n"
                + Files.readString(stderr));
    }

    private static Path runDirectory(Path outputDir) throws IOException {
        try (Stream<Path> dirs = Files.list(outputDir)) {
            List<Path> all = dirs.toList();
            assertEquals(1, all.size(), "one run directory: " + all);
            return all.get(0);
        }
    }

    private static List<String> drain(BlockingQueue<String> lines, List<String> into) throws InterruptedException {
        Thread.sleep(100);       // the reader thread may still hold the last line
        lines.drainTo(into);
        return into;
    }

    /** What a test does while the run trains, before the signal: sees the process and its run directory. */
    @FunctionalInterface
    private interface WhileRunning {
        void check(Process train, Path run) throws Exception;
    }

    /**
     * Starts {@code train}, lets {@code whileRunning} look once epoch 0 is saved, stops the run with
     * {@code signal}, checks the exit code and the resume line, resumes it in this JVM and checks that the two
     * runs together are the straight one, parameter for parameter.
     */
    private void stopWithSignalAndResume(String signal, int exitCode, WhileRunning whileRunning) throws Exception {
        Path out = tmp.resolve("runs");
        Path stderr = tmp.resolve("stderr.txt");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process p = startTrain(out, stderr, lines);
        List<String> printed = awaitLine(lines, "Epoch 0:", p, stderr);
        // Epoch 0 saves checkpoint.zip, then model-best.zip (a first count is always a new best); once that
        // is there, epoch 1's steps are running, so the signal most likely lands mid-epoch (ResumeTest covers
        // exact mid-epoch stops in any case; equality must hold wherever the signal lands).
        Path best;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        do {
            Thread.sleep(2);
            best = Files.isDirectory(out) ? runDirectory(out).resolve(RunDirectory.MODEL_BEST) : null;
        } while ((best == null || !Files.exists(best)) && System.nanoTime() < deadline);
        Path run = runDirectory(out);
        whileRunning.check(p, run);
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "train did not stop after SIG" + signal);
        String err = Files.readString(stderr);
        assertEquals(exitCode, p.exitValue(), "exit code after SIG" + signal + "; stderr:\n" + err);
        drain(lines, printed);

        Path checkpoint = run.resolve(RunDirectory.CHECKPOINT);
        assertTrue(err.contains("checkpoint written; resume with: mvn exec:java -Dexec.args=\"train --resume "
                + checkpoint + "\""), err);
        assertEquals("", Files.readString(run.resolve(RunLock.FILE)), "the run's lock was released");
        TrainingState state = ModelFile.load(checkpoint).requireState();
        System.out.println("SIG" + signal + " at epoch " + state.epochsCompleted() + ", step " + state.stepInEpoch());
        assertTrue(state.epochsCompleted() < EPOCHS, "stopped before the end: " + state);
        assertEquals(state.epochsCompleted(), printed.size(), "one line per finished epoch: " + printed);

        var resumed = TrainingFixtures.resume(new TrainingRun.Options(null, checkpoint, false),
                ConfigOverrides.NONE);
        assertBitwiseEqual(parameters(straight.dir().resolve(RunDirectory.MODEL_FINAL)),
                parameters(run.resolve(RunDirectory.MODEL_FINAL)), "stopped by SIG" + signal + " at epoch "
                        + state.epochsCompleted() + ", step " + state.stepInEpoch() + ", then resumed");
        List<String> all = new ArrayList<>(printed);
        all.addAll(resumed.stdout());
        assertEquals(straight.stdout(), all, "stdout of the two processes together");
        assertEquals(metricsWithoutSeconds(straight.dir()), metricsWithoutSeconds(run));
    }

    @Test
    void ctrlCWritesACheckpointNamesTheResumeCommandAndTheResumedRunIsTheStraightOne() throws Exception {
        stopWithSignalAndResume("INT", Main.EXIT_INTERRUPTED, (p, run) -> {
            if (ignoresSigint(p.pid())) {
                p.destroyForcibly();
                assumeTrue(false, "this environment starts processes with SIGINT ignored; Ctrl-C cannot be tested here");
            }
        });
    }

    /**
     * SIGTERM (kill, docker stop, a scheduler) stops a run as Ctrl-C does, with its own exit code; and while
     * the run trains, a second process resuming the same run is refused before it reads or writes anything.
     */
    @Test
    void sigtermStopsLikeCtrlCAndASecondResumeOfTheRunningRunIsRefused() throws Exception {
        stopWithSignalAndResume("TERM", Main.EXIT_TERMINATED, (p, run) -> {
            Path checkpoint = run.resolve(RunDirectory.CHECKPOINT);
            Cli second = Cli.run("train", "--resume", checkpoint.toString(), "--data-dir",
                    TrainingFixtures.mnistDir().toString());
            assertEquals(1, second.code(), second.err());
            assertEquals("error: the run directory " + run + " is in use by process " + p.pid() + "; wait for it to "
                    + "finish, or stop it (kill " + p.pid() + " writes a checkpoint) and resume then\n", second.err());
        });
    }

    @Test
    void afterKillMinus9TheLastCheckpointResumesAndOnlyTheEpochInProgressIsLost() throws Exception {
        Path out = tmp.resolve("runs");
        Path stderr = tmp.resolve("stderr.txt");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process p = startTrain(out, stderr, lines);
        List<String> printed = awaitLine(lines, "Epoch 2:", p, stderr);
        p.destroyForcibly();                                  // SIGKILL: no handler, no shutdown hook runs
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        drain(lines, printed);

        Path run = runDirectory(out);
        Path checkpoint = run.resolve(RunDirectory.CHECKPOINT);
        ModelFile.Loaded saved = ModelFile.load(checkpoint);      // whole: saves are atomic
        TrainingState state = saved.requireState();
        int printedEpochs = printed.size();
        assertNotNull(state);
        assertEquals(0, state.stepInEpoch(), "checkpoints are written at epoch ends");
        // The checkpoint of the last printed epoch may have been in flight: then the one before it is there.
        assertTrue(state.epochsCompleted() >= printedEpochs - 1 && state.epochsCompleted() <= printedEpochs,
                "checkpoint at " + state.epochsCompleted() + " epochs after " + printed);

        var resumed = TrainingFixtures.resume(new TrainingRun.Options(null, checkpoint, false),
                ConfigOverrides.NONE);
        assertBitwiseEqual(parameters(straight.dir().resolve(RunDirectory.MODEL_FINAL)),
                parameters(run.resolve(RunDirectory.MODEL_FINAL)), "killed, then resumed from epoch "
                        + state.epochsCompleted());
        assertEquals(straight.stdout().subList(state.epochsCompleted(), straight.stdout().size()), resumed.stdout());
        assertEquals(metricsWithoutSeconds(straight.dir()), metricsWithoutSeconds(run));
        try (Stream<Path> files = Files.list(run)) {
            assertTrue(files.map(f -> f.getFileName().toString()).allMatch(n -> !n.endsWith(".zip")
                    || List.of(RunDirectory.CHECKPOINT, RunDirectory.MODEL_BEST, RunDirectory.MODEL_FINAL).contains(n)));
        }
        ExperimentConfig config = saved.requireConfig();
        assertEquals(SEED, config.seed());
        System.out.println("killed after " + printed + "; resumed from epoch " + state.epochsCompleted());
    }

    /**
     * Whether the process ignores SIGINT: a process started with SIGINT ignored (a background job of a
     * non-interactive shell) keeps it ignored across exec, the JVM then installs no handler, and Ctrl-C
     * cannot reach the application at all.
     */
    private static boolean ignoresSigint(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }
}
