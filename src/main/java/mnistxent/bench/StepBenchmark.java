package mnistxent.bench;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.MnistData;
import mnistxent.data.TfBatcher;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.TfInitializer;
import mnistxent.report.Stats;

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

    public static Result run(EngineKind kind, ExperimentConfig config, MnistData data, Settings s) {
        long t0 = System.nanoTime();
        TrainingEngine engine = Engines.create(kind, config, ImageSets.of(data, config.data().validationSize()),
                TfInitializer.initial(config));
        double setup = (System.nanoTime() - t0) / 1e9;

        // Steps go to the engine in the sequences it prefers, as in training (a whole epoch on a GPU).
        TfBatcher batcher = TfBatcher.forTraining(config);
        int chunk = Math.max(1, Math.min(engine.preferredStepsPerCall(), config.training().stepsPerEpoch()));
        int[] batches = new int[chunk * config.training().batchSize()];
        float[] losses = new float[chunk];
        long warmupStart = System.nanoTime();
        long warmupSteps = 0;
        long warmupNanos = (long) (s.warmupSeconds() * 1e9);
        do {
            batcher.next(batches, chunk);
            engine.train(batches, chunk, losses);
            warmupSteps += chunk;
        } while (System.nanoTime() - warmupStart < warmupNanos);
        double warmRate = warmupSteps / Math.max(1e-9, (System.nanoTime() - warmupStart) / 1e9);
        int windowCalls = (int) Math.max(1, Math.min(1_000_000, warmRate * s.windowSeconds()) / chunk);
        double[] rates = new double[s.windows()];
        for (int w = 0; w < s.windows(); w++) {
            long start = System.nanoTime();
            for (int i = 0; i < windowCalls; i++) {
                batcher.next(batches, chunk);
                engine.train(batches, chunk, losses);
            }
            rates[w] = (double) windowCalls * chunk / ((System.nanoTime() - start) / 1e9);
        }
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
        engine.close();
        return new Result(kind, setup, Stats.of(rates), Stats.of(evals), correct);
    }
}
