package mnistxent.report;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One line chart of a {@link Figure}: a title, axis labels and its series (each a legend entry).
 * {@code logY} draws the y axis logarithmically (every y, and every band bound, must then be > 0).
 */
public record Panel(String title, String xLabel, String yLabel, List<LineSeries> series, boolean logY,
                    LegendPlacement legend) {

    public Panel {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        Objects.requireNonNull(legend, "legend");
        series = List.copyOf(series);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("panel '" + title + "' has no series");
        }
        Set<String> names = new HashSet<>();
        for (LineSeries s : series) {
            // XChart keys series by name: a repeated name would silently replace a line
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("panel '" + title + "' has two series named '" + s.name() + "'");
            }
            if (logY) {
                requirePositive(title, s.name(), s.y());
                s.optionalBand().ifPresent(b -> requirePositive(title, s.name() + " (band)", b.lower()));
            }
        }
    }

    private static void requirePositive(String title, String what, double[] values) {
        for (double v : values) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("panel '" + title + "' has a log y axis but '" + what
                        + "' has the value " + v + " (must be > 0)");
            }
        }
    }

    /** A panel with a linear y axis and the legend in the top right corner. */
    public static Panel of(String title, String xLabel, String yLabel, List<LineSeries> series) {
        return new Panel(title, xLabel, yLabel, series, false, LegendPlacement.INSIDE_TOP_RIGHT);
    }

    public Panel withLogY() {
        return new Panel(title, xLabel, yLabel, series, true, legend);
    }

    public Panel withLegend(LegendPlacement placement) {
        return new Panel(title, xLabel, yLabel, series, logY, placement);
    }
}
