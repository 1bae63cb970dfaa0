package mnistxent.ablation;

import mnistxent.report.SignTest;
import mnistxent.report.Stats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The study's statistics on made-up runs whose answers are known: stalled runs, their interval, the pairing. */
class StudyStatisticsTest {

    private static final int STEPS = 5000;
    private static final int EPOCHS = 5;

    /** A run whose test count climbs to {@code best} in the last epoch. */
    private static RunSummary run(String config, long seed, int best) {
        int[] correct = new int[EPOCHS];
        double[] loss = new double[EPOCHS];
        for (int e = 0; e < EPOCHS; e++) {
            correct[e] = best - 100 * (EPOCHS - 1 - e);
            loss[e] = 0.1 / (e + 1);
        }
        return new RunSummary(config, seed, Synthetic.history(STEPS, correct, loss));
    }

    /**
     * Ten seeds. Cross-entropy: 9500 + seed. Quadratic: seeds 3 and 8 stall at 8600; seed 5 ties
     * cross-entropy; the others end 20 below it except seed 10, 30 above it.
     */
    private static List<ConfigSummary> study() {
        List<RunSummary> xent = new ArrayList<>();
        List<RunSummary> quad = new ArrayList<>();
        for (long seed = 1; seed <= 10; seed++) {
            int x = 9500 + (int) seed;
            xent.add(run("tf14-cross-entropy", seed, x));
            int q = seed == 3 || seed == 8 ? 8600 : seed == 5 ? x : seed == 10 ? x + 30 : x - 20;
            quad.add(run("tf12-quadratic", seed, q));
        }
        return List.of(new ConfigSummary(Synthetic.config("tf14-cross-entropy", EPOCHS, STEPS), xent),
                new ConfigSummary(Synthetic.config("tf12-quadratic", EPOCHS, STEPS), quad));
    }

    @Test
    void stalledRunsAreCountedWithTheirInterval() {
        ConfigSummary xent = study().get(0);
        ConfigSummary quad = study().get(1);
        assertEquals(0, xent.stalled().k());
        assertEquals(2, quad.stalled().k());
        assertEquals(10, quad.stalled().n());
        assertEquals(List.of(3L, 8L), quad.stalledRuns().stream().map(RunSummary::seed).toList());
        // Wilson, 2 of 10: 0.0567 to 0.5098
        assertEquals(0.0566821, quad.stalled().lower(), 1e-6);
        assertEquals(0.5098375, quad.stalled().upper(), 1e-6);
        assertTrue(quad.runs().get(2).stalled(), "86% < 90%");
        assertFalse(run("c", 1, 9000).stalled(), "exactly 90% is not stalled");
        assertTrue(run("c", 1, 8999).stalled());
    }

    @Test
    void bestAccuracyIsSummarisedByItsMedianAndQuartiles() {
        Stats best = study().get(0).bestAccuracy();
        assertEquals(0.95055, best.median(), 1e-12, "(9505 + 9506) / 2 / 10000");
        assertEquals(0.9503250, best.q1(), 1e-12, "position 2.25 of 9501..9510");
        assertEquals(0.9507750, best.q3(), 1e-12);
        assertEquals(0.9501, best.min(), 1e-12);
        assertEquals(0.9510, best.max(), 1e-12);
    }

    @Test
    void theCostsArePairedSeedBySeed() {
        List<PairedComparison> pairs = PairedComparison.find(study());
        assertEquals(1, pairs.size(), "tf14 and tf12 differ in their cost alone");
        PairedComparison p = pairs.get(0);
        assertEquals("tf14-cross-entropy", p.crossEntropy().name());
        assertEquals(10, p.pairs().size());
        assertEquals(8, p.wins(), "seeds 1, 2, 4, 6, 7, 9 by 20 and seeds 3, 8 by ~9 points");
        assertEquals(1, p.losses(), "seed 10");
        assertEquals(1, p.ties(), "seed 5");
        assertEquals(SignTest.pValue(8, 1), p.pValue(), 1e-15);
        assertEquals(0.0390625, p.pValue(), 1e-12, "2 * (1 + 9) / 512");
        Stats d = p.difference();
        assertEquals(0.2, d.median(), 1e-9, "most seeds: cross-entropy 20 of 10000 ahead");
        assertEquals(-0.3, d.min(), 1e-9);
        assertEquals(9.08, d.max(), 1e-9, "seed 8: 9508 against the stalled 8600");
        assertEquals(2, p.stalledOnlyOneSide()[0], "the quadratic cost stalled where cross-entropy did not");
        assertEquals(0, p.stalledOnlyOneSide()[1]);
    }
}
