package mnistxent.train;

import mnistxent.config.TrainingSpec;
import mnistxent.data.TfBatcher;
import mnistxent.engine.EngineKind;
import mnistxent.engine.EpochSnapshot;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.LayerParameters;
import mnistxent.run.EpochResult;
import mnistxent.run.TrainingState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop alone, on a fake engine: what listeners see, the best-epoch rule, stopping and resuming. */
class TrainerTest {

    private static final int BATCH = 2;
    private static final TrainingSpec SPEC = new TrainingSpec(BATCH, 4, 5);   // 4 epochs x 5 steps

    /** Losses 1, 2, 3, ... in step order; test counts from a script; the batches it was given. */
    private static class FakeEngine implements TrainingEngine {
        final int perCall;
        final int[] testCounts;
        final List<Integer> batchesSeen = new ArrayList<>();
        final List<Integer> callSizes = new ArrayList<>();
        int steps;
        int evaluations;

        FakeEngine(int perCall, int... testCounts) {
            this.perCall = perCall;
            this.testCounts = testCounts;
        }

        @Override
        public EngineKind kind() {
            return EngineKind.KERNEL;
        }

        @Override
        public int batchSize() {
            return BATCH;
        }

        @Override
        public void train(int[] batches, int count, float[] losses) {
            callSizes.add(count);
            for (int k = 0; k < count; k++) {
                for (int e = 0; e < BATCH; e++) {
                    batchesSeen.add(batches[k * BATCH + e]);
                }
                losses[k] = ++steps;
            }
        }

        @Override
        public int preferredStepsPerCall() {
            return perCall;
        }

        @Override
        public int correctOnTest() {
            return testCounts[evaluations++];
        }

        @Override
        public int correctOnValidation() {
            return 7;
        }

        @Override
        public int testCount() {
            return 100;
        }

        @Override
        public int validationCount() {
            return 10;
        }

        @Override
        public List<LayerParameters> parameters() {
            return List.of();
        }

        @Override
        public void setParameters(List<LayerParameters> parameters) {
        }
    }

    /**
     * A {@link FakeEngine} whose snapshot counts later, when asked (on the thread that ends the epochs); its
     * parameters are one number: the steps done when it was taken.
     */
    private static final class LaterCountingEngine extends FakeEngine {

        LaterCountingEngine(int perCall, int... testCounts) {
            super(perCall, testCounts);
        }

        @Override
        public EpochSnapshot snapshot() {
            int stepsThen = steps;
            return new EpochSnapshot() {
                @Override
                public List<LayerParameters> parameters() {
                    return List.of(new LayerParameters(1, 1, new float[] {stepsThen}, new float[] {0}));
                }

                @Override
                public int correctOnTest() {
                    return LaterCountingEngine.this.correctOnTest();
                }

                @Override
                public int correctOnValidation() {
                    return LaterCountingEngine.this.correctOnValidation();
                }

                @Override
                public boolean countsLater() {
                    return true;
                }
            };
        }
    }

    /** Every event, as text, from whatever thread. */
    private static final class Recorder implements TrainingListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> epochEndThreads = Collections.synchronizedList(new ArrayList<>());
        final List<Float> epochEndParameters = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onStart(TrainingState state) {
            events.add("start " + state.epochsCompleted() + "/" + state.stepInEpoch());
        }

        @Override
        public void onStep(int epoch, int stepInEpoch, float loss) {
            events.add("step " + epoch + "." + stepInEpoch + " " + (int) loss);
        }

