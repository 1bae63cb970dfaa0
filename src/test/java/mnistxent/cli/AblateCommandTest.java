package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.ablation.AblationReport;
import mnistxent.ablation.ConfigResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ablate command: bad input is one line and exit code 1; a tiny real ablation end to end. */
class AblateCommandTest {

    private String out = "";
    private String err = "";

    private int run(String... args) {
        Cli result = Cli.run(args);
        out = result.out();
        err = result.err();
        return result.code();
    }

    private String oneLineError() {
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("error: "), message);
        return message;
    }

    @Test
    void anUnknownConfigNameIsOneLineListingTheKnownOnes(@TempDir Path dir) {
        int code = run("ablate", "--configs", "tf12-quadratic,tf99-nope", "--out", dir.toString());
        assertEquals(UserError.EXIT_CODE, code);
        String message = oneLineError();
        assertTrue(message.startsWith("error: unknown config 'tf99-nope': there is no config/tf99-nope.yaml; known: "),
                message);
        for (String name : ConfigResolver.DEFAULT_CONFIGS) {
            assertTrue(message.contains(name), message);
        }
        assertFalse(message.contains("neuron"), "the single-neuron config is not an experiment config: " + message);
        assertEquals("", out.toString());
    }

    @Test
    void aMissingConfigFileIsOneLine(@TempDir Path dir) {
        int code = run("ablate", "--configs", dir.resolve("gone.yaml").toString(), "--out", dir.toString());
        assertEquals(UserError.EXIT_CODE, code);
        assertTrue(oneLineError().contains("no such config file"), err.toString());
    }

    @Test
    void anUnwritableOutputDirectoryIsOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "not a directory");
        int code = run("ablate", "--seeds", "1", "--out", file.resolve("ablation").toString());
        assertEquals(UserError.EXIT_CODE, code);
        String message = oneLineError();
        assertTrue(message.startsWith("error: cannot create the output directory " + file.resolve("ablation")), message);
        assertTrue(message.endsWith("(choose another with --out)"), message);
    }

    @Test
    void zeroSeedsIsOneLine(@TempDir Path dir) {
        assertEquals(UserError.EXIT_CODE, run("ablate", "--seeds", "0", "--out", dir.toString()));
        assertEquals("error: --seeds must be at least 1, got 0", oneLineError());
    }

    @Test
    void zeroParallelIsOneLine(@TempDir Path dir) {
        assertEquals(UserError.EXIT_CODE, run("ablate", "--parallel", "0", "--out", dir.toString()));
        assertEquals("error: --parallel must be at least 1, got 0", oneLineError());
    }

    @Test
    void aNegativeSeedBaseIsOneLine(@TempDir Path dir) {
        assertEquals(UserError.EXIT_CODE, run("ablate", "--seed-base", "-1", "--out", dir.toString()));
        assertTrue(oneLineError().startsWith("error: --seed-base must be between 0 and "), err.toString());
    }

    @Test
    void twoConfigsOfOneNameAreOneLine(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("copy.yaml");
        Files.copy(Path.of("config/tf12-quadratic.yaml"), copy);
        int code = run("ablate", "--configs", "tf12-quadratic," + copy, "--out", dir.resolve("out").toString());
        assertEquals(UserError.EXIT_CODE, code);
        assertTrue(oneLineError().startsWith("error: two configs are named 'tf12-quadratic'"), err.toString());
    }

    /**
     * Two shortened configs x 2 seeds, real training (2 epochs of 20 steps): the report is written,
     * stdout holds only the table (no script lines), a rerun trains nothing, and the same runs trained
     * one at a time give the same numbers as side by side.
     */
    @Test
    void aTinyRealAblationEndToEnd(@TempDir Path dir) throws Exception {
        String configs = shortened(dir, "tf14-cross-entropy") + "," + shortened(dir, "tf12-quadratic");
        Path parallelOut = dir.resolve("parallel");

        int code = run("ablate", "--configs", configs, "--seeds", "2", "--parallel", "2", "--out", parallelOut.toString());

        assertEquals(0, code, err.toString());
        for (String f : List.of(AblationReport.MARKDOWN, AblationReport.RUNS_CSV, AblationReport.ACCURACY_PNG,
                AblationReport.LOSS_PNG)) {
            assertTrue(Files.size(parallelOut.resolve(f)) > 0, f);
        }
        String table = out.toString();
        assertEquals(4, table.lines().count(), table);
        assertTrue(table.lines().skip(2).allMatch(l -> l.startsWith("| `tiny-")), table);
        assertFalse(table.contains("Epoch 0:"), "the runs' script lines are not on stdout");
        Path seed1 = parallelOut.resolve("tiny-tf12-quadratic/seed-1");
        List<String> script = Files.readAllLines(seed1.resolve("stdout.txt"));
        assertEquals(3, script.size(), "Epoch 0, Epoch 1, best: " + script);
        assertTrue(script.get(0).startsWith("Epoch 0: ") && script.get(2).startsWith("best: "), script.toString());
        String log = Files.readString(seed1.resolve("train.log"));
        assertTrue(log.contains("tiny-tf12-quadratic/seed-1"), "its own run");
        assertFalse(log.contains("seed-2") || log.contains("tiny-tf14"), "no other run's lines: " + log);
        long modelTime = Files.getLastModifiedTime(seed1.resolve("model-final.zip")).toMillis();
        assertTrue(Files.readString(parallelOut.resolve(AblationReport.MARKDOWN)).contains(
                "mvn exec:java -Dexec.args=\"ablate --configs " + configs + " --seeds 2 --parallel 2 --out "
                        + parallelOut + "\""), "the command that regenerates it");

        assertEquals(0, run("ablate", "--configs", configs, "--seeds", "2", "--out", parallelOut.toString()),
                err.toString());
        assertEquals(modelTime, Files.getLastModifiedTime(seed1.resolve("model-final.zip")).toMillis(),
                "a finished run is not trained again");
        assertEquals(table, out.toString(), "the same table from the same runs");

        Path sequentialOut = dir.resolve("sequential");
        assertEquals(0, run("ablate", "--configs", configs, "--seeds", "2", "--parallel", "1",
                "--out", sequentialOut.toString()), err.toString());
        for (String run : List.of("tiny-tf14-cross-entropy/seed-1", "tiny-tf14-cross-entropy/seed-2",
                "tiny-tf12-quadratic/seed-1", "tiny-tf12-quadratic/seed-2")) {
            assertEquals(withoutSeconds(parallelOut.resolve(run).resolve("metrics.csv")),
                    withoutSeconds(sequentialOut.resolve(run).resolve("metrics.csv")),
                    run + ": side by side or one at a time, the same run");
        }

        // the seeds of a config in lockstep, one engine call per epoch for both: the same runs again
        Path groupedOut = dir.resolve("grouped");
        assertEquals(0, run("ablate", "--configs", configs, "--seeds", "2", "--runs-per-launch", "2",
                "--out", groupedOut.toString()), err.toString());
        for (String run : List.of("tiny-tf14-cross-entropy/seed-1", "tiny-tf14-cross-entropy/seed-2",
                "tiny-tf12-quadratic/seed-1", "tiny-tf12-quadratic/seed-2")) {
            assertEquals(withoutSeconds(parallelOut.resolve(run).resolve("metrics.csv")),
                    withoutSeconds(groupedOut.resolve(run).resolve("metrics.csv")),
                    run + ": in a group or alone, the same run");
            assertEquals(Files.readAllLines(parallelOut.resolve(run).resolve("stdout.txt")),
                    Files.readAllLines(groupedOut.resolve(run).resolve("stdout.txt")), run + ": the same lines");
            mnistxent.train.TrainingFixtures.assertBitwiseEqual(
                    mnistxent.train.TrainingFixtures.parameters(parallelOut.resolve(run).resolve("model-final.zip")),
                    mnistxent.train.TrainingFixtures.parameters(groupedOut.resolve(run).resolve("model-final.zip")),
                    run + ": the same final parameters");
        }
        assertEquals(table.lines().skip(2).map(l -> l.substring(0, l.lastIndexOf("| ", l.length() - 3))).toList(),
                out.lines().skip(2).map(l -> l.substring(0, l.lastIndexOf("| ", l.length() - 3))).toList(),
                "the same table, wall times aside");
    }

    private static Path shortened(Path dir, String name) throws Exception {
        String text = Files.readString(Path.of("config", name + ".yaml"))
                .replace("name: " + name, "name: tiny-" + name)
                .replace("epochs: 30", "epochs: 2")
                .replace("steps-per-epoch: 5000", "steps-per-epoch: 20");
        Path file = dir.resolve("tiny-" + name + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    /** metrics.csv without its wall-time column (the only one that may differ). */
    private static String withoutSeconds(Path metrics) throws Exception {
        return Files.readAllLines(metrics).stream().map(l -> l.substring(0, l.lastIndexOf(',')))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void epochsAndStepsPerEpochShortenEveryConfigForAQuickStudy(@TempDir Path dir) throws Exception {
        int code = run("ablate", "--configs", "tf14-cross-entropy", "--seeds", "1", "--epochs", "2",
                "--steps-per-epoch", "30", "--out", dir.toString(), "--data-dir-unused-check-off");
        assertEquals(Main.EXIT_USAGE, code, "an unknown option is still a usage error");
        code = run("ablate", "--configs", "tf14-cross-entropy", "--seeds", "1", "--epochs", "2",
                "--steps-per-epoch", "30", "--out", dir.toString());
        assertEquals(0, code, err);
        List<String> script = Files.readAllLines(dir.resolve("tf14-cross-entropy/seed-1/stdout.txt"));
        assertEquals(3, script.size(), "Epoch 0, Epoch 1, best: " + script);
        assertTrue(Files.readString(dir.resolve("tf14-cross-entropy/seed-1/config.yaml")).contains("steps-per-epoch: 30"));
        assertEquals(1, run("ablate", "--configs", "tf14-cross-entropy", "--epochs", "0", "--out", dir.toString()));
        assertEquals("error: --epochs must be between 1 and 100000, got 0", oneLineError());
    }
}
