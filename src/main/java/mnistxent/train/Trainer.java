package mnistxent.train;

import mnistxent.config.TrainingSpec;
import mnistxent.data.TfBatcher;
import mnistxent.engine.EpochSnapshot;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.LayerParameters;
import mnistxent.model.NonFiniteParameters;
import mnistxent.run.EpochResult;
import mnistxent.run.TrainingState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The seed script's loop (SPEC §2, §6):
 * <pre>
 * for epoch in range(30):
 *     for _ in range(5000): sess.run(train_step, next_batch(10))
 *     print("Epoch %s: %s / 10000" % (epoch, correct on the test set))
 * print("best: %s / 10000" % best)
 * </pre>
 * The trainer draws the batches, hands them to the engine a sequence at a time (a whole epoch for an
 * engine on a GPU), evaluates after each epoch and keeps the state a resume needs. An engine that can
 * count a copy of its parameters while it trains on (the kernel engine) has each epoch evaluated, and its
 * listeners told, on a thread of its own while the next epoch trains ({@link EpochSnapshot}; README,
 * Performance, "Epoch ends"): the lines, files and states are those of the plain loop. It prints nothing:
 * everything it observes goes to its {@link TrainingListener}s ({@link ScriptLines} prints the seed's
 * lines). A stop request (Ctrl-C) ends the run between two engine calls with that state.
 */
public final class Trainer {

    private final TrainingSpec spec;
    private final TrainingEngine engine;
    private final TfBatcher batcher;
    private final List<TrainingListener> listeners;
    private final long stopAfterSteps;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    /**
     * @param stopAfterSteps stop as a stop request would once the run has done this many steps in all
     *                       (0: never): how a run is stopped at an exact step
     */
    public Trainer(TrainingSpec spec, TrainingEngine engine, TfBatcher batcher, List<TrainingListener> listeners,
                   long stopAfterSteps) {
        if (engine.batchSize() != spec.batchSize() || batcher.batchSize() != spec.batchSize()) {
            throw new IllegalArgumentException("engine, batcher and spec disagree on the batch size");
        }
        this.spec = spec;
        this.engine = engine;
        this.batcher = batcher;
        this.listeners = List.copyOf(listeners);
        this.stopAfterSteps = stopAfterSteps;
    }

    /**
     * The run cannot go on (README, "train"): a step's loss is NaN or infinite, or the parameters are at the
     * end of an epoch (checked there, before anything is evaluated or saved, because an engine may compute a
     * finite loss past a non-finite weight: the kernel skips the weights of zero pixels).
     */
    public static final class NotFinite extends RuntimeException {
        private final long step;

        NotFinite(String message, long step) {
            super(message);
            this.step = step;
        }

        /** The step of the run (1 = the first) at which it was found. */
        public long step() {
            return step;
        }
    }

