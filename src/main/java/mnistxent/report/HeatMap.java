package mnistxent.report;

import mnistxent.io.AtomicFiles;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Heat maps side by side, drawn with Java2D: a grid of cells over an x and a y range, coloured on a
 * logarithmic scale shared by every panel (so equal colours mean equal values across panels), cells
 * without a value in grey, and labelled points marked on top. One colour bar on the right.
 */
public final class HeatMap {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** A point to mark, e.g. where an experiment starts. */
    public record Mark(double x, double y, String label) {
    }

    /**
     * One panel: {@code values[row][column]}, row 0 at the bottom ({@code yMin}), column 0 at the left;
     * {@code NaN} where there is no value.
     */
    public record Panel(String title, double[][] values, List<Mark> marks) {
        public Panel {
            Objects.requireNonNull(title, "title");
            marks = List.copyOf(marks);
        }
    }

    /**
     * The figure: panels on one row over the same axes.
     *
     * @param noValue what the grey cells mean, for the legend
     */
    public record Figure(String title, String xLabel, String yLabel, double xMin, double xMax, double yMin,
                         double yMax, String scaleLabel, String noValue, List<Panel> panels) {
        public Figure {
            panels = List.copyOf(panels);
            if (panels.isEmpty()) {
                throw new IllegalArgumentException("a heat map figure needs a panel");
            }
        }
    }

    private static final int CELLS_PX = 486;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_TOP = 80;
    private static final int MARGIN_BOTTOM = 70;
    private static final int GAP = 60;
    private static final int BAR_WIDTH = 22;
    private static final int BAR_AREA = 130;
    private static final Color NO_VALUE = new Color(0x9A9A9A);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private HeatMap() {
    }

