package mnistxent.config;

import java.util.List;

/**
 * A fully connected feed-forward network: {@code inputs -> layers[0] -> ... -> layers[n-1]}.
 * The last layer is the output layer. SPEC §3: 784 -> 30 sigmoid -> 10 sigmoid.
 */
public record NetworkSpec(int inputs, List<LayerSpec> layers) {

    public NetworkSpec {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
    }

    /** Number of inputs of layer {@code i} (the units of the layer before it). */
    public int fanIn(int i) {
        return i == 0 ? inputs : layers.get(i - 1).units();
    }

    public int outputs() {
        return layers.get(layers.size() - 1).units();
    }

    public LayerSpec outputLayer() {
        return layers.get(layers.size() - 1);
    }

    /** {@code [inputs, units of layer 0, ..., outputs]}: the sizes an engine is built with. */
    public int[] sizes() {
        int[] sizes = new int[layers.size() + 1];
        sizes[0] = inputs;
        for (int i = 0; i < layers.size(); i++) {
            sizes[i + 1] = layers.get(i).units();
        }
        return sizes;
    }

    /** Each layer's activation, in order. */
    public Activation[] activations() {
        return layers.stream().map(LayerSpec::activation).toArray(Activation[]::new);
    }

    /** Total number of trainable parameters (weights and biases). */
    public long parameterCount() {
        long n = 0;
        for (int i = 0; i < layers.size(); i++) {
            n += (long) fanIn(i) * layers.get(i).units() + layers.get(i).units();
        }
        return n;
    }
}