        @Override
        public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest,
                               List<LayerParameters> parameters) {
            events.add("epoch " + result.epoch() + " " + result.testCorrect() + (newBest ? " best" : ""));
            epochEndThreads.add(Thread.currentThread().getName());
            epochEndParameters.add(parameters.isEmpty() ? Float.NaN : parameters.get(0).weights()[0]);
        }

        @Override
        public void onFinish(TrainingState state, boolean stopped) {
            events.add((stopped ? "stopped " : "finished ") + state.epochsCompleted() + "/" + state.stepInEpoch()
                    + " best " + state.best());
        }
    }

    private static TfBatcher batcher() {
        return new TfBatcher(0, 9, BATCH, 42);
    }

    @Test
    void listenersSeeEveryStepThenTheEpochThenTheEnd() {
        FakeEngine engine = new FakeEngine(3, 50, 60, 60, 55);
        Recorder r = new Recorder();
        Trainer.Outcome out = new Trainer(SPEC, engine, batcher(), List.of(r), 0).run(
                TrainingState.initial(batcher().state()));
        assertFalse(out.stopped());
        assertEquals(List.of("start 0/0", "step 0.1 1", "step 0.2 2", "step 0.3 3", "step 0.4 4", "step 0.5 5",
                "epoch 0 50 best"), r.events.subList(0, 7));
        assertEquals("finished 4/0 best 60", r.events.get(r.events.size() - 1));
        // the seed's best <= acc: the tie in epoch 2 moves the best there; epoch 3's 55 does not
        assertTrue(r.events.contains("epoch 1 60 best"));
        assertTrue(r.events.contains("epoch 2 60 best"));
        assertTrue(r.events.contains("epoch 3 55"));
        assertEquals(2, out.state().bestEpoch());
        // calls never cross an epoch: 3 + 2 steps per epoch
        assertEquals(List.of(3, 2, 3, 2, 3, 2, 3, 2), engine.callSizes);
        EpochResult first = out.state().history().get(0);
        assertEquals(3.0, first.meanTrainLoss(), 1e-12, "mean of 1..5");
        assertEquals(0.7, first.validationAccuracy(), 1e-12);
        assertEquals(20, out.state().stepsDone());
    }

    @Test
    void epochsEndingBesideTheNextEpochMakeTheSameRunInTheSameOrder() {
        Recorder now = new Recorder();
        Trainer.Outcome counted = new Trainer(SPEC, new FakeEngine(3, 50, 60, 60, 55), batcher(), List.of(now), 0)
                .run(TrainingState.initial(batcher().state()));
        Recorder later = new Recorder();
        Trainer.Outcome overlapped = new Trainer(SPEC, new LaterCountingEngine(3, 50, 60, 60, 55), batcher(),
                List.of(later), 0).run(TrainingState.initial(batcher().state()));

        assertEquals(withoutTimes(counted.state()), withoutTimes(overlapped.state()));
        assertEquals(epochEvents(now.events), epochEvents(later.events), "every epoch's end, in order");
        assertEquals("finished 4/0 best 60", later.events.get(later.events.size() - 1), "after every epoch's end");
        assertEquals(List.of("epoch-end", "epoch-end", "epoch-end", "epoch-end"), later.epochEndThreads);
        assertEquals(List.of(5f, 10f, 15f, 20f), later.epochEndParameters, "each epoch's own parameters");
        assertTrue(now.epochEndThreads.stream().allMatch(t -> t.equals(Thread.currentThread().getName())),
                "an engine that counts at its snapshot ends its epochs on the training thread");
    }

    @Test
    void aFailureWhileAnEpochEndsBesideTheNextIsTheRunsFailure() {
        TrainingListener failing = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest,
                                   List<LayerParameters> parameters) {
                if (result.epoch() == 1) {
                    throw new IllegalStateException("cannot write epoch 1");
                }
            }
        };
        Recorder r = new Recorder();
        Trainer trainer = new Trainer(SPEC, new LaterCountingEngine(3, 50, 60, 60, 55), batcher(), List.of(failing, r), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer.run(TrainingState.initial(batcher().state())));
        assertEquals("cannot write epoch 1", e.getMessage());
        assertEquals(List.of("epoch 0 50 best"), epochEvents(r.events), "no epoch ends after the failed one");
        assertTrue(r.events.stream().noneMatch(x -> x.startsWith("finished")));
    }

    private static List<String> epochEvents(List<String> events) {
        synchronized (events) {
            return events.stream().filter(e -> e.startsWith("epoch ")).toList();
        }
    }

    @Test
    void theBatchesAreTheBatchersWhateverTheCallSize() {
        FakeEngine oneAtATime = new FakeEngine(1, 1, 2, 3, 4);
        FakeEngine wholeEpochs = new FakeEngine(1000, 1, 2, 3, 4);
        new Trainer(SPEC, oneAtATime, batcher(), List.of(), 0).run(TrainingState.initial(batcher().state()));
        new Trainer(SPEC, wholeEpochs, batcher(), List.of(), 0).run(TrainingState.initial(batcher().state()));
        TfBatcher reference = batcher();
        int[] expected = new int[20 * BATCH];
        reference.next(expected, 20);
        assertEquals(Arrays.stream(expected).boxed().toList(), oneAtATime.batchesSeen);
        assertEquals(oneAtATime.batchesSeen, wholeEpochs.batchesSeen);
        assertEquals(List.of(5, 5, 5, 5), wholeEpochs.callSizes);
    }

    @Test
    void aStoppedRunResumesIntoTheStraightRun() {
        FakeEngine straight = new FakeEngine(4, 10, 30, 20, 30);
        Recorder all = new Recorder();
        Trainer.Outcome whole = new Trainer(SPEC, straight, batcher(), List.of(all), 0)
                .run(TrainingState.initial(batcher().state()));

        FakeEngine first = new FakeEngine(4, 10, 30, 20, 30);
        Recorder before = new Recorder();
        Trainer.Outcome stopped = new Trainer(SPEC, first, batcher(), List.of(before), 7)
                .run(TrainingState.initial(batcher().state()));
        assertTrue(stopped.stopped());
        assertEquals(1, stopped.state().epochsCompleted());
        assertEquals(2, stopped.state().stepInEpoch(), "stopped exactly after step 7 of the run");
        assertEquals(7, stopped.state().stepsDone());
        assertEquals(6.0 + 7.0, stopped.state().epochLossSum(), 1e-12, "the partial epoch's losses are kept");
        assertEquals("stopped 1/2 best 10", before.events.get(before.events.size() - 1));

        // resume: a fresh engine continuing the losses' count and the evaluations' script
        FakeEngine second = new FakeEngine(4, 30, 20, 30);
        second.steps = 7;
        Recorder after = new Recorder();
        Trainer.Outcome resumed = new Trainer(SPEC, second, TfBatcher.restore(stopped.state().batcher()),
                List.of(after), 0).run(stopped.state());
        assertEquals("start 1/2", after.events.get(0));
        assertEquals(withoutTimes(whole.state()), withoutTimes(resumed.state()),
                "the same final state as the straight run (wall times aside)");
        List<Integer> joined = new ArrayList<>(first.batchesSeen);
        joined.addAll(second.batchesSeen);
        assertEquals(straight.batchesSeen, joined, "the same batches");
        assertEquals(3, resumed.state().bestEpoch(), "30 again in epoch 3: the tie goes to the later epoch");
    }

    private static TrainingState withoutTimes(TrainingState s) {
        List<EpochResult> history = s.history().stream().map(r -> new EpochResult(r.epoch(), r.steps(),
                r.meanTrainLoss(), r.testCorrect(), r.testCount(), r.validationAccuracy(), 0)).toList();
        return new TrainingState(s.epochsCompleted(), s.stepInEpoch(), s.stepsDone(), s.epochLossSum(), 0, s.best(),
                history, s.batcher());
    }

    @Test
    void aStopRequestEndsTheRunAfterTheCallInProgress() {
        FakeEngine engine = new FakeEngine(2, 1, 2, 3, 4);
        Trainer[] trainer = new Trainer[1];
        TrainingListener stopAtStep3 = new TrainingListener() {
            @Override
            public void onStep(int epoch, int stepInEpoch, float loss) {
                if (loss == 3) {
                    trainer[0].requestStop();
                }
            }
        };
        trainer[0] = new Trainer(SPEC, engine, batcher(), List.of(stopAtStep3), 0);
        Trainer.Outcome out = trainer[0].run(TrainingState.initial(batcher().state()));
        assertTrue(out.stopped());
        assertEquals(4, out.state().stepsDone(), "the call of steps 3-4 completes, then the run stops");
        assertEquals(0, out.state().epochsCompleted());
    }
}
