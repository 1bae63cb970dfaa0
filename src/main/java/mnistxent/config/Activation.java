package mnistxent.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Activations a layer may use. The seed's network is sigmoid throughout (SPEC §3). */
public enum Activation {
    SIGMOID("sigmoid"),
    TANH("tanh"),
    RELU("relu");

    private final String yamlName;

    Activation(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<Activation> fromYaml(String name) {
        return Arrays.stream(values()).filter(a -> a.yamlName.equals(name)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Activation::yamlName).collect(Collectors.joining(" | "));
    }
}
