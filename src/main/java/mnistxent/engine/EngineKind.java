package mnistxent.engine;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The training engines. Both are exact (TF parity tests); {@code kernel} is the fast one. */
public enum EngineKind {
    /** Stock DL4J: {@code MultiLayerNetwork.fit(DataSet)} per batch, on the build's ND4J backend. */
    DL4J("dl4j"),
    /** The hand-written float32 step ({@link mnistxent.engine.kernel.MlpKernel}), on the CPU, in Java. */
    KERNEL("kernel");

    private final String cliName;

    EngineKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * {@code auto}: the kernel on the CPU backend (it is the fastest there); DL4J on CUDA, so that
     * {@code -Pcuda} really trains on the GPU (the kernel is plain Java and runs on the CPU anyway).
     */
    public static EngineKind auto(Backend backend) {
        return backend.gpu() ? DL4J : KERNEL;
    }

    /** Parses {@code auto | dl4j | kernel}. */
    public static EngineKind parse(String name, Backend backend) {
        if ("auto".equals(name)) {
            return auto(backend);
        }
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown engine '" + name + "'; allowed: auto, "
                        + Arrays.stream(values()).map(EngineKind::cliName).collect(Collectors.joining(", "))));
    }
}
