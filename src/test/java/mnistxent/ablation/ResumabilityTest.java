package mnistxent.ablation;

import mnistxent.UserError;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.TrainingSpec;
import mnistxent.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What counts as finished, and the runner built on it: a rerun skips finished runs and trains
 * unfinished ones again from scratch. The training is stubbed: it writes what a finished run leaves.
 */
class ResumabilityTest {

    private static final int EPOCHS = 3;
    private static final int STEPS = 20;

    private static AblationPlan plan(Path out, int seeds) {
        return new AblationPlan(List.of(Synthetic.config("tf14-cross-entropy", EPOCHS, STEPS),
                Synthetic.config("tf12-quadratic", EPOCHS, STEPS)), 1, seeds, out);
    }

    /** A stub that "trains" by writing a finished run, and records what it was asked to train. */
    private static final class FakeTraining implements AblationRunner.RunFunction {
        final List<String> trained = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void train(PlannedRun run) throws Exception {
            trained.add(run.label());
            Synthetic.writeFinished(run);
        }
    }

    // ---------------------------------------------------------------- RunStatus

    @Test
    void aRunIsFinishedOnlyWithItsConfigAFinalModelAndEveryEpochsMetrics(@TempDir Path out) throws Exception {
        PlannedRun run = plan(out, 1).runs().get(0);
        assertEquals(RunStatus.State.ABSENT, RunStatus.of(run).state());
        Files.createDirectories(run.directory());
        assertEquals(RunStatus.State.ABSENT, RunStatus.of(run).state(), "an empty directory");

        Synthetic.writeFinished(run);
        RunStatus finished = RunStatus.of(run);
        assertTrue(finished.finished(), finished.detail());
        assertEquals(EPOCHS, finished.history().size());

        RunDirectory dir = new RunDirectory(run.directory());
        Files.delete(dir.modelFinal());
        assertUnfinished(run, "no model-final.zip");
        Files.write(dir.modelFinal(), new byte[0]);
        assertUnfinished(run, "no model-final.zip");
        Files.write(dir.modelFinal(), new byte[]{1});
        assertTrue(RunStatus.of(run).finished());

        // a run killed after some epochs: metrics.csv is short
        List<String> lines = Files.readAllLines(dir.metrics());
        Files.write(dir.metrics(), lines.subList(0, lines.size() - 1));
        assertUnfinished(run, "metrics.csv has 2 of 3 epochs");
        Files.write(dir.metrics(), lines.subList(0, 1));
        assertUnfinished(run, "metrics.csv has 0 of 3 epochs");
        Files.writeString(dir.metrics(), "garbage\n");
        assertUnfinished(run, "metrics.csv does not read");
        Files.write(dir.metrics(), lines);
        assertTrue(RunStatus.of(run).finished());

        // a row that does not belong to this plan (another steps-per-epoch)
        List<String> edited = new ArrayList<>(lines);
        edited.set(2, edited.get(2).replaceFirst("^1,40,", "1,41,"));
        Files.write(dir.metrics(), edited);
        assertUnfinished(run, "metrics.csv has inconsistent rows: row 2");
        Files.write(dir.metrics(), lines);

        Files.delete(dir.config());
        assertUnfinished(run, "no config.yaml");
    }

    @Test
    void aRunOfAnEditedConfigOrAnotherSeedIsNotFinished(@TempDir Path out) throws Exception {
        PlannedRun run = plan(out, 1).runs().get(0);
        Synthetic.writeFinished(run);
        ExperimentConfig longer = run.config().withTraining(new TrainingSpec(10, EPOCHS + 1, STEPS));
        assertUnfinished(new PlannedRun(longer, run.directory()), "(training differs)");
        assertUnfinished(new PlannedRun(run.config().withSeed(99), run.directory()), "(seed differs)");
        ExperimentConfig elsewhere = run.config().withOutput(new mnistxent.config.OutputSpec(Path.of("/elsewhere")));
        assertTrue(RunStatus.of(new PlannedRun(elsewhere, run.directory())).finished(),
                "where the outputs go does not change the experiment");
    }

    private static void assertUnfinished(PlannedRun run, String detail) {
        RunStatus s = RunStatus.of(run);
        assertEquals(RunStatus.State.UNFINISHED, s.state(), s.detail());
        assertTrue(s.detail().contains(detail), s.detail());
    }

    // ---------------------------------------------------------------- runner

