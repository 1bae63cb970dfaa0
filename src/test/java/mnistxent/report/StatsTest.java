package mnistxent.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsTest {

    @Test
    void meanAndSampleStandardDeviation() {
        Stats s = Stats.of(1, 2, 3, 4);
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3.0), s.std(), 1e-12, "divisor n - 1");
        assertEquals(1, s.min());
        assertEquals(4, s.max());
        assertEquals(4, s.n());
        assertEquals("250.00 ± 129.10", s.format(100, 2));

        Stats one = Stats.of(0.95);
        assertTrue(Double.isNaN(one.std()), "one seed has no spread");
        assertEquals("95.0", one.format(100, 1), "no ± for a single value");
        assertEquals("–", Stats.of().format(1, 2));
    }

    @Test
    void mediansOfOddAndEvenCounts() {
        Stats s = Stats.of(5, 1, 4, 2, 3);
        assertEquals(3, s.median());
        assertEquals(1, s.min());
        assertEquals(5, s.max());
        assertEquals(2.5, Stats.of(4, 1, 2, 3).median());
        assertTrue(Double.isNaN(Stats.of().median()));
    }

    @Test
    void quartilesInterpolateBetweenTheSortedValues() {
        Stats s = Stats.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertEquals(3.25, s.q1(), 1e-12, "position 0.25 * 9 = 2.25");
        assertEquals(5.5, s.median(), 1e-12);
        assertEquals(7.75, s.q3(), 1e-12);
        assertEquals("550.0 (325.0–775.0)", s.formatMedian(100, 1));
        assertEquals("1–10", s.formatRange(1, 0));
        assertEquals("7", Stats.of(7).formatMedian(1, 0), "no range for one value");
    }
}
