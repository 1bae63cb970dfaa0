package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.engine.cuda.GpuProbe;
import mnistxent.model.LayerParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Which engine runs (and where ND4J runs), and building engines: the one place for both rules. */
public final class Engines {

    private static final Logger log = LoggerFactory.getLogger(Engines.class);

    private Engines() {
    }

    /** The engine chosen for this process and the ND4J backend started for it. */
    public record Prepared(EngineChoice choice, Backend backend) {
        public EngineKind engine() {
            return choice.engine();
        }

        /** Where the engine computes, for a report's provenance: the GPU, or the CPU's model and cores. */
        public String hardware() {
            if (engine() == EngineKind.CUDA && choice.gpu().isPresent()) {
                return choice.gpu().get().describe();
            }
            return Runtime.getRuntime().availableProcessors() + " cores of " + cpuModel() + ", Java "
                    + Runtime.version();
        }
    }

    /** The CPU's model as Linux names it, else the architecture. */
    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }

    /**
     * Chooses the engine ({@link EngineChoice#decide}: the one asked for, else the one recorded in the model
     * being continued or evaluated, else the build's default), then starts ND4J where that engine needs it.
     * Call it before anything else touches ND4J.
     *
     * @param requested {@code null}, {@code auto} or an engine's name
     * @throws EngineChoice.Refused when the engine cannot run here
     */
    public static Prepared prepare(String requested, Optional<EngineKind> recorded) {
        EngineChoice choice = choose(requested, recorded);
        return new Prepared(choice, startBackend(choice));
    }

    /**
     * The first half of {@link #prepare}: the engine, without starting ND4J (which an engine that trains
     * without it never needs in a fresh run: README, Performance, "Start-up").
     */
    public static EngineChoice choose(String requested, Optional<EngineKind> recorded) {
        EngineChoice choice = EngineChoice.decide(requested, recorded, Backend.cudaOnClasspath(), GpuProbe::probe);
        choice.gpu().ifPresent(gpu -> log.info("GPU: {}", gpu.describe()));
        return choice;
    }

    /** The second half of {@link #prepare}: starts ND4J where {@code choice} needs it, and says where. */
    public static Backend startBackend(EngineChoice choice) {
        Backend backend = Backend.start(choice.nd4jOnGpu());
        log.info(backend.describe());
        return backend;
    }

    /**
     * An engine of {@code kind} training {@code initial.size()} runs of {@code config} in lockstep, run r
     * from {@code initial.get(r)}; on the CPU over {@code threads} threads.
     */
    public static MultiRunEngine createRuns(EngineKind kind, ExperimentConfig config, ImageSets images,
                                            List<List<LayerParameters>> initial, int threads) {
        return switch (kind) {
            case KERNEL -> new KernelRuns(config, images, initial, threads);
            case CUDA -> new CudaRuns(config, images, initial);
            case DL4J -> throw new IllegalArgumentException("the dl4j engine trains one run at a time");
        };
    }

    /** An engine of {@code kind} for {@code config} over {@code images}, starting from {@code initial}. */
    public static TrainingEngine create(EngineKind kind, ExperimentConfig config, ImageSets images,
                                        List<LayerParameters> initial) {
        return switch (kind) {
            case DL4J -> new Dl4jEngine(config, images, initial);
            case KERNEL -> new KernelEngine(config, images, initial);
            case CUDA -> new CudaEngine(config, images, initial);
        };
    }
}
