package mnistxent.neuron;

import mnistxent.config.LossKind;
import mnistxent.report.Csv;
import mnistxent.report.HeatMap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The slowdown map's files: {@code slowdown.csv} (a row per cell and cost) and {@code slowdown.png}. */
public final class SlowdownReport {

    public static final String CSV_FILE = "slowdown.csv";
    public static final String PNG_FILE = "slowdown.png";
    public static final List<String> CSV_HEADER = List.of("cost", "learning_rate", "w", "b", "epochs_to_halve");

    private SlowdownReport() {
    }

    /** Every cell of every cost; {@code epochs_to_halve} is empty past the map's longest training. */
    public static void writeCsv(SlowdownMap map, Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < map.costs().size(); c++) {
            CostSpec cost = map.costs().get(c);
            for (int bi = 0; bi < map.points(); bi++) {
                for (int wi = 0; wi < map.points(); wi++) {
                    int e = map.epochs()[c][bi][wi];
                    rows.add(List.of(cost.loss().yamlName(), Double.toString(cost.learningRate()),
                            coordinate(map.coordinate(wi)), coordinate(map.coordinate(bi)),
                            e < 0 ? "" : Integer.toString(e)));
                }
            }
        }
        Csv.write(file, CSV_HEADER, rows);
    }

    /** A heat map per cost, on one log colour scale, with the article's starts marked. */
    public static HeatMap.Figure figure(SlowdownMap map, List<Start> starts, double x, double y) {
        List<HeatMap.Panel> panels = new ArrayList<>();
        for (int c = 0; c < map.costs().size(); c++) {
            CostSpec cost = map.costs().get(c);
            double[][] values = new double[map.points()][map.points()];
            for (int bi = 0; bi < map.points(); bi++) {
                for (int wi = 0; wi < map.points(); wi++) {
                    int e = map.epochs()[c][bi][wi];
                    values[bi][wi] = e < 0 ? Double.NaN : e;
                }
            }
            List<HeatMap.Mark> marks = starts.stream().map(s -> new HeatMap.Mark(s.w(), s.b(), s.label())).toList();
            String name = cost.loss() == LossKind.QUADRATIC ? "Quadratic cost" : "Cross-entropy";
            panels.add(new HeatMap.Panel(String.format(Locale.ROOT, "%s, learning rate %s", name,
                    compact(cost.learningRate())), values, marks));
        }
        return new HeatMap.Figure(String.format(Locale.ROOT, "Epochs until the cost halves, by starting point "
                        + "(one sigmoid neuron, x = %s, y = %s)", compact(x), compact(y)), "w at the start",
                "b at the start", -map.range(), map.range(), -map.range(), map.range(),
                "epochs until the cost halves (log scale)",
                "> " + String.format(Locale.ROOT, "%,d", map.maxEpochs()), panels);
    }

    public static void writePng(SlowdownMap map, List<Start> starts, double x, double y, Path file)
            throws IOException {
        HeatMap.writePng(figure(map, starts, x, y), file);
    }

    private static String coordinate(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String compact(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
