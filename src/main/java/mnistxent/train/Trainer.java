package mnistxent.train;

import mnistxent.engine.TrainingEngine;
import mnistxent.run.EpochResult;
import mnistxent.run.TrainingState;

import mnistxent.config.TrainingSpec;
import mnistxent.data.TfBatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
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
 * Standard output gets exactly those lines; everything else goes to the listeners and the log.
 * A stop request (Ctrl-C) ends the run between two steps with the state needed to resume.
 */
public final class Trainer {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final TrainingSpec spec;
    private final TrainingEngine engine;
    private final TfBatcher batcher;
    private final List<TrainingListener> listeners;
    private final PrintStream stdout;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    public Trainer(TrainingSpec spec, TrainingEngine engine, TfBatcher batcher, List<TrainingListener> listeners,
                   PrintStream stdout) {
        this.spec = spec;
        this.engine = engine;
        this.batcher = batcher;
        this.listeners = List.copyOf(listeners);
        this.stdout = stdout;
    }

    /** Asks the run to stop after the step in progress (safe from any thread, e.g. a signal handler). */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** The outcome of {@link #run}: the final state, and whether it was stopped before the end. */
    public record Outcome(TrainingState state, boolean stopped) {
    }

    /** Runs from {@code start} (a fresh state, or one restored from a checkpoint) to the last epoch. */
    public Outcome run(TrainingState start) {
        List<EpochResult> history = new ArrayList<>(start.history());
        int best = start.best();
        long steps = start.stepsDone();
        int stepInEpoch = start.stepInEpoch();
        double lossSum = start.epochLossSum();
        double carriedSeconds = start.epochSeconds();
        listeners.forEach(l -> l.onStart(start));
        int[] batch = new int[spec.batchSize()];      // reused: no allocation per step

        for (int epoch = start.epochsCompleted(); epoch < spec.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            for (int s = stepInEpoch; s < spec.stepsPerEpoch(); s++) {
                if (stopRequested.get()) {
                    engine.syncToNetwork();
                    double seconds = carriedSeconds + (System.nanoTime() - epochStart) / 1e9;
                    TrainingState state = new TrainingState(epoch, s, steps, lossSum, seconds, best, history,
                            batcher.state());
                    listeners.forEach(l -> l.onFinish(state, true));
                    return new Outcome(state, true);
                }
                batcher.next(batch);
                float loss = engine.step(batch);
                lossSum += loss;
                steps++;
                for (TrainingListener l : listeners) {
                    l.onStep(epoch, s + 1, loss);
                }
            }
            engine.syncToNetwork();
            int correct = engine.correctOnTest();
            int validationCount = engine.validationCount();
            double validation = validationCount == 0 ? Double.NaN
                    : engine.correctOnValidation() / (double) validationCount;
            double seconds = carriedSeconds + (System.nanoTime() - epochStart) / 1e9;
            EpochResult result = new EpochResult(epoch, steps, lossSum / spec.stepsPerEpoch(), correct,
                    engine.testCount(), validation, seconds);
            history.add(result);
            stdout.println(result.scriptLine());
            stdout.flush();
            // The seed: best = (best, acc)[best <= acc] -- a tie moves "best" to the later epoch.
            boolean newBest = best <= correct;
            if (newBest) {
                best = correct;
            }
            log.info("epoch {}: train loss {}, test {} / {}, validation {}, {} s", epoch,
                    String.format("%.6f", result.meanTrainLoss()), correct, result.testCount(),
                    Double.isNaN(validation) ? "-" : String.format("%.2f%%", 100 * validation),
                    String.format("%.2f", seconds));
            TrainingState state = new TrainingState(epoch + 1, 0, steps, 0.0, 0.0, best, history, batcher.state());
            for (TrainingListener l : listeners) {
                l.onEpochEnd(result, state, newBest);
            }
            stepInEpoch = 0;
            lossSum = 0.0;
            carriedSeconds = 0.0;
        }
        stdout.println("best: " + best + " / " + engine.testCount());
        stdout.flush();
        TrainingState end = new TrainingState(spec.epochs(), 0, steps, 0.0, 0.0, best, history, batcher.state());
        listeners.forEach(l -> l.onFinish(end, false));
        return new Outcome(end, false);
    }
}
