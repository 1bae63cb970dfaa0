package mnistxent.engine;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The training engines. All are exact (TF parity tests); they differ in where they run and how fast. */
public enum EngineKind {
    /** Stock DL4J: {@code MultiLayerNetwork.fit(DataSet)} per batch, on the build's ND4J backend. */
    DL4J("dl4j"),
    /** The hand-written float32 step ({@link mnistxent.engine.kernel.MlpKernel}), on the CPU, in Java. */
    KERNEL("kernel"),
    /** The same step as CUDA C, a whole epoch per launch on an NVIDIA GPU ({@link mnistxent.engine.cuda}). */
    CUDA("cuda");

    /** The name that asks for the engine that suits the build and the hardware ({@link EngineChoice#auto}). */
    public static final String AUTO = "auto";

    private final String cliName;

    EngineKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The engine of this CLI name, if there is one. */
    public static Optional<EngineKind> byName(String name) {
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name)).findFirst();
    }

    /** The names an option may take: {@code auto} and every engine's. */
    public static String choices() {
        return AUTO + ", " + Arrays.stream(values()).map(EngineKind::cliName).collect(Collectors.joining(", "));
    }
}
