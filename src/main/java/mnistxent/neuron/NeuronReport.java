package mnistxent.neuron;

import mnistxent.report.Charts;
import mnistxent.report.Csv;
import mnistxent.report.Figure;
import mnistxent.report.LineSeries;
import mnistxent.report.Panel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The experiment's outputs (docs/SPEC.md §7): the curves as CSV, the article's figure (cost against
 * epoch, one panel per cost, one line per start) and the summary table the command prints.
 */
public final class NeuronReport {

    public static final String CSV_FILE = "neuron.csv";
    public static final String PNG_FILE = "neuron.png";
    public static final List<String> CSV_HEADER =
            List.of("cost", "learning_rate", "w0", "b0", "epoch", "w", "b", "a", "C");

    private NeuronReport() {
    }

    /** One row per curve and epoch; w, b, a and C as the float32 values the network holds. */
    public static void writeCsv(NeuronResults results, Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (Trajectory t : results.trajectories()) {
            for (EpochState s : t.states()) {
                rows.add(List.of(t.cost().loss().yamlName(), NeuronFormat.compact(t.cost().learningRate()),
                        NeuronFormat.compact(t.start().w()), NeuronFormat.compact(t.start().b()),
                        Integer.toString(s.epoch()), NeuronFormat.float32(s.w()), NeuronFormat.float32(s.b()),
                        NeuronFormat.float32(s.a()), NeuronFormat.float32(s.cost())));
            }
        }
        Csv.write(file, CSV_HEADER, rows);
    }

    /** The article's Epoch-Cost figures side by side: a panel per cost, a line per start. */
    public static Figure figure(NeuronResults results) {
        NeuronConfig config = results.config();
        List<Panel> panels = new ArrayList<>();
        for (CostSpec cost : config.costs()) {
            List<LineSeries> lines = new ArrayList<>();
            for (Trajectory t : results.of(cost.loss())) {
                double[] epochs = IntStream.rangeClosed(0, t.epochs()).asDoubleStream().toArray();
                String name = t.start().label() + String.format(Locale.ROOT, " (a=%.2f)", t.initialOutput());
                lines.add(LineSeries.of(name, epochs, t.costs()));
            }
            String title = capitalise(cost.formula()) + ", \u03b7 = " + NeuronFormat.compact(cost.learningRate());
            panels.add(Panel.of(title, "Epoch", "Cost", lines));
        }
        String title = "One sigmoid neuron, x = " + NeuronFormat.compact(config.input()) + ", y = "
                + NeuronFormat.compact(config.target()) + ": cost against epoch";
        return Figure.row(title, panels);
    }

    public static void writePng(NeuronResults results, Path file) throws IOException {
        Charts.writePng(figure(results), file);
    }

    /**
     * The summary per curve: the initial output a, the initial dC/dw (DL4J's gradient), the costs
     * at the start and the end, and the first epoch whose cost is below half the start.
     */
    public static String table(NeuronResults results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"cost", "lr", "start", "a(0)", "dC/dw(0)", "C(0)",
                "C(" + results.config().epochs() + ")", "C below C(0)/2"});
        for (Trajectory t : results.trajectories()) {
            rows.add(new String[]{
                    t.cost().loss().yamlName(),
                    NeuronFormat.compact(t.cost().learningRate()),
                    t.start().label(),
                    String.format(Locale.ROOT, "%.4f", t.initialOutput()),
                    String.format(Locale.ROOT, "%.4g", t.initialGradient().dw()),
                    String.format(Locale.ROOT, "%.4f", t.initialCost()),
                    String.format(Locale.ROOT, "%.4f", t.finalCost()),
                    t.epochCostHalved().isPresent() ? "epoch " + t.epochCostHalved().getAsInt()
                            : "never within " + t.epochs() + " epochs"});
        }
        return align(rows);
    }

    /** Columns padded to their widest cell, text left-aligned, two spaces apart. */
    static String align(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row[c]);
                if (c < columns - 1) {
                    line.append(" ".repeat(width[c] - row[c].length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
