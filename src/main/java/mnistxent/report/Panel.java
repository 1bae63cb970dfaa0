package mnistxent.report;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One line chart of a {@link Figure}: a title, axis labels and its series (each a legend entry).
 * {@code logY} draws the y axis logarithmically (every y, and every band bound, must then be > 0).
 * {@code yRange}, when not null, fixes the y axis to {@code [yRange[0], yRange[1]]} and clips what
 * lies outside: a zoom on the part of the curves that matters (e.g. the last percent of accuracy).
 */
public record Panel(String title, String xLabel, String yLabel, List<LineSeries> series, boolean logY,
                    LegendPlacement legend, double[] yRange) {

    /** A panel whose y axis fits the data. */
    public Panel(String title, String xLabel, String yLabel, List<LineSeries> series, boolean logY,
                 LegendPlacement legend) {
        this(title, xLabel, yLabel, series, logY, legend, null);
    }

    public Panel {
        if (yRange != null) {
            if (yRange.length != 2 || !(yRange[0] < yRange[1]) || !Double.isFinite(yRange[0])
                    || !Double.isFinite(yRange[1])) {
                throw new IllegalArgumentException("panel '" + title + "': y range must be [min, max] with min < max");
            }
            if (logY && !(yRange[0] > 0)) {
                throw new IllegalArgumentException("panel '" + title + "': a log y axis needs a y range above 0");
            }
            yRange = yRange.clone();
        }
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
        return new Panel(title, xLabel, yLabel, series, true, legend, yRange);
    }

    public Panel withLegend(LegendPlacement placement) {
        return new Panel(title, xLabel, yLabel, series, logY, placement, yRange);
    }

    /** The same panel with its y axis fixed to {@code [min, max]}. */
    public Panel withYRange(double min, double max) {
        return new Panel(title, xLabel, yLabel, series, logY, legend, new double[]{min, max});
    }

    @Override
    public double[] yRange() {
        return yRange == null ? null : yRange.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Panel p && title.equals(p.title) && xLabel.equals(p.xLabel) && yLabel.equals(p.yLabel)
                && series.equals(p.series) && logY == p.logY && legend == p.legend
                && java.util.Arrays.equals(yRange, p.yRange);
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, xLabel, yLabel, series, logY, legend, java.util.Arrays.hashCode(yRange));
    }
}