    public static void writePng(Figure figure, Path file) throws IOException {
        BufferedImage image = render(figure);
        AtomicFiles.write(file.toAbsolutePath(), out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }

    public static BufferedImage render(Figure f) {
        double[] range = valueRange(f);
        int panels = f.panels().size();
        int width = panels * (MARGIN_LEFT + CELLS_PX) + (panels - 1) * GAP + BAR_AREA;
        int height = MARGIN_TOP + CELLS_PX + MARGIN_BOTTOM;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(TITLE);
            centre(g, f.title(), width / 2, 30);
            for (int p = 0; p < panels; p++) {
                int left = p * (MARGIN_LEFT + CELLS_PX + GAP) + MARGIN_LEFT;
                drawPanel(g, f, f.panels().get(p), left, MARGIN_TOP, range);
            }
            drawBar(g, f, width - BAR_AREA + 20, MARGIN_TOP, range);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The smallest and largest positive value of every panel (the shared log scale). */
    static double[] valueRange(Figure f) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Panel p : f.panels()) {
            for (double[] row : p.values()) {
                for (double v : row) {
                    if (v > 0 && Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (!(lo <= hi)) {
            return new double[]{1, 10};
        }
        return new double[]{lo, Math.max(hi, lo * 1.0001)};
    }

    /** A colour for {@code v} on the log scale {@code range}: dark blue (fast) through yellow (slow). */
    public static Color colour(double v, double[] range) {
        if (!(v > 0) || !Double.isFinite(v)) {
            return NO_VALUE;
        }
        double t = (Math.log(v) - Math.log(range[0])) / (Math.log(range[1]) - Math.log(range[0]));
        return ramp(Math.max(0, Math.min(1, t)));
    }

    /** A perceptually ordered ramp (close to viridis) from 0 to 1. */
    static Color ramp(double t) {
        double[][] stops = {{0x44, 0x01, 0x54}, {0x3B, 0x52, 0x8B}, {0x21, 0x90, 0x8C}, {0x5D, 0xC8, 0x63},
                {0xFD, 0xE7, 0x25}};
        double at = t * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(at));
        double u = at - i;
        int[] c = new int[3];
        for (int k = 0; k < 3; k++) {
            c[k] = (int) Math.round(stops[i][k] + u * (stops[i + 1][k] - stops[i][k]));
        }
        return new Color(c[0], c[1], c[2]);
    }

    private static void drawPanel(Graphics2D g, Figure f, Panel p, int left, int top, double[] range) {
        double[][] v = p.values();
        int rows = v.length;
        int cols = v[0].length;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int x0 = left + c * CELLS_PX / cols;
                int x1 = left + (c + 1) * CELLS_PX / cols;
                int y1 = top + CELLS_PX - r * CELLS_PX / rows;
                int y0 = top + CELLS_PX - (r + 1) * CELLS_PX / rows;
                g.setColor(colour(v[r][c], range));
                g.fillRect(x0, y0, x1 - x0, y1 - y0);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, CELLS_PX, CELLS_PX);
        g.setFont(PANEL_TITLE);
        centre(g, p.title(), left + CELLS_PX / 2, top - 14);
        g.setFont(TICK);
        for (int i = 0; i <= 4; i++) {
            double xv = f.xMin() + (f.xMax() - f.xMin()) * i / 4;
            double yv = f.yMin() + (f.yMax() - f.yMin()) * i / 4;
            int px = left + CELLS_PX * i / 4;
            int py = top + CELLS_PX - CELLS_PX * i / 4;
            g.drawLine(px, top + CELLS_PX, px, top + CELLS_PX + 5);
            centre(g, number(xv), px, top + CELLS_PX + 20);
            g.drawLine(left - 5, py, left, py);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(number(yv), left - 8 - fm.stringWidth(number(yv)), py + fm.getAscent() / 2 - 1);
        }
        g.setFont(LABEL);
        centre(g, f.xLabel(), left + CELLS_PX / 2, top + CELLS_PX + 45);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        centre(rotated, f.yLabel(), -(top + CELLS_PX / 2), left - 40);
        rotated.dispose();
        for (Mark m : p.marks()) {
            int px = left + (int) Math.round((m.x() - f.xMin()) / (f.xMax() - f.xMin()) * CELLS_PX);
            int py = top + CELLS_PX - (int) Math.round((m.y() - f.yMin()) / (f.yMax() - f.yMin()) * CELLS_PX);
            g.setStroke(new BasicStroke(2.5f));
            g.setColor(Color.WHITE);
            g.drawOval(px - 7, py - 7, 14, 14);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.2f));
            g.drawOval(px - 8, py - 8, 16, 16);
            g.setFont(LABEL);
            FontMetrics fm = g.getFontMetrics();
            int tx = px + 12;
            int ty = py - 10;
            g.setColor(new Color(255, 255, 255, 210));
            g.fillRect(tx - 2, ty - fm.getAscent(), fm.stringWidth(m.label()) + 4, fm.getHeight());
            g.setColor(Color.BLACK);
            g.drawString(m.label(), tx, ty);
        }
    }

    private static void drawBar(Graphics2D g, Figure f, int left, int top, double[] range) {
        for (int y = 0; y < CELLS_PX; y++) {
            double t = 1 - (double) y / CELLS_PX;
            g.setColor(ramp(t));
            g.fillRect(left, top + y, BAR_WIDTH, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, BAR_WIDTH, CELLS_PX);
        g.setFont(TICK);
        double lo = Math.log10(range[0]);
        double hi = Math.log10(range[1]);
        for (int e = (int) Math.ceil(lo); e <= Math.floor(hi); e++) {
            int py = top + CELLS_PX - (int) Math.round((e - lo) / (hi - lo) * CELLS_PX);
            g.drawLine(left + BAR_WIDTH, py, left + BAR_WIDTH + 5, py);
            g.drawString(number(Math.pow(10, e)), left + BAR_WIDTH + 8, py + 4);
        }
        g.setFont(LABEL);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(Math.PI / 2);
        centre(rotated, f.scaleLabel(), top + CELLS_PX / 2, -(left + BAR_WIDTH + 62));
        rotated.dispose();
        g.setColor(NO_VALUE);
        g.fillRect(left, top + CELLS_PX + 20, BAR_WIDTH, 14);
        g.setColor(Color.BLACK);
        g.setFont(TICK);
        g.drawString(f.noValue(), left - 10, top + CELLS_PX + 50);
    }

    private static void centre(Graphics2D g, String text, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, x - fm.stringWidth(text) / 2, y);
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
