package mnistxent.train;

import mnistxent.run.EpochResult;
import mnistxent.run.TrainingState;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code metrics.csv}: one row per epoch. Rewritten whole after each epoch (it is tiny), so a
 * resumed run's file always holds exactly the history of its state.
 */
public final class MetricsCsv implements TrainingListener {

    public static final String HEADER = "epoch,steps,mean_train_loss,test_correct,test_count,validation_accuracy,seconds";

    private final Path file;

    public MetricsCsv(Path file) {
        this.file = file;
    }

    @Override
    public void onStart(TrainingState state) {
        write(state.history());
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest) {
        write(state.history());
    }

    private void write(List<EpochResult> history) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            w.write(HEADER);
            w.newLine();
            for (EpochResult r : history) {
                w.write(row(r));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String row(EpochResult r) {
        return String.format(Locale.ROOT, "%d,%d,%.9g,%d,%d,%.6f,%.3f", r.epoch(), r.steps(), r.meanTrainLoss(),
                r.testCorrect(), r.testCount(), r.validationAccuracy(), r.seconds());
    }

    /** Reads a metrics file back (for reports). */
    public static List<EpochResult> read(Path file) throws IOException {
        List<EpochResult> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + " is not a metrics file (header: " + HEADER + ")");
        }
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != 7) {
                throw new IOException(file + ": bad row '" + line + "'");
            }
            try {
                out.add(new EpochResult(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6])));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": bad row '" + line + "'", e);
            }
        }
        return out;
    }
}
