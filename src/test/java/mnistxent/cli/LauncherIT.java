package mnistxent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher {@code mvn package} leaves (README, "The launcher"), run as a user runs it, after the package
 * phase (this is an integration test: failsafe runs it once bin/ and lib/ exist). Its standard output is
 * exactly the program's.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("bin", "mnist-xent").toAbsolutePath();

    @TempDir
    Path tmp;

    private record Ran(int code, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        /** stderr without the JVM's note about the incubator module (README explains it). */
        List<String> errLines() {
            return err.lines().filter(l -> !l.equals("WARNING: Using incubator modules: jdk.incubator.vector")).toList();
        }
    }

    private Ran run(Path workingDir, String launcher, String... args) throws Exception {
        return runWith(null, workingDir, launcher, args);
    }

    /** Runs the launcher in {@code workingDir}, with {@code javaOpts} as JAVA_OPTS (null: none). */
    private Ran runWith(String javaOpts, Path workingDir, String launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command);
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        Process p = builder.directory(workingDir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + command);
        return new Ran(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    }

    @Test
    void theSeedsOneEpochPrintsExactlyItsTwoLines() throws Exception {
        Ran r = run(Path.of("").toAbsolutePath(), "bin/mnist-xent", "train", "--seed", "1", "--epochs", "1",
                "--output-dir", tmp.resolve("runs").toString());
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("Epoch 0: (\\d+) / 10000\nbest: (\\d+) / 10000\n").matcher(r.outText());
        assertTrue(m.matches(), "stdout, byte for byte: " + r.outText());
        assertEquals(m.group(1), m.group(2));
    }

    @Test
    void fromAnyDirectoryTheDefaultConfigIsTheProjects() throws Exception {
        Ran r = run(tmp, LAUNCHER.toString(), "train", "--seed", "1", "--epochs", "1", "--steps-per-epoch", "50",
                "--output-dir", "runs");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.outText().startsWith("Epoch 0: "), r.outText());
        assertTrue(Files.isDirectory(tmp.resolve("runs")), "the output goes where the user is");
        // JAVA_OPTS reaches the JVM: here, help lines wide enough to show the default's path unbroken.
        Ran help = runWith("-Dpicocli.usage.width=400", tmp, LAUNCHER.toString(), "train", "--help");
        assertTrue(help.outText().contains("(default: " + Path.of("").toAbsolutePath()
                .resolve("config/tf14-cross-entropy.yaml") + ")"), help.outText());
    }

    @Test
    void exitCodesAndTheCommandsItPrintsAreTheLaunchers() throws Exception {
        Ran usage = run(tmp, LAUNCHER.toString(), "train", "--epochz", "2");
        assertEquals(2, usage.code());
        assertEquals(0, usage.out().length);
        assertEquals(List.of("error: Unknown options: '--epochz', '2'; did you mean --epochs? (see: " + LAUNCHER
                + " train --help)"), usage.errLines());

        Ran bad = run(tmp, LAUNCHER.toString(), "train", "--config", "nope.yaml");
        assertEquals(1, bad.code());
        assertEquals(0, bad.out().length);

        // Stopped as Ctrl-C would stop it: the resume command is the launcher's, quoted.
        Path runs = tmp.resolve("my runs");
        Ran stopped = run(tmp, LAUNCHER.toString(), "train", "--seed", "1", "--epochs", "1", "--steps-per-epoch", "50",
                "--stop-after-steps", "20", "--output-dir", runs.toString());
        assertEquals(130, stopped.code(), stopped.err());
        try (var dirs = Files.list(runs)) {
            Path checkpoint = dirs.findFirst().orElseThrow().resolve("checkpoint.zip");
            assertTrue(stopped.err().contains("resume with: " + LAUNCHER + " train --resume \"" + checkpoint + "\""),
                    stopped.err());
        }
    }

    @Test
    void theClassArchiveMadeByThePackageIsUsed() throws Exception {
        Path archive = Path.of("lib", "mnist-xent.jsa");
        assertTrue(Files.size(archive) > 1_000_000, "mvn package archives the classes of a run in " + archive);
        Path loaded = tmp.resolve("classes.txt");
        Ran r = runWith("-Xlog:class+load=info:file=" + loaded, tmp, LAUNCHER.toString(), "train", "--seed", "1",
                "--epochs", "1", "--steps-per-epoch", "20", "--output-dir", "runs");
        assertEquals(0, r.code(), r.err());
        String log = Files.readString(loaded);
        // the application's own classes and DL4J's (the configuration its zips hold) come from the archive, not
        // from the jars; ND4J's are not loaded at all (the kernel engine trains and writes its zips without it)
        for (String name : List.of("mnistxent.cli.Main", "mnistxent.engine.kernel.MlpKernel",
                "mnistxent.train.TrainingRun", "org.deeplearning4j.nn.conf.MultiLayerConfiguration",
                "org.nd4j.shade.jackson.databind.ObjectMapper")) {
            assertTrue(log.contains(name + " source: shared objects file (top)"), name + " from the archive: "
                    + log.lines().filter(l -> l.contains(" " + name + " ")).toList());
        }
        // an archive that does not fit (another Java's, or one older than the jars) is skipped without a word
        Path stale = tmp.resolve("stale.jsa");
        Files.write(stale, new byte[] {1, 2, 3});
        Ran skipped = runWith("-XX:SharedArchiveFile=" + stale, tmp, LAUNCHER.toString(), "--version");
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.outText().startsWith("mnist-xent "), "stdout holds only the version: " + skipped.outText());
        assertEquals(List.of(), skipped.errLines());
    }
}