    @Test
    void aRerunSkipsFinishedRunsAndRedoesUnfinishedOnesFromScratch(@TempDir Path out) throws Exception {
        AblationPlan plan = plan(out, 2);
        FakeTraining first = new FakeTraining();
        AblationRunner.Outcome o1 = new AblationRunner(first, 2).run(plan.runs());
        assertEquals(new AblationRunner.Outcome(4, 0, 4, o1.seconds()), o1);
        assertEquals(4, first.trained.size());

        // seed 2 of tf12-quadratic was killed mid-run: no model-final.zip, and a stray file
        Path killed = plan.runDirectory("tf12-quadratic", 2);
        Files.delete(new RunDirectory(killed).modelFinal());
        Files.writeString(killed.resolve("leftover.tmp"), "half a file");
        Path finishedModel = new RunDirectory(plan.runDirectory("tf14-cross-entropy", 1)).modelFinal();
        long before = Files.getLastModifiedTime(finishedModel).toMillis();

        FakeTraining second = new FakeTraining();
        AblationRunner.Outcome o2 = new AblationRunner(second, 2).run(plan.runs());

        assertEquals(List.of("tf12-quadratic seed 2"), second.trained);
        assertEquals(3, o2.skipped());
        assertEquals(1, o2.trained());
        assertFalse(Files.exists(killed.resolve("leftover.tmp")), "the unfinished directory was cleared first");
        assertTrue(RunStatus.of(plan.runs().get(3)).finished());
        assertEquals(before, Files.getLastModifiedTime(finishedModel).toMillis(), "a finished run is left alone");

        FakeTraining third = new FakeTraining();
        assertEquals(0, new AblationRunner(third, 2).run(plan.runs()).trained());
        assertTrue(third.trained.isEmpty());
    }

    @Test
    void runsTrainSideBySideUpToTheParallelism(@TempDir Path out) throws Exception {
        AblationPlan plan = plan(out, 2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch twoStarted = new CountDownLatch(2);
        AblationRunner.RunFunction fn = run -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            threads.add(Thread.currentThread().getName());
            twoStarted.countDown();
            assertTrue(twoStarted.await(10, TimeUnit.SECONDS), "a second run started alongside");
            Synthetic.writeFinished(run);
            running.decrementAndGet();
        };
        new AblationRunner(fn, 2).run(plan.runs());
        assertEquals(2, most.get(), "never more than --parallel at once");
        assertEquals(2, threads.size());
        assertTrue(threads.stream().allMatch(t -> t.startsWith("ablation-run-")), threads.toString());
    }

    @Test
    void aFailedRunStopsTheAblationWithItsNameAndStartsNoMoreRuns(@TempDir Path out) {
        AblationPlan plan = plan(out, 2);
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        AblationRunner.RunFunction fn = run -> {
            started.add(run.label());
            throw new UserError("MNIST is missing");
        };
        UserError e = assertThrows(UserError.class, () -> new AblationRunner(fn, 1).run(plan.runs()));
        assertEquals("tf14-cross-entropy seed 1: MNIST is missing", e.getMessage());
        assertEquals(List.of("tf14-cross-entropy seed 1"), started, "queued runs are not started");
    }

    @Test
    void aRunThatReturnsWithoutFinishingIsAnError(@TempDir Path out) {
        AblationPlan plan = plan(out, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AblationRunner(run -> Files.createDirectories(run.directory()), 1).run(plan.runs()));
        assertTrue(e.getMessage().contains("not finished"), e.getMessage());
    }

    @Test
    void theEtaSharesTheRemainingWorkAmongTheThreads() {
        // 20 s runs, 2 threads: one running for 15 s (5 s left) and 3 queued (60 s): 65 s / 2
        assertEquals(32.5, AblationRunner.etaSeconds(20, new double[]{15}, 3, 2), 1e-9);
        // the last queued run still needs a whole run even with a free thread
        assertEquals(20, AblationRunner.etaSeconds(20, new double[]{}, 1, 2), 1e-9);
        // a run in progress past the mean counts as about to end
        assertEquals(0, AblationRunner.etaSeconds(20, new double[]{25}, 0, 2), 1e-9);
        assertEquals("1:05", AblationRunner.clock(65));
        assertEquals("1:00:01", AblationRunner.clock(3601));
    }

    @Test
    void planNamesRunDirectoriesByConfigAndSeed(@TempDir Path out) {
        AblationPlan plan = new AblationPlan(List.of(Synthetic.config("tf12-quadratic", 1, 1)), 5, 2, out);
        assertEquals(List.of(5L, 6L), plan.seedList());
        List<PlannedRun> runs = plan.runs();
        assertEquals(out.resolve("tf12-quadratic").resolve("seed-6"), runs.get(1).directory());
        assertEquals(6L, runs.get(1).config().seed());
        assertEquals(out, runs.get(1).config().output().dir());
        ExperimentConfig c = Synthetic.config("tf12-quadratic", 1, 1);
        assertThrows(IllegalArgumentException.class, () -> new AblationPlan(List.of(c, c), 1, 1, out));
        assertThrows(IllegalArgumentException.class, () -> new AblationPlan(List.of(c), 1, 0, out));
    }
}
