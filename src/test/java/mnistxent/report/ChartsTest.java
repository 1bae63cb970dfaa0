package mnistxent.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {

    private static final double[] EPOCHS = IntStream.rangeClosed(0, 300).asDoubleStream().toArray();

    private static double[] decay(double start, double rate) {
        return IntStream.rangeClosed(0, 300).mapToDouble(e -> start * Math.exp(-rate * e)).toArray();
    }

    private static Panel panel(String title) {
        return Panel.of(title, "Epoch", "Cost", List.of(
                LineSeries.of("fast", EPOCHS, decay(0.5, 0.02)),
                LineSeries.of("slow", EPOCHS, decay(0.4, 0.005))));
    }

    @Test
    void writesADecodablePngOfTheFiguresSize(@TempDir Path dir) throws Exception {
        Figure figure = Figure.row("Two panels", List.of(panel("left"), panel("right")));
        Path file = dir.resolve("two.png");

        Charts.writePng(figure, file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "the file decodes as an image");
        assertEquals(2 * Figure.DEFAULT_PANEL_WIDTH, image.getWidth());
        assertEquals(Charts.FIGURE_TITLE_HEIGHT + Figure.DEFAULT_PANEL_HEIGHT, image.getHeight());
        assertTrue(image.getWidth() >= 1000 && image.getWidth() <= 1200, "readable at 100% zoom");
        assertFalse(Files.exists(dir.resolve("two.png.tmp")), "no temporary file left behind");
    }

    @Test
    void drawsEachSeriesInItsColourInEveryPanel(@TempDir Path dir) throws Exception {
        Figure figure = Figure.row("Two panels", List.of(panel("left"), panel("right")));
        Path file = dir.resolve("colours.png");
        Charts.writePng(figure, file);
        BufferedImage image = ImageIO.read(file.toFile());

        int half = image.getWidth() / 2;
        for (int series = 0; series < 2; series++) {
            int rgb = Charts.colour(series).getRGB() & 0xFFFFFF;
            assertTrue(count(image, 0, half, rgb) > 200, "series " + series + " drawn in the left panel");
            assertTrue(count(image, half, image.getWidth(), rgb) > 200, "series " + series + " drawn in the right panel");
        }
        long nonWhite = countWhere(image, 0, image.getWidth(), c -> c != 0xFFFFFF);
        assertTrue(nonWhite > image.getWidth() * image.getHeight() / 50, "not blank: " + nonWhite + " ink pixels");
    }

    @Test
    void drawsABandBehindItsLine(@TempDir Path dir) throws Exception {
        double[] mean = decay(0.5, 0.01);
        double[] lower = java.util.Arrays.stream(mean).map(v -> v * 0.6).toArray();
        double[] upper = java.util.Arrays.stream(mean).map(v -> v * 1.4).toArray();
        Panel withBand = Panel.of("band", "Epoch", "Cost",
                List.of(LineSeries.of("mean of seeds", EPOCHS, mean).withBand(lower, upper)));
        Figure figure = new Figure("", List.of(withBand), 1, 600, 450);
        Path file = dir.resolve("band.png");
        Charts.writePng(figure, file);
        BufferedImage image = ImageIO.read(file.toFile());

        assertEquals(600, image.getWidth());
        assertEquals(450, image.getHeight(), "no title strip when the title is empty");
        // the band is the line's colour at low alpha over white: a light tint of the same hue
        Color line = Charts.colour(0);
        long tinted = countWhere(image, 0, image.getWidth(), rgb -> {
            Color c = new Color(rgb);
            return c.getRed() > line.getRed() + 60 && c.getBlue() > 200 && c.getBlue() < 250
                    && c.getRed() < c.getBlue() && c.getGreen() < c.getBlue();
        });
        assertTrue(tinted > 5_000, "a shaded band of the line's hue, got " + tinted + " pixels");
    }

    @Test
    void laysPanelsOutInAGrid() {
        Figure figure = new Figure("grid", List.of(panel("a"), panel("b"), panel("c")), 2, 500, 400);
        BufferedImage image = Charts.render(figure);
        assertEquals(2, figure.rows());
        assertEquals(1000, image.getWidth());
        assertEquals(Charts.FIGURE_TITLE_HEIGHT + 800, image.getHeight());
        int rgb = Charts.colour(0).getRGB() & 0xFFFFFF;
        assertTrue(countRegion(image, 0, 500, Charts.FIGURE_TITLE_HEIGHT + 400, image.getHeight(), rgb) > 200,
                "the third panel is drawn bottom left");
        assertEquals(0, countRegion(image, 500, 1000, Charts.FIGURE_TITLE_HEIGHT + 400, image.getHeight(), rgb),
                "bottom right stays empty");
    }

    @Test
    void drawsALogarithmicAxisWithTheLegendBelow() {
        Panel log = panel("log").withLogY().withLegend(LegendPlacement.BELOW);
        assertTrue(log.logY());
        assertEquals(LegendPlacement.BELOW, log.legend());
        BufferedImage image = Charts.render(Figure.row("log", List.of(log)));
        int rgb = Charts.colour(1).getRGB() & 0xFFFFFF;
        assertTrue(count(image, 0, image.getWidth(), rgb) > 200);
    }

    @Test
    void aFixedColourFollowsTheSeriesIntoAnyPanelAndDashesLeaveGaps() {
        // one series, fixed to palette colour 2 and dashed: drawn in that colour although it comes first
        LineSeries fixed = LineSeries.of("fixed", EPOCHS, decay(0.5, 0.01)).withColour(2).asDashed();
        assertEquals(2, fixed.colour());
        assertTrue(fixed.dashed());
        BufferedImage image = Charts.render(new Figure("", List.of(Panel.of("p", "Epoch", "Cost", List.of(fixed))),
                1, 600, 450));
        assertTrue(count(image, 0, image.getWidth(), Charts.colour(2).getRGB() & 0xFFFFFF) > 100);
        assertEquals(0, count(image, 0, image.getWidth(), Charts.colour(0).getRGB() & 0xFFFFFF),
                "not in the colour of its position");

        BufferedImage solid = Charts.render(new Figure("", List.of(Panel.of("p", "Epoch", "Cost",
                List.of(LineSeries.of("fixed", EPOCHS, decay(0.5, 0.01)).withColour(2)))), 1, 600, 450));
        long dashedInk = count(image, 0, image.getWidth(), Charts.colour(2).getRGB() & 0xFFFFFF);
        long solidInk = count(solid, 0, solid.getWidth(), Charts.colour(2).getRGB() & 0xFFFFFF);
        assertTrue(dashedInk < 0.85 * solidInk, "dashes leave gaps: " + dashedInk + " vs " + solidInk);
        assertThrows(IllegalArgumentException.class, () -> fixed.withColour(-1));
    }

    @Test
    void aFixedYRangeClipsTheLinesAndALegendCanBeHidden() {
        // the fast curve runs from 0.5 down to ~0.001; a range of [0.2, 0.6] keeps only its first ~46 epochs
        Panel zoom = panel("zoom").withYRange(0.2, 0.6).withLegend(LegendPlacement.NONE);
        assertEquals(0.2, zoom.yRange()[0]);
        BufferedImage full = Charts.render(new Figure("", List.of(panel("full")), 1, 600, 450));
        BufferedImage zoomed = Charts.render(new Figure("", List.of(zoom), 1, 600, 450));
        int fast = Charts.colour(0).getRGB() & 0xFFFFFF;
        int slow = Charts.colour(1).getRGB() & 0xFFFFFF;
        assertTrue(count(zoomed, 0, 600, fast) < count(full, 0, 600, fast) / 2,
                "most of the fast curve lies below the range: " + count(zoomed, 0, 600, fast));
        assertTrue(count(zoomed, 0, 600, slow) > 200, "the slow one stays in range for a while");
        assertThrows(IllegalArgumentException.class, () -> panel("bad").withYRange(1, 1));
        assertThrows(IllegalArgumentException.class, () -> panel("bad").withLogY().withYRange(0, 1));
        assertEquals(panel("p").withYRange(0, 1), panel("p").withYRange(0, 1));
    }

    @Test
    void ticksReadLikeNumbersPeopleWrite() {
        assertEquals("0", Charts.tickLabel(0.0));
        assertEquals("0.05", Charts.tickLabel(0.05));
        assertEquals("0.15", Charts.tickLabel(0.15000000000000002));
        assertEquals("300", Charts.tickLabel(300.0));
        assertEquals("-2.5", Charts.tickLabel(-2.5));
        assertEquals("1e-06", Charts.tickLabel(1e-6));
        assertEquals("2.5e+07", Charts.tickLabel(2.5e7));
    }

    @Test
    void rejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class, () -> LineSeries.of("x", new double[]{1, 2}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> LineSeries.of(" ", new double[]{1}, new double[]{1}));
        assertThrows(IllegalArgumentException.class,
                () -> LineSeries.of("x", new double[]{1, 2}, new double[]{1, 2}).withBand(new double[]{0}, new double[]{3}));
        assertThrows(IllegalArgumentException.class, () -> new Band(new double[]{2}, new double[]{1}));
        LineSeries s = LineSeries.of("same", EPOCHS, decay(1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Panel.of("p", "x", "y", List.of(s, s)),
                "XChart would silently drop one of two series of the same name");
        double[] withZero = decay(1, 0.1);
        withZero[3] = 0;
        assertThrows(IllegalArgumentException.class,
                () -> Panel.of("p", "x", "y", List.of(LineSeries.of("z", EPOCHS, withZero))).withLogY());
        assertThrows(IllegalArgumentException.class, () -> Figure.row("t", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Figure("t", List.of(panel("a")), 1, 100, 100));
    }

    @Test
    void seriesAreImmutable() {
        double[] y = {1, 2, 3};
        LineSeries s = LineSeries.of("s", new double[]{0, 1, 2}, y);
        y[0] = 99;
        s.y()[1] = 99;
        assertEquals(1.0, s.y()[0]);
        assertEquals(2.0, s.y()[1]);
    }

    private static long count(BufferedImage image, int fromX, int toX, int rgb) {
        return countWhere(image, fromX, toX, c -> c == rgb);
    }

    private static long countRegion(BufferedImage image, int fromX, int toX, int fromY, int toY, int rgb) {
        long n = 0;
        for (int x = fromX; x < toX; x++) {
            for (int y = fromY; y < toY; y++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long countWhere(BufferedImage image, int fromX, int toX, java.util.function.IntPredicate test) {
        long n = 0;
        for (int x = fromX; x < toX; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if (test.test(image.getRGB(x, y) & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
