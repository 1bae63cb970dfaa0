package mnistxent.ablation;

import mnistxent.report.Charts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report files, from made-up runs of the four shipped configs (30 epochs, as the real ablation). */
class AblationReportTest {

    private static final int STEPS = 5000;
    private static final List<String> NAMES = List.of("tf14-cross-entropy", "tf12-quadratic",
            "tf15-cross-entropy-scaled-init", "tf15-quadratic-scaled-init");

    /** Three seeds per config; config i starts 100*i higher; the quadratic N(0,1) one never reaches 94%. */
    private static List<ConfigSummary> summaries() {
        List<ConfigSummary> out = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            String name = NAMES.get(i);
            List<RunSummary> runs = new ArrayList<>();
            for (int seed = 1; seed <= 3; seed++) {
                int[] correct = new int[30];
                double[] loss = new double[30];
                for (int e = 0; e < 30; e++) {
                    correct[e] = name.equals("tf12-quadratic") ? Math.min(9399, 9000 + 20 * e)
                            : Math.min(9700, 9000 + 100 * i + 30 * e + seed);
                    loss[e] = 0.2 / (e + 1) * (1 + i / 10.0) + seed * 1e-4;
                }
                runs.add(new RunSummary(name, seed, Synthetic.history(STEPS, correct, loss)));
            }
            out.add(new ConfigSummary(Synthetic.config(name, 30, STEPS), runs));
        }
        return out;
    }

    @Test
    void theTableHasARowPerConfigWithExplicitEpochConventions() {
        String table = AblationReport.table(summaries());
        List<String> lines = table.lines().toList();
        assertEquals(2 + NAMES.size(), lines.size(), table);
        String header = lines.get(0);
        assertTrue(header.contains("first `Epoch N` ≥ 94%"), header);
        assertTrue(header.contains("stalled (best < 90%)"), header);
        assertTrue(header.contains("train loss, 1st epoch") && header.contains("train loss, 10th epoch")
                && header.contains("train loss, 30th epoch"), header);

        String ce = lines.get(2);
        // seeds 1..3: best 9000+30*29+1..3 capped at 9700 -> 9700 for all three? 9000+870+s = 9871.. capped: 9700
        assertTrue(ce.startsWith("| `tf14-cross-entropy` | cross-entropy, W ~ N(0,1) | 3 | 0 of 3 (0.0%, 95% CI "
                + "0.0–56.1%) | 97.00 (97.00–97.00) | 9700–9700 |"), ce);
        // 94% = 9400: 9000 + 30e + s >= 9400 -> e = 14 for s = 1..3 (9420+s); e = 13 gives 9390+s < 9400
        assertTrue(ce.contains("| 14.0 (14.0–14.0) |"), ce);
        // loss of the 1st epoch: 0.2 * 1.0 + seed/1e4 -> median 0.2002
        assertTrue(ce.contains("| 0.2002 ("), ce);

        String quadratic = lines.get(3);
        assertTrue(quadratic.contains("| never |"), quadratic);
        assertTrue(quadratic.contains("93.99 (93.99–93.99)"), quadratic);
    }

    @Test
    void theMarkdownExplainsTheColumnsAndHowToRegenerate(@TempDir Path dir) throws Exception {
        List<ConfigSummary> summaries = summaries();
        AblationReport.write(summaries, new AblationReport.Context(dir, "mvn -B -q exec:java -Dexec.args=\"ablate\"",
                2, "kernel", "2 cores of a test CPU"));
        String md = Files.readString(dir.resolve(AblationReport.MARKDOWN));
        double runSeconds = summaries.stream().flatMap(c -> c.runs().stream()).mapToDouble(RunSummary::seconds).sum();
        assertTrue(runSeconds > 0, "the synthetic runs take time");
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "Trained by the kernel engine on 2 cores of a test "
                + "CPU; the runs' own wall times add up to %.0f s.", runSeconds)), md);
        assertTrue(md.contains("seeds 1–3"), md);
        assertTrue(md.contains("median over the seeds with the interquartile range"), md);
        assertTrue(md.contains("## The costs, seed by seed"), md);
        assertTrue(md.contains("| `tf14-cross-entropy` vs `tf12-quadratic` | 3 | 3 / 0 / 0 |"), md);
        assertTrue(md.contains("- `tf12-quadratic`: none of 3."), md);
        assertTrue(md.contains("the 1st epoch is the script's `Epoch 0`"), md);
        assertTrue(md.contains("```\nmvn -B -q exec:java -Dexec.args=\"ablate\"\n```"), md);
        assertTrue(md.contains("](ablation-accuracy.png)") && md.contains("](ablation-loss.png)"), md);
        assertFalse(Files.exists(dir.resolve(AblationReport.MARKDOWN + ".tmp")));
    }

    @Test
    void theRunsCsvHasARowPerRun(@TempDir Path dir) throws Exception {
        AblationReport.write(summaries(), new AblationReport.Context(dir, "cmd", 1, "kernel", "a test CPU"));
        List<String> lines = Files.readAllLines(dir.resolve(AblationReport.RUNS_CSV));
        assertEquals(1 + 12, lines.size());
        assertEquals(String.join(",", AblationReport.RUNS_CSV_HEADER), lines.get(0));
        assertEquals("config,seed,epochs,best_correct,best_epoch,final_correct,test_count,stalled,first_epoch_94pct,"
                + "train_loss_1st_epoch,train_loss_10th_epoch,train_loss_30th_epoch,seconds", lines.get(0));
        // tf14 seed 1: capped at 9700 from epoch 23 on (9000+690+1 = 9691 at 23, 9721 at 24): best epoch = last tie
        assertTrue(lines.get(1).startsWith("tf14-cross-entropy,1,30,9700,29,9700,10000,false,14,0.200100000,"),
                lines.get(1));
        assertTrue(lines.get(4).startsWith("tf12-quadratic,1,30,9399,29,9399,10000,false,,"), "never: empty: "
                + lines.get(4));
        List<String> configs = Files.readAllLines(dir.resolve(AblationReport.CONFIGS_CSV));
        assertEquals(1 + 4, configs.size());
        assertTrue(configs.get(1).startsWith("tf14-cross-entropy,3,0,0.00000,0.561497,0.970000,"), configs.get(1));
        List<String> pairs = Files.readAllLines(dir.resolve(AblationReport.PAIRS_CSV));
        assertEquals(List.of(String.join(",", AblationReport.PAIRS_CSV_HEADER),
                "tf14-cross-entropy,tf12-quadratic,3,3,0,0,3.01000,3.01000,3.01000,3.01000,3.01000,0.250000,0,0",
                "tf15-cross-entropy-scaled-init,tf15-quadratic-scaled-init,3,0,0,3,0.00000,0.00000,0.00000,0.00000,"
                        + "0.00000,1.00000,0,0"), pairs);
    }

    @Test
    void chartsAreWrittenAndShowEveryConfigInItsColour(@TempDir Path dir) throws Exception {
        AblationReport.write(summaries(), new AblationReport.Context(dir, "cmd", 1, "kernel", "a test CPU"));
        BufferedImage accuracy = ImageIO.read(dir.resolve(AblationReport.ACCURACY_PNG).toFile());
        BufferedImage loss = ImageIO.read(dir.resolve(AblationReport.LOSS_PNG).toFile());
        assertNotNull(accuracy);
        assertNotNull(loss);
        assertTrue(accuracy.getWidth() >= 900 && accuracy.getWidth() <= 1300, "readable at 100%");
        assertEquals(2, AblationReport.lossFigure(summaries()).panels().size(), "a panel per cost");
        var accuracyPanels = AblationReport.accuracyFigure(summaries()).panels();
        assertEquals(2, accuracyPanels.size(), "all of it, and a zoom on the top");
        assertEquals(93.0, accuracyPanels.get(1).yRange()[0], "from 1% below the 94% milestone");
        assertEquals(97.5, accuracyPanels.get(1).yRange()[1], "to half a percent above the best run (97.0%)");
        for (int i = 0; i < NAMES.size(); i++) {
            int rgb = Charts.colour(i).getRGB() & 0xFFFFFF;
            assertTrue(count(accuracy, rgb) > 100, NAMES.get(i) + " drawn in the accuracy chart");
            assertTrue(count(loss, rgb) > 100, NAMES.get(i) + " drawn in the loss chart, same colour");
        }
        assertTrue(inkFraction(accuracy) > 0.02 && inkFraction(loss) > 0.02, "not blank");
    }

    private static long count(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    private static double inkFraction(BufferedImage image) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n / (double) (image.getWidth() * image.getHeight());
    }
}
