package mnistxent.train;

import mnistxent.OneLine;
import mnistxent.UserError;
import mnistxent.model.LayerParameters;
import mnistxent.run.EpochResult;
import mnistxent.run.MetricsFile;
import mnistxent.run.TrainingState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Keeps the run's {@code metrics.csv} ({@link MetricsFile}) equal to its history, epoch after epoch. */
public final class MetricsCsv implements TrainingListener {

    private final Path file;

    public MetricsCsv(Path file) {
        this.file = file;
    }

    @Override
    public void onStart(TrainingState state) {
        write(state.history());
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest,
                           List<LayerParameters> parameters) {
        write(state.history());
    }

    private void write(List<EpochResult> history) {
        try {
            MetricsFile.write(file, history);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + " (" + OneLine.reason(e)
                    + "); the run directory must stay writable (a full disk?)");
        }
    }
}
