package mnistxent.neuron;

import java.math.BigDecimal;

/** Number formatting shared by the experiment's table, legends and CSV. */
final class NeuronFormat {

    private NeuronFormat() {
    }

    /**
     * The shortest decimal that reads back as the same float: the network computes in float32
     * (docs/SPEC.md §3), so more digits would only show the float-to-double widening.
     */
    static String float32(double v) {
        return Float.toString((float) v);
    }

    /**
     * A config value as the article writes it, with no exponent and at least one decimal:
     * {@code 2 -> "2.0"}, {@code 0.005 -> "0.005"}.
     */
    static String compact(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        String s = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        if (s.equals("-0")) {
            s = "0";
        }
        return s.contains(".") ? s : s + ".0";
    }
}
