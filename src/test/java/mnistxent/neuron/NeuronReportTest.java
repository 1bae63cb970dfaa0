package mnistxent.neuron;

import mnistxent.report.Charts;
import mnistxent.report.Figure;
import mnistxent.report.LineSeries;
import mnistxent.report.Panel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static mnistxent.config.LossKind.QUADRATIC;
import static mnistxent.config.LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeuronReportTest {

    private static NeuronResults results;

    /** The shipped experiment, shortened to 20 epochs: the report's shape does not need 300. */
    @BeforeAll
    static void runAShortExperiment() {
        NeuronConfig config = new NeuronConfig("neuron", 20, 1.0, 0.0,
                List.of(new Start(0.6, 0.9), new Start(2.0, 2.0)),
                List.of(new CostSpec(QUADRATIC, 0.15), new CostSpec(SIGMOID_CROSS_ENTROPY_WITH_LOGITS, 0.005)),
                Path.of("unused"));
        results = NeuronExperiment.run(config);
    }

    @Test
    void csvHasOneRowPerCurveAndEpoch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(NeuronReport.CSV_FILE);
        NeuronReport.writeCsv(results, file);
        List<String> lines = Files.readAllLines(file);

        assertEquals("cost,learning_rate,w0,b0,epoch,w,b,a,C", lines.get(0));
        assertEquals(1 + 4 * 21, lines.size());
        assertTrue(lines.get(1).startsWith("quadratic,0.15,0.6,0.9,0,0.6,0.9,0.81757"), lines.get(1));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("sigmoid-cross-entropy-with-logits,0.005,2.0,2.0,20,"), last);
        Trajectory t = results.get(SIGMOID_CROSS_ENTROPY_WITH_LOGITS, new Start(2.0, 2.0));
        String[] fields = last.split(",");
        assertEquals((float) t.finalCost(), Float.parseFloat(fields[8]), "C as the float32 the network computed");
        assertEquals((float) t.at(20).w(), Float.parseFloat(fields[5]));
    }

    @Test
    void figureHasAPanelPerCostAndALinePerStart(@TempDir Path dir) throws Exception {
        Figure figure = NeuronReport.figure(results);
        assertEquals(2, figure.panels().size());
        Panel quadratic = figure.panels().get(0);
        Panel crossEntropy = figure.panels().get(1);
        assertTrue(quadratic.title().startsWith("Quadratic cost"), quadratic.title());
        assertTrue(quadratic.title().endsWith("\u03b7 = 0.15"), quadratic.title());
        assertTrue(crossEntropy.title().startsWith("Cross-entropy"), crossEntropy.title());
        assertEquals("Epoch", quadratic.xLabel());
        assertEquals("Cost", quadratic.yLabel());
        assertEquals(List.of("w=0.6, b=0.9 (a=0.82)", "w=2.0, b=2.0 (a=0.98)"),
                quadratic.series().stream().map(LineSeries::name).toList());
        LineSeries saturated = crossEntropy.series().get(1);
        assertEquals(21, saturated.size());
        assertEquals(20.0, saturated.x()[20]);
        assertEquals(results.get(SIGMOID_CROSS_ENTROPY_WITH_LOGITS, new Start(2.0, 2.0)).initialCost(), saturated.y()[0]);

        Path png = dir.resolve(NeuronReport.PNG_FILE);
        NeuronReport.writePng(results, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(Charts.width(figure), image.getWidth());
        assertEquals(1200, image.getWidth());
        assertEquals(Charts.height(figure), image.getHeight());
    }

    @Test
    void tablePrintsOutputGradientAndHalvingPerCurve() {
        String table = NeuronReport.table(results);
        List<String> lines = table.lines().toList();
        assertEquals(5, lines.size());
        assertTrue(lines.get(0).startsWith("cost "), lines.get(0));
        assertTrue(lines.get(0).contains("dC/dw(0)"));
        String saturatedQuadratic = lines.get(2);
        assertTrue(saturatedQuadratic.startsWith("quadratic "), saturatedQuadratic);
        assertTrue(saturatedQuadratic.contains("w=2.0, b=2.0"));
        assertTrue(saturatedQuadratic.contains("0.9820"), "a(0)");
        assertTrue(saturatedQuadratic.contains("0.01735"), "dC/dw(0) = a * a(1-a)");
        assertTrue(saturatedQuadratic.endsWith("never within 20 epochs"), saturatedQuadratic);
        assertTrue(lines.get(4).contains("0.9820  0.9820"), "cross-entropy: dC/dw(0) = a - y = a");
        // aligned: every column starts at the same offset on every line
        int start = lines.get(0).indexOf("a(0)");
        for (String line : lines.subList(1, lines.size())) {
            assertEquals('0', line.charAt(start), line);
            assertEquals(' ', line.charAt(start - 1), line);
        }
    }
}
