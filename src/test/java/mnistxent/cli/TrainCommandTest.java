package mnistxent.cli;

import mnistxent.run.RunDirectory;
import mnistxent.train.TrainingFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code train} words what the layers below refuse: one line naming the option and the fix. */
class TrainCommandTest {

    @TempDir
    Path tmp;

    @Test
    void overridesObeyTheSchemasRanges() {
        Cli epochs = Cli.run("train", "--epochs", "200000", "--output-dir", tmp.toString());
        assertEquals(1, epochs.code());
        assertEquals("error: --epochs must be between 1 and 100000, got 200000\n", epochs.err());
        Cli steps = Cli.run("train", "--steps-per-epoch", "0", "--output-dir", tmp.toString());
        assertEquals(1, steps.code());
        assertEquals("error: --steps-per-epoch must be >= 1, got 0\n", steps.err());
        assertFalse(Files.exists(tmp.resolve("runs")), "nothing written");
    }

    @Test
    void anUnknownEngineIsAUsageError() {
        Cli r = Cli.run("train", "--engine", "gpu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown engine 'gpu'; allowed: auto, dl4j, kernel"), r.err());
    }

    @Test
    void resumingAFinishedRunNamesTheTotalToGive() {
        String data = TrainingFixtures.mnistDir().toString();
        Cli run = Cli.run("train", "--seed", "3", "--epochs", "1", "--steps-per-epoch", "20", "--no-progress",
                "--output-dir", tmp.toString(), "--data-dir", data);
        assertEquals(0, run.code(), run.err());
        Path checkpoint;
        try (var dirs = Files.list(tmp)) {
            checkpoint = dirs.findFirst().orElseThrow().resolve(RunDirectory.CHECKPOINT);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Cli finished = Cli.run("train", "--resume", checkpoint.toString(), "--data-dir", data);
        assertEquals(1, finished.code());
        assertTrue(finished.err().contains("holds a finished run (1 of 1 epochs); to train it further give the new "
                + "total: --epochs 2 or more"), finished.err());
        Cli fewer = Cli.run("train", "--resume", checkpoint.toString(), "--epochs", "1", "--data-dir", data);
        assertEquals(1, fewer.code());
        assertTrue(fewer.err().contains("already holds 1 epoch; --epochs is the total to reach, so give more than 1"),
                fewer.err());
    }
}
