package mnistxent.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The two costs of the article (SPEC §4). Both assume a sigmoid output layer. */
public enum LossKind {
    /** {@code reduce_mean(sigmoid_cross_entropy_with_logits(labels=y, logits=z3))}: the seed script. */
    SIGMOID_CROSS_ENTROPY_WITH_LOGITS("sigmoid-cross-entropy-with-logits"),
    /** {@code reduce_mean(norm(y - a3, axis=1)**2) / 2}: the commented-out line, chapter 12. */
    QUADRATIC("quadratic");

    private final String yamlName;

    LossKind(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<LossKind> fromYaml(String name) {
        return Arrays.stream(values()).filter(k -> k.yamlName.equals(name)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(LossKind::yamlName).collect(Collectors.joining(" | "));
    }
}
