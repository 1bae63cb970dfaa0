package mnistxent.train;

import mnistxent.config.ConfigOverrides;
import mnistxent.engine.EngineKind;
import mnistxent.model.LayerParameters;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.run.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static mnistxent.train.TrainingFixtures.assertBitwiseEqual;
import static mnistxent.train.TrainingFixtures.config;
import static mnistxent.train.TrainingFixtures.metricsWithoutSeconds;
import static mnistxent.train.TrainingFixtures.parameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run resumed from a checkpoint is the run that never stopped. On the CPU, for both CPU engines (the
 * cuda engine: EmulatedDriverTest), 1 + 1 epochs equal 2 epochs straight parameter for parameter (bit for bit), and so does a run stopped in
 * the middle of an epoch; stdout and metrics.csv continue the history without a gap or a repeat.
 */
class ResumeTest {

    /** Steps per epoch: stock DL4J is ~50x slower than the kernel on this job (README, Performance). */
    private static final int STEPS = 300;

    private static int steps(EngineKind engine) {
        return engine == EngineKind.KERNEL ? STEPS : 100;
    }

    @TempDir
    Path tmp;

    private static TrainingRun.Options options(EngineKind engine, Path resume, long stopAfter) {
        return new TrainingRun.Options(engine.cliName(), resume, false).withStopAfterSteps(stopAfter);
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"KERNEL", "DL4J"})
    void oneEpochPlusOneEqualsTwoEpochsStraight(EngineKind engine) {
        int steps = steps(engine);
        var straight = TrainingFixtures.fresh(config(11, 2, steps, tmp.resolve("straight")), options(engine, null, 0));
        var first = TrainingFixtures.fresh(config(11, 1, steps, tmp.resolve("split")), options(engine, null, 0));
        assertEquals(1, first.result().state().epochsCompleted());
        Path checkpoint = first.dir().resolve(RunDirectory.CHECKPOINT);
        var second = TrainingFixtures.resume(new TrainingRun.Options(null, checkpoint, false),
                TrainingFixtures.totalEpochs(2));

        assertEquals(first.dir(), second.dir(), "a run directory's checkpoint continues in that directory");
        assertBitwiseEqual(parameters(straight.dir().resolve(RunDirectory.MODEL_FINAL)),
                parameters(second.dir().resolve(RunDirectory.MODEL_FINAL)), engine + ": 1 + 1 epochs vs 2");
        // stdout: the resumed run prints the epochs it ran and the best of the whole history
        assertEquals(straight.stdout().subList(0, 1), first.stdout().subList(0, 1));
        assertEquals(straight.stdout().subList(1, 3), second.stdout());
        assertEquals(metricsWithoutSeconds(straight.dir()), metricsWithoutSeconds(second.dir()));
        assertEquals(engine, ModelFile.load(checkpoint).recordedEngine().orElseThrow(),
                "the engine recorded in the zip is the one used when none is asked for");
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"KERNEL", "DL4J"})
    void aRunStoppedMidEpochResumesExactly(EngineKind engine) {
        int steps = steps(engine);
        var straight = TrainingFixtures.fresh(config(12, 2, steps, tmp.resolve("straight")), options(engine, null, 0));
        long stopAt = steps + 37;    // in the middle of epoch 1
        var stopped = TrainingFixtures.fresh(config(12, 2, steps, tmp.resolve("split")), options(engine, null, stopAt));
        assertTrue(stopped.result().stopped());
        Path checkpoint = stopped.dir().resolve(RunDirectory.CHECKPOINT);
        TrainingState saved = ModelFile.load(checkpoint).requireState();
        assertEquals(1, saved.epochsCompleted());
        assertEquals(37, saved.stepInEpoch());
        assertEquals(stopAt, saved.stepsDone());
        assertFalse(ModelFile.load(checkpoint).recordedTestCorrect().isPresent(),
                "parameters saved mid-epoch were never evaluated");

        var resumed = TrainingFixtures.resume(options(engine, checkpoint, 0), ConfigOverrides.NONE);
        assertFalse(resumed.result().stopped());
        assertBitwiseEqual(parameters(straight.dir().resolve(RunDirectory.MODEL_FINAL)),
                parameters(resumed.dir().resolve(RunDirectory.MODEL_FINAL)), engine + ": stopped mid-epoch");
        // A stopped run prints no "best" line, so the two outputs together are the straight run's.
        List<String> both = new ArrayList<>(stopped.stdout());
        both.addAll(resumed.stdout());
        assertEquals(straight.stdout(), both);
        assertEquals(metricsWithoutSeconds(straight.dir()), metricsWithoutSeconds(resumed.dir()));
    }

    @Test
    void aStopInTheFirstEpochAndTwoResumesStillEqualTheStraightRun() {
        EngineKind engine = EngineKind.KERNEL;
        var straight = TrainingFixtures.fresh(config(13, 3, STEPS, tmp.resolve("straight")), options(engine, null, 0));
        var a = TrainingFixtures.fresh(config(13, 3, STEPS, tmp.resolve("split")), options(engine, null, 41));
        Path checkpoint = a.dir().resolve(RunDirectory.CHECKPOINT);
        assertTrue(a.stdout().isEmpty(), "no epoch finished: " + a.stdout());
        assertTrue(ModelFile.load(checkpoint).requireState().history().isEmpty());
        // stop again exactly at an epoch boundary, then finish
        var b = TrainingFixtures.resume(options(engine, checkpoint, 2L * STEPS), ConfigOverrides.NONE);
        assertTrue(b.result().stopped());
        assertEquals(2, ModelFile.load(checkpoint).requireState().epochsCompleted());
        var c = TrainingFixtures.resume(options(engine, checkpoint, 0), ConfigOverrides.NONE);
        assertBitwiseEqual(parameters(straight.dir().resolve(RunDirectory.MODEL_FINAL)),
                parameters(c.dir().resolve(RunDirectory.MODEL_FINAL)), "stopped twice");
        List<String> all = new ArrayList<>(a.stdout());
        all.addAll(b.stdout());
        all.addAll(c.stdout());
        assertEquals(straight.stdout(), all);
        assertEquals(metricsWithoutSeconds(straight.dir()), metricsWithoutSeconds(c.dir()));
    }

    @Test
    void resumingAnotherZipThanTheCheckpointStartsANewRunDirectory() throws Exception {
        var run = TrainingFixtures.fresh(config(14, 1, 50, tmp.resolve("runs")), options(EngineKind.KERNEL, null, 0));
        Path best = run.dir().resolve(RunDirectory.MODEL_BEST);
        byte[] finalBefore = Files.readAllBytes(run.dir().resolve(RunDirectory.MODEL_FINAL));
        var extended = TrainingFixtures.resume(new TrainingRun.Options(null, best, false),
                TrainingFixtures.totalEpochs(2));
        assertFalse(extended.dir().equals(run.dir()), "the original run must not be overwritten");
        assertTrue(java.util.Arrays.equals(finalBefore, Files.readAllBytes(run.dir().resolve(RunDirectory.MODEL_FINAL))));
        assertEquals(2, metricsWithoutSeconds(extended.dir()).size() - 1, "history carried over, one epoch added");
        assertEquals(2, ModelFile.load(extended.dir().resolve(RunDirectory.MODEL_FINAL)).requireState().epochsCompleted());
    }

    @Test
    void aFinishedRunNeedsMoreEpochsToResume() {
        var run = TrainingFixtures.fresh(config(15, 1, 20, tmp.resolve("runs")), options(EngineKind.KERNEL, null, 0));
        Path checkpoint = run.dir().resolve(RunDirectory.CHECKPOINT);
        var finished = assertThrows(TrainingRun.NothingToResume.class, () -> TrainingFixtures.resume(
                new TrainingRun.Options(null, checkpoint, false), ConfigOverrides.NONE));
        assertEquals(1, finished.epochsCompleted());
        assertEquals(1, finished.target());
        assertFalse(finished.asked(), "the saved run's own total");
        var fewer = assertThrows(TrainingRun.NothingToResume.class, () -> TrainingFixtures.resume(
                new TrainingRun.Options(null, checkpoint, false), TrainingFixtures.totalEpochs(1)));
        assertTrue(fewer.asked(), "a total that was asked for");
    }

    @Test
    void parametersReadBackFromAZipAreTheSavedOnes() {
        var run = TrainingFixtures.fresh(config(16, 1, 20, tmp.resolve("runs")), options(EngineKind.KERNEL, null, 0));
        List<LayerParameters> a = parameters(run.dir().resolve(RunDirectory.MODEL_FINAL));
        List<LayerParameters> b = parameters(run.dir().resolve(RunDirectory.CHECKPOINT));
        assertBitwiseEqual(a, b, "final model and last checkpoint");
    }
}