    /** Asks the run to stop after the engine call in progress (safe from any thread, e.g. a signal handler). */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** The outcome of {@link #run}: the final state, and whether it was stopped before the end. */
    public record Outcome(TrainingState state, boolean stopped) {
    }

    /** Runs from {@code start} (a fresh state, or one restored from a checkpoint) to the last epoch. */
    public Outcome run(TrainingState start) {
        EpochEnds ends = new EpochEnds(start.history(), start.best());
        try {
            Outcome outcome = train(start, ends);
            ends.await();
            return outcome;
        } catch (RuntimeException | Error e) {
            ends.awaitAfter(e);
            throw e;
        } finally {
            ends.close();
        }
    }

    private Outcome train(TrainingState start, EpochEnds ends) {
        long steps = start.stepsDone();
        int stepInEpoch = start.stepInEpoch();
        double lossSum = start.epochLossSum();
        double carriedSeconds = start.epochSeconds();
        listeners.forEach(l -> l.onStart(start));
        int perCall = Math.max(1, Math.min(engine.preferredStepsPerCall(), spec.stepsPerEpoch()));
        int[] batches = new int[perCall * spec.batchSize()];      // reused: no allocation per call
        float[] losses = new float[perCall];

        for (int epoch = start.epochsCompleted(); epoch < spec.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            int s = stepInEpoch;
            while (s < spec.stepsPerEpoch()) {
                if (stopRequested.get() || (stopAfterSteps > 0 && steps >= stopAfterSteps)) {
                    ends.await();
                    double seconds = carriedSeconds + (System.nanoTime() - epochStart) / 1e9;
                    TrainingState state = new TrainingState(epoch, s, steps, lossSum, seconds, ends.best,
                            ends.history, batcher.state());
                    listeners.forEach(l -> l.onFinish(state, true));
                    return new Outcome(state, true);
                }
                int n = Math.min(perCall, spec.stepsPerEpoch() - s);
                if (stopAfterSteps > 0) {
                    n = (int) Math.min(n, stopAfterSteps - steps);
                }
                batcher.next(batches, n);
                engine.train(batches, n, losses);
                for (int k = 0; k < n; k++) {
                    if (!Float.isFinite(losses[k])) {
                        throw new NotFinite("the training loss is " + losses[k] + " at step " + (s + 1) + " of epoch "
                                + epoch + " (step " + (steps + 1) + " of the run)", steps + 1);
                    }
                    lossSum += losses[k];
                    steps++;
                    s++;
                    for (TrainingListener l : listeners) {
                        l.onStep(epoch, s, losses[k]);
                    }
                }
            }
            var bad = NonFiniteParameters.firstNonFinite(engine.parameters());
            if (bad.isPresent()) {
                throw new NotFinite("after epoch " + epoch + " (step " + steps + " of the run) the parameter "
                        + bad.get(), steps);
            }
            ends.await();      // the previous epoch's end, before its snapshot's memory is reused
            EpochSnapshot snapshot = engine.snapshot();      // an engine that counts at its snapshot counts here
            ends.end(new EpochEnd(epoch, steps, lossSum / spec.stepsPerEpoch(),
                    carriedSeconds + (System.nanoTime() - epochStart) / 1e9, snapshot, batcher.state()));
            stepInEpoch = 0;
            lossSum = 0.0;
            carriedSeconds = 0.0;
        }
        ends.await();
        TrainingState end = new TrainingState(spec.epochs(), 0, steps, 0.0, 0.0, ends.best, ends.history,
                batcher.state());
        listeners.forEach(l -> l.onFinish(end, false));
        return new Outcome(end, false);
    }

    /**
     * An epoch's steps are done: what the rest of its end needs.
     *
     * @param secondsSoFar the wall time of its steps and its snapshot (an evaluation done later is added to it)
     */
    private record EpochEnd(int epoch, long steps, double meanLoss, double secondsSoFar, EpochSnapshot snapshot,
                            TfBatcher.State batcher) {
    }

    /**
     * Ends the epochs: counts the snapshot's test and validation images, records the result in the history
     * and calls the listeners. On the training thread when the engine counted at its snapshot; else on a
     * thread of its own, while the next epoch trains (README, Performance, "Epoch ends"), one epoch at a time
     * and in order: {@link #await} before the next snapshot, before a stop's or the end's state is taken.
     * The history and the best count are read only after {@link #await}, which orders them.
     */
    private final class EpochEnds implements AutoCloseable {
        private final List<EpochResult> history;
        private int best;
        /** The epoch-end thread, made at the first epoch that ends there. */
        private BackgroundWork thread;

        EpochEnds(List<EpochResult> history, int best) {
            this.history = new ArrayList<>(history);
            this.best = best;
        }

        void end(EpochEnd end) {
            if (!end.snapshot().countsLater()) {
                finish(end);
                return;
            }
            if (thread == null) {
                thread = new BackgroundWork("epoch-end");
            }
            thread.submit(() -> finish(end));
        }

        private void finish(EpochEnd end) {
            long countStart = System.nanoTime();
            EpochSnapshot snapshot = end.snapshot();
            int correct = snapshot.correctOnTest();
            int validationCount = engine.validationCount();
            double validation = validationCount == 0 ? Double.NaN
                    : snapshot.correctOnValidation() / (double) validationCount;
            double seconds = end.secondsSoFar() + (System.nanoTime() - countStart) / 1e9;
            EpochResult result = new EpochResult(end.epoch(), end.steps(), end.meanLoss(), correct,
                    engine.testCount(), validation, seconds);
            history.add(result);
            boolean newBest = EpochResult.isNewBest(best, correct);
            if (newBest) {
                best = correct;
            }
            TrainingState state = new TrainingState(end.epoch() + 1, 0, end.steps(), 0.0, 0.0, best, history,
                    end.batcher());
            List<LayerParameters> parameters = snapshot.parameters();
            for (TrainingListener l : listeners) {
                l.onEpochEnd(result, state, newBest, parameters);
            }
        }

        /** Waits for the epoch end in progress; what it failed with is thrown here, as it was thrown. */
        void await() {
            if (thread != null) {
                thread.await();
            }
        }

        /** {@link #await} when the run has failed with {@code failure}: a second failure is added to it. */
        void awaitAfter(Throwable failure) {
            try {
                await();
            } catch (RuntimeException | Error e) {
                if (e != failure) {
                    failure.addSuppressed(e);
                }
            }
        }

        @Override
        public void close() {
            if (thread != null) {
                thread.shutdown();
            }
        }
    }
}
