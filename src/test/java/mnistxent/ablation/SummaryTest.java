package mnistxent.ablation;

import mnistxent.report.Stats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The numbers of the ablation table, on made-up metrics. */
class SummaryTest {

    private static final int STEPS = 100;

    private static RunSummary run(long seed, int[] correct, double[] loss) {
        return new RunSummary("c", seed, Synthetic.history(STEPS, correct, loss));
    }

    @Test
    void bestFinalAndTheScriptsTieRule() {
        RunSummary r = run(1, new int[]{9000, 9500, 9400, 9500, 9450}, new double[]{.5, .4, .3, .2, .1});
        assertEquals(9500, r.bestCorrect());
        assertEquals(3, r.bestEpoch(), "best = (best, acc)[best <= acc]: a tie moves best to the later epoch");
        assertEquals(9450, r.finalCorrect());
        assertEquals(5, r.epochs());
        assertEquals(1 + 1.1 + 1.2 + 1.3 + 1.4, r.seconds(), 1e-9);
    }

    @Test
    void firstEpochAtNinetyFourPercentCountsFromZeroAndIncludesTheThreshold() {
        RunSummary exactly = run(1, new int[]{9000, 9399, 9400, 9600}, new double[]{1, 1, 1, 1});
        assertEquals(OptionalInt.of(2), exactly.firstEpochReaching(94), "9400 of 10000 is 94%");
        RunSummary atStart = run(1, new int[]{9412, 9300}, new double[]{1, 1});
        assertEquals(OptionalInt.of(0), atStart.firstEpochReaching(94), "the script's Epoch 0");
        RunSummary never = run(1, new int[]{9000, 9399}, new double[]{1, 1});
        assertEquals(OptionalInt.empty(), never.firstEpochReaching(94));
    }

    @Test
    void lossOfTheKthEpochCountsFromOne() {
        RunSummary r = run(1, new int[]{1, 2, 3}, new double[]{0.3, 0.2, 0.1});
        assertEquals(OptionalDouble.of(0.3), r.meanLossOfEpoch(1), "the 1st epoch is the script's Epoch 0");
        assertEquals(OptionalDouble.of(0.1), r.meanLossOfEpoch(3));
        assertEquals(OptionalDouble.empty(), r.meanLossOfEpoch(10), "past the last epoch");
        assertThrows(IllegalArgumentException.class, () -> r.meanLossOfEpoch(0));
    }

    @Test
    void aConfigsRowAggregatesItsSeeds() {
        var config = Synthetic.config("tf12-quadratic", 3, STEPS);
        ConfigSummary c = new ConfigSummary(config, List.of(
                new RunSummary("tf12-quadratic", 1, Synthetic.history(STEPS, new int[]{9300, 9400, 9500}, new double[]{.3, .2, .1})),
                new RunSummary("tf12-quadratic", 2, Synthetic.history(STEPS, new int[]{9450, 9500, 9550}, new double[]{.5, .4, .3})),
                new RunSummary("tf12-quadratic", 3, Synthetic.history(STEPS, new int[]{9000, 9100, 9200}, new double[]{.4, .3, .2}))));

        assertEquals(3, c.seeds());
        assertEquals((0.95 + 0.955 + 0.92) / 3, c.bestAccuracy().mean(), 1e-12);
        assertEquals(Stats.of(0.95, 0.955, 0.92).std(), c.bestAccuracy().std(), 1e-12);
        assertEquals(9200, c.bestCorrect().min());
        assertEquals(9550, c.bestCorrect().max());
        assertEquals((0.95 + 0.955 + 0.92) / 3, c.finalAccuracy().mean(), 1e-12);
        Stats first94 = c.firstMilestoneEpoch();
        assertEquals(2, first94.n(), "the seeds that reach 94%");
        assertEquals(0.5, first94.mean(), 1e-12, "epochs 1 and 0");
        assertEquals(1, c.neverReached());
        assertEquals(0.4, c.lossOfEpoch(1).mean(), 1e-12);
        assertEquals(0.2, c.lossOfEpoch(3).mean(), 1e-12);
        assertEquals(0, c.lossOfEpoch(10).n());
        assertEquals("quadratic, W ~ N(0,1)", c.variant());

        // per epoch: the median of the three seeds and the quartiles between them (positions 0.5 and 1.5)
        double[][] acc = c.perEpoch(true);
        assertArrayEquals(new double[]{0.93, 0.94, 0.95}, acc[0], 1e-12);
        assertArrayEquals(new double[]{(0.9 + 0.93) / 2, (0.91 + 0.94) / 2, (0.92 + 0.95) / 2}, acc[1], 1e-12);
        assertArrayEquals(new double[]{(0.93 + 0.945) / 2, (0.94 + 0.95) / 2, (0.95 + 0.955) / 2}, acc[2], 1e-12);
        assertArrayEquals(new double[]{0, 1, 2}, c.epochNumbers());
    }

    @Test
    void theScaledInitIsNamedInTheVariant() {
        var config = Synthetic.config("tf15-cross-entropy-scaled-init", 1, STEPS);
        ConfigSummary c = new ConfigSummary(config, List.of(new RunSummary(config.name(), 1,
                Synthetic.history(STEPS, new int[]{9400}, new double[]{.1}))));
        assertEquals("cross-entropy, W ~ N(0,1)/√n_in", c.variant());
    }

    @Test
    void runsOfDifferentLengthsOrConfigsDoNotMix() {
        var config = Synthetic.config("tf12-quadratic", 3, STEPS);
        RunSummary three = new RunSummary("tf12-quadratic", 1, Synthetic.rising(STEPS, 3, 0));
        RunSummary two = new RunSummary("tf12-quadratic", 2, Synthetic.rising(STEPS, 2, 0));
        RunSummary other = new RunSummary("other", 3, Synthetic.rising(STEPS, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConfigSummary(config, List.of(three, two)));
        assertThrows(IllegalArgumentException.class, () -> new ConfigSummary(config, List.of(three, other)));
    }
}
