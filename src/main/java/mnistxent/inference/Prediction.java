package mnistxent.inference;

import java.util.Locale;

/**
 * The network's answer for one input: the ten sigmoid outputs {@code a3} and the digit they pick.
 *
 * @param input   names the input (a file, or {@code test[N]})
 * @param label   the true digit when known (a test image), else -1
 * @param outputs {@code a3[0..9]}
 */
public record Prediction(String input, int label, float[] outputs) {

    public Prediction {
        outputs = outputs.clone();
    }

    @Override
    public float[] outputs() {
        return outputs.clone();
    }

    /** {@code argmax(a3)}, the first index winning a tie, as {@code tf.argmax} (SPEC §6). */
    public int digit() {
        int best = 0;
        for (int i = 1; i < outputs.length; i++) {
            if (outputs[i] > outputs[best]) {
                best = i;
            }
        }
        return best;
    }

    /** One line: the input (and its label), the digit, the ten outputs. */
    public String line(int inputWidth) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-" + inputWidth + "s  %5d ",
                input + (label >= 0 ? " (label " + label + ")" : ""), digit()));
        for (float o : outputs) {
            s.append(String.format(Locale.ROOT, " %.6f", o));
        }
        return s.toString();
    }

    /** The width {@link #line} needs for the input column. */
    public int inputWidth() {
        return (input + (label >= 0 ? " (label " + label + ")" : "")).length();
    }
}
