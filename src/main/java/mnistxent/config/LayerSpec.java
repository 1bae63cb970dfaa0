package mnistxent.config;

/** A dense layer: {@code units} neurons, each {@code activation(x . w + b)}. */
public record LayerSpec(int units, Activation activation) {
}
