package mnistxent.report;

import mnistxent.io.AtomicFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws {@link Figure}s of line charts with XChart into one PNG: a grid of panels under a figure
 * title, each panel with its title, axis labels, legend and optional min-max bands. Used by the
 * single-neuron experiment (docs/SPEC.md §7) and the reports that compare runs.
 *
 * <p>Everything is drawn off screen: the class switches AWT to headless mode before AWT starts,
 * so it works on servers and in CI without a display. Fonts are 13-20 pt and a two-panel row is
 * 1200 px wide, so a figure reads at 100% zoom.
 */
public final class Charts {

    static {
        // Must be set before the first AWT class initialises; harmless if a display exists.
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Okabe-Ito colours: distinguishable with the common colour-vision deficiencies and in grey.
     * Series i of every panel gets colour i, so the same series matches across panels.
     */
    private static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
    };
    private static final int BAND_ALPHA = 60;
    private static final float LINE_WIDTH = 2.5f;
    /** Individual curves under a summary: thin and translucent, so a dozen of them do not hide it. */
    private static final float THIN_WIDTH = 1f;
    private static final int THIN_ALPHA = 150;
    /** Dashes long enough to read as dashes in a legend sample of 28 px. */
    private static final BasicStroke DASHED = new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[]{9f, 5f}, 0f);
    /** A prefix no legend name uses: band polygons are XChart series too and need unique names. */
    private static final String BAND_PREFIX = "\u0001band:";
    private static final String ANCHOR_NAME = "\u0001tick-anchor";
    private static final Color TRANSPARENT = new Color(0, 0, 0, 0);
    /** Minimum pixels between x ticks: room for a 3-4 digit label and a gap at 13 pt. */
    private static final int X_TICK_SPACING = 80;

    static final Font FIGURE_TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font PANEL_TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    /** Height of the strip above the panels that holds the figure title. */
    static final int FIGURE_TITLE_HEIGHT = 44;

    private Charts() {
    }

    /** The figure's size in pixels: panels times grid, plus the title strip. */
    public static int width(Figure figure) {
        return figure.usedColumns() * figure.panelWidth();
    }

    public static int height(Figure figure) {
        return (figure.hasTitle() ? FIGURE_TITLE_HEIGHT : 0) + figure.rows() * figure.panelHeight();
    }

    /** Renders the figure into an RGB image of {@link #width} x {@link #height} pixels. */
    public static BufferedImage render(Figure figure) {
        int titleHeight = figure.hasTitle() ? FIGURE_TITLE_HEIGHT : 0;
        BufferedImage image = new BufferedImage(width(figure), height(figure), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            if (titleHeight > 0) {
                g.setColor(Color.BLACK);
                g.setFont(FIGURE_TITLE_FONT);
                FontMetrics fm = g.getFontMetrics();
                int x = Math.max(8, (image.getWidth() - fm.stringWidth(figure.title())) / 2);
                int y = (titleHeight + fm.getAscent() - fm.getDescent()) / 2;
                g.drawString(figure.title(), x, y);
            }
            for (int i = 0; i < figure.panels().size(); i++) {
                int column = i % figure.columns();
                int row = i / figure.columns();
                Graphics2D panelGraphics = (Graphics2D) g.create(column * figure.panelWidth(),
                        titleHeight + row * figure.panelHeight(), figure.panelWidth(), figure.panelHeight());
                try {
                    chart(figure.panels().get(i), figure.panelWidth(), figure.panelHeight())
                            .paint(panelGraphics, figure.panelWidth(), figure.panelHeight());
                } finally {
                    panelGraphics.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Renders the figure and writes it as a PNG, atomically ({@link AtomicFiles}): a reader never sees
     * half an image.
     */
    public static void writePng(Figure figure, Path file) throws IOException {
        BufferedImage image = render(figure);
        AtomicFiles.write(file.toAbsolutePath(), out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }

    /** One panel as an XChart chart (exposed to the package for tests). */
    static XYChart chart(Panel panel, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(panel.title()).xAxisTitle(panel.xLabel()).yAxisTitle(panel.yLabel()).build();
        XYStyler style = chart.getStyler();
        style.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        style.setChartTitleFont(PANEL_TITLE_FONT);
        style.setAxisTitleFont(AXIS_TITLE_FONT);
        style.setAxisTickLabelsFont(TICK_FONT);
        style.setLegendFont(LEGEND_FONT);
        style.setLegendVisible(panel.legend() != LegendPlacement.NONE);
        style.setLegendPosition(legendPosition(panel.legend()));
        style.setLegendBorderColor(Color.LIGHT_GRAY);
        style.setLegendSeriesLineLength(28);
        style.setChartBackgroundColor(Color.WHITE);
        style.setPlotBackgroundColor(Color.WHITE);
        style.setPlotBorderColor(Color.GRAY);
        style.setPlotGridLinesColor(new Color(0xE0E0E0));
        style.setChartTitleBoxVisible(false);
        style.setMarkerSize(0);
        style.setAntiAlias(true);
        style.setYAxisLogarithmic(panel.logY());
        if (panel.yRange() != null) {
            style.setYAxisMin(panel.yRange()[0]);
            style.setYAxisMax(panel.yRange()[1]);
        }
        style.setYAxisLogarithmicDecadeOnly(false);   // label 2, 3, 5... too: costs often span < 1 decade
        style.setXAxisTickMarkSpacingHint(X_TICK_SPACING);
        chart.setCustomXAxisTickLabelsFormatter(Charts::tickLabel);
        if (!panel.logY()) {
            // a custom formatter replaces XChart's logarithmic tick calculator with a linear one,
            // which would put linear tick values on a log axis
            chart.setCustomYAxisTickLabelsFormatter(Charts::tickLabel);
        }

        // Bands first, so that every line is drawn over every band.
        for (int i = 0; i < panel.series().size(); i++) {
            LineSeries line = panel.series().get(i);
            if (line.band() != null) {
                addBand(chart, i, line);
            }
        }
        for (int i = 0; i < panel.series().size(); i++) {
            LineSeries line = panel.series().get(i);
            XYSeries s = chart.addSeries(line.name(), line.x(), line.y());
            Color c = colourOf(line, i);
            if (line.thin()) {
                s.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), THIN_ALPHA));
                s.setLineWidth(THIN_WIDTH);
                s.setShowInLegend(false);
            } else {
                s.setLineColor(c);
                s.setLineWidth(LINE_WIDTH);
                if (line.dashed()) {
                    s.setLineStyle(DASHED);     // XChart keeps the width set above and the dash pattern
                }
            }
            s.setMarker(SeriesMarkers.NONE);
        }
        addTickAnchor(chart, panel);
        return chart;
    }

    /**
     * XChart 3.8.8 puts x ticks on data points when all x values are equally spaced (epochs 0..300)
     * and then packs them until the labels touch ("0 16 32 ... 112128144"), ignoring the spacing
     * hint. One invisible point between the first two x values makes the spacing unequal, so XChart
     * falls back to round tick values ("0 50 100 ...") at {@link #X_TICK_SPACING} px.
     */
    private static void addTickAnchor(XYChart chart, Panel panel) {
        LineSeries first = panel.series().get(0);
        if (first.size() < 2) {
            return;
        }
        double[] x = first.x();
        double[] y = first.y();
        XYSeries anchor = chart.addSeries(ANCHOR_NAME, new double[]{(x[0] + x[1]) / 2}, new double[]{y[0]});
        anchor.setLineColor(TRANSPARENT);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setShowInLegend(false);
    }

    /** The band as one closed polygon: along the upper bound, back along the lower bound. */
    private static void addBand(XYChart chart, int index, LineSeries line) {
        double[] x = line.x();
        double[] upper = line.band().upper();
        double[] lower = line.band().lower();
        int n = x.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int j = 0; j < n; j++) {
            px[j] = x[j];
            py[j] = upper[j];
            px[2 * n - 1 - j] = x[j];
            py[2 * n - 1 - j] = lower[j];
        }
        Color c = colourOf(line, index);
        XYSeries band = chart.addSeries(BAND_PREFIX + index, px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), BAND_ALPHA));
        band.setLineColor(TRANSPARENT);
        band.setLineStyle(new BasicStroke(0f));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
    }

    /**
     * A tick value as people write it: "0.05" rather than XChart's ".05", "300" rather than
     * "300.0", and no floating-point noise ("0.15", not "0.15000000000000002"); an exponent only
     * for very small or very large values.
     */
    static String tickLabel(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        double magnitude = Math.abs(v);
        if (magnitude < 1e-4 || magnitude >= 1e7) {
            return String.format(Locale.ROOT, "%.3g", v).replaceFirst("\\.?0+e", "e");
        }
        return new BigDecimal(v).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    private static Styler.LegendPosition legendPosition(LegendPlacement placement) {
        return switch (placement) {
            case INSIDE_TOP_RIGHT -> Styler.LegendPosition.InsideNE;
            case INSIDE_TOP_LEFT -> Styler.LegendPosition.InsideNW;
            case INSIDE_BOTTOM_RIGHT -> Styler.LegendPosition.InsideSE;
            case INSIDE_BOTTOM_LEFT -> Styler.LegendPosition.InsideSW;
            case BELOW, NONE -> Styler.LegendPosition.OutsideS;   // NONE: hidden anyway
        };
    }

    /** A series' own colour if it has one, else the colour of its position in the panel. */
    private static Color colourOf(LineSeries line, int position) {
        return colour(line.colour() != null ? line.colour() : position);
    }

    /** Colour of the i-th series of a panel. */
    public static Color colour(int seriesIndex) {
        return PALETTE[seriesIndex % PALETTE.length];
    }
}
