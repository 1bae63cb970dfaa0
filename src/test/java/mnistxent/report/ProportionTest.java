package mnistxent.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The 95% Wilson interval, against values computed independently (the formula in double precision). */
class ProportionTest {

    @Test
    void wilsonIntervals() {
        Proportion none = new Proportion(0, 100);
        assertEquals(0.0, none.lower(), "exactly 0, as the CSV shows it");
        assertEquals(0.0369935, none.upper(), 1e-6, "0 of 100 still allows up to 3.7%");
        Proportion three = new Proportion(3, 100);
        assertEquals(0.0102545, three.lower(), 1e-6);
        assertEquals(0.0845194, three.upper(), 1e-6);
        Proportion oneOfThree = new Proportion(1, 3);
        assertEquals(0.0614919, oneOfThree.lower(), 1e-6);
        assertEquals(0.7923404, oneOfThree.upper(), 1e-6);
        assertEquals("3 of 100 (3.0%, 95% CI 1.0–8.5%)", three.format());
        assertEquals("0 of 100 (0.0%, 95% CI 0.0–3.7%)", none.format());
        Proportion all = new Proportion(100, 100);
        assertEquals(1.0, all.upper(), "exactly 1");
        assertEquals(1 - 0.0369935, all.lower(), 1e-6, "the mirror of 0 of 100");
        assertThrows(IllegalArgumentException.class, () -> new Proportion(4, 3));
    }

    @Test
    void theSignTestIsTheExactBinomialTail() {
        assertEquals(0.0703125, SignTest.pValue(7, 1), 1e-12, "2 * (1 + 8) / 256");
        assertEquals(0.001953125, SignTest.pValue(10, 0), 1e-12, "2 / 1024");
        assertEquals(0.0568879, SignTest.pValue(60, 40), 1e-6);
        assertEquals(SignTest.pValue(40, 60), SignTest.pValue(60, 40), 1e-15, "two-sided");
        assertEquals(1.0, SignTest.pValue(0, 0));
        assertEquals(1.0, SignTest.pValue(5, 5));
    }
}
