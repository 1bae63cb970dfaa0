package mnistxent.bench;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.TfBatcher;
import mnistxent.model.NetworkFactory;
import mnistxent.engine.EngineKind;
import mnistxent.engine.TrainingEngine;
import mnistxent.train.TrainingRun;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * In-process measurements of one engine on the real data: how long it takes to set up, training
 * steps per second (the median of several windows after a warm-up, so that JIT compilation and
 * the machine's other load do not decide the result) and the time of one test-set evaluation.
 */
public final class StepBenchmark {

    /**
     * How much to measure: a warm-up of {@code warmupSeconds}, then {@code windows} windows of about
     * {@code windowSeconds} each (the step count per window is calibrated from the warm-up's rate, so
     * that a 40,000 steps/s engine and a 400 steps/s one are measured for the same time).
     */
    public record Settings(double warmupSeconds, int windows, double windowSeconds, int evalRepeats) {
        public Settings {
            if (!(warmupSeconds >= 0) || windows < 1 || !(windowSeconds > 0) || evalRepeats < 1) {
                throw new IllegalArgumentException("bench settings out of range");
            }
        }
    }

    /** One engine's numbers. */
    public record Result(EngineKind engine, double setupSeconds, Stats stepsPerSecond, Stats evalMillis,
                         int testCorrect) {
    }

    private StepBenchmark() {
    }

    public static Result run(EngineKind kind, ExperimentConfig config, TrainingRun.Data data, Settings s) {
        long t0 = System.nanoTime();
        MultiLayerNetwork network = NetworkFactory.create(config);
        TrainingEngine engine = TrainingRun.createEngine(kind, network, config, data);
        double setup = (System.nanoTime() - t0) / 1e9;

        TfBatcher batcher = TrainingRun.newBatcher(config);
        int[] batch = new int[config.training().batchSize()];
        long warmupStart = System.nanoTime();
        long warmupSteps = 0;
        long warmupNanos = (long) (s.warmupSeconds() * 1e9);
        do {
            batcher.next(batch);
            engine.step(batch);
            warmupSteps++;
        } while (System.nanoTime() - warmupStart < warmupNanos);
        double warmRate = warmupSteps / Math.max(1e-9, (System.nanoTime() - warmupStart) / 1e9);
        int windowSteps = (int) Math.max(20, Math.min(1_000_000, warmRate * s.windowSeconds()));
        double[] rates = new double[s.windows()];
        for (int w = 0; w < s.windows(); w++) {
            long start = System.nanoTime();
            for (int i = 0; i < windowSteps; i++) {
                batcher.next(batch);
                engine.step(batch);
            }
            rates[w] = windowSteps / ((System.nanoTime() - start) / 1e9);
        }
        engine.syncToNetwork();
        for (int r = 0; r < 5; r++) {
            engine.correctOnTest();      // untimed: let the JIT compile the evaluation path first
        }
        double[] evals = new double[s.evalRepeats()];
        int correct = 0;
        for (int r = 0; r < s.evalRepeats(); r++) {
            long start = System.nanoTime();
            correct = engine.correctOnTest();
            evals[r] = (System.nanoTime() - start) / 1e6;
        }
        return new Result(kind, setup, Stats.of(rates), Stats.of(evals), correct);
    }
}
