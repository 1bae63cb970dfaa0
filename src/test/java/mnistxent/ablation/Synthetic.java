package mnistxent.ablation;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.TrainingSpec;
import mnistxent.run.EpochResult;
import mnistxent.run.MetricsFile;
import mnistxent.run.RunDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Made-up runs for the ablation tests: metrics histories, and run directories that look finished. */
final class Synthetic {

    private Synthetic() {
    }

    /** The shipped config, shortened to {@code epochs} x {@code steps}. */
    static ExperimentConfig config(String name, int epochs, int steps) {
        ExperimentConfig c = ConfigLoader.load(Path.of("config", name + ".yaml"));
        return c.withTraining(new TrainingSpec(c.training().batchSize(), epochs, steps));
    }

    /** A history with these test counts (of 10,000) and losses, epoch i taking 1 + i/10 seconds. */
    static List<EpochResult> history(int stepsPerEpoch, int[] correct, double[] loss) {
        List<EpochResult> h = new ArrayList<>();
        for (int i = 0; i < correct.length; i++) {
            h.add(new EpochResult(i, (long) (i + 1) * stepsPerEpoch, loss[i], correct[i], 10_000, 0.9, 1 + i / 10.0));
        }
        return h;
    }

    /** {@code n} epochs rising from 9000 by 50 per epoch, losses falling as 1/(epoch+1). */
    static List<EpochResult> rising(int stepsPerEpoch, int n, int offset) {
        int[] correct = new int[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            correct[i] = 9000 + 50 * i + offset;
            loss[i] = 0.1 / (i + 1) + offset / 1e4;
        }
        return history(stepsPerEpoch, correct, loss);
    }

    /** Writes what a finished run leaves: config.yaml, a complete metrics.csv and a model-final.zip. */
    static void writeFinished(PlannedRun run) throws IOException {
        RunDirectory dir = RunDirectory.createAt(run.directory(), run.config());
        TrainingSpec t = run.config().training();
        writeMetrics(dir.metrics(), rising(t.stepsPerEpoch(), t.epochs(), (int) run.seed()));
        Files.write(dir.modelFinal(), new byte[]{'P', 'K', 3, 4});
    }

    static void writeMetrics(Path file, List<EpochResult> history) throws IOException {
        StringBuilder b = new StringBuilder(MetricsFile.HEADER).append('\n');
        for (EpochResult r : history) {
            b.append(String.format(Locale.ROOT, "%d,%d,%.9g,%d,%d,%.6f,%.3f%n", r.epoch(), r.steps(),
                    r.meanTrainLoss(), r.testCorrect(), r.testCount(), r.validationAccuracy(), r.seconds()));
        }
        Files.writeString(file, b.toString());
    }
}
