package mnistxent.run;

import mnistxent.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's {@code metrics.csv}: one row per epoch ({@link EpochResult}). Written whole, atomically, from a
 * run's history (it is tiny), so a resumed run's file always holds exactly the history of its state.
 */
public final class MetricsFile {

    public static final String HEADER = "epoch,steps,mean_train_loss,test_correct,test_count,validation_accuracy,seconds";

    private MetricsFile() {
    }

    /** Replaces {@code file} with the rows of {@code history}. */
    public static void write(Path file, List<EpochResult> history) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (EpochResult r : history) {
            text.append(row(r)).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /** One row, without its line end. */
    public static String row(EpochResult r) {
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
