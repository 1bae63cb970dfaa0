package mnistxent.model;

/**
 * One dense layer's parameters as the seed script holds them: {@code W [nIn, nOut]} row-major
 * ({@code W[i][j]} at {@code i * nOut + j}, TF's and NumPy's layout) and {@code b [nOut]}. Plain Java:
 * every engine exchanges parameters in this form, whatever it keeps internally.
 */
public record LayerParameters(int nIn, int nOut, float[] weights, float[] biases) {

    /** The TF variable name of layer {@code layer}'s weights: the seed names tensors after the layer they feed, W_2 first. */
    public static String weightName(int layer) {
        return "W_" + (layer + 2);
    }

    /** The TF variable name of layer {@code layer}'s biases: b_2 first. */
    public static String biasName(int layer) {
        return "b_" + (layer + 2);
    }

    public LayerParameters {
        if (weights.length != nIn * nOut || biases.length != nOut) {
            throw new IllegalArgumentException("layer " + nIn + "x" + nOut + " needs " + nIn * nOut
                    + " weights and " + nOut + " biases, got " + weights.length + " and " + biases.length);
        }
    }
}
