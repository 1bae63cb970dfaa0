package mnistxent.model;

import mnistxent.UserError;

import java.util.List;
import java.util.Optional;

/**
 * Parameters that hold NaN or an infinity cannot be trained or used: the engines would not even agree on
 * them (the kernel engine skips the weights of zero pixels, so a NaN weight on a pixel that is always 0
 * changes nothing there, while DL4J's matrix product spreads it to every output). So they are refused where
 * they are loaded ({@code --init}'s .npy files, a model zip), before any engine sees them, naming the tensor
 * and the element in the seed script's terms.
 */
public final class NonFiniteParameters extends UserError {

    private NonFiniteParameters(String message) {
        super(message);
    }

    /**
     * Returns quietly when every value is finite.
     *
     * @param source what the parameters were read from, for the message
     * @throws NonFiniteParameters naming the first value that is not, and how many there are
     */
    public static void requireFinite(List<LayerParameters> layers, String source) {
        Optional<String> bad = firstNonFinite(layers);
        if (bad.isPresent()) {
            throw new NonFiniteParameters(source + ": " + bad.get() + "; parameters must be finite numbers to be "
                    + "trained or used");
        }
    }

    /** The first value that is not a finite number, as {@code W_2[i, j] is NaN (and n more ...)}; else empty. */
    public static Optional<String> firstNonFinite(List<LayerParameters> layers) {
        String first = null;
        long count = 0;
        for (int l = 0; l < layers.size(); l++) {
            LayerParameters layer = layers.get(l);
            float[] w = layer.weights();
            for (int k = 0; k < w.length; k++) {
                if (!Float.isFinite(w[k])) {
                    if (first == null) {
                        first = LayerParameters.weightName(l) + "[" + k / layer.nOut() + ", " + k % layer.nOut()
                                + "] is " + w[k];
                    }
                    count++;
                }
            }
            float[] b = layer.biases();
            for (int k = 0; k < b.length; k++) {
                if (!Float.isFinite(b[k])) {
                    if (first == null) {
                        first = LayerParameters.biasName(l) + "[" + k + "] is " + b[k];
                    }
                    count++;
                }
            }
        }
        return first == null ? Optional.empty() : Optional.of(first + (count > 1 ? " (and " + (count - 1)
                + " more values are not finite numbers)" : ""));
    }
}
