package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.model.LayerParameters;

import java.util.List;
import java.util.Optional;

/** Which engine runs, and building it: the one place for both rules. */
public final class Engines {

    private Engines() {
    }

    /**
     * The engine to use: the one asked for ({@code auto} picks by hardware, {@link EngineKind#auto}); when
     * none is asked for, the one recorded in the model being continued or evaluated (it reproduces that run
     * bit for bit), else auto.
     *
     * @param requested {@code null}, {@code auto} or an engine's name (checked by the caller: another name is a bug)
     */
    public static EngineKind choose(String requested, Optional<EngineKind> recorded, Backend backend) {
        if (requested == null) {
            return recorded.orElseGet(() -> EngineKind.auto(backend));
        }
        if (requested.equals(EngineKind.AUTO)) {
            return EngineKind.auto(backend);
        }
        return EngineKind.byName(requested).orElseThrow(() -> new IllegalArgumentException(
                "unknown engine '" + requested + "'; allowed: " + EngineKind.choices()));
    }

    /** An engine of {@code kind} for {@code config} over {@code images}, starting from {@code initial}. */
    public static TrainingEngine create(EngineKind kind, ExperimentConfig config, ImageSets images,
                                        List<LayerParameters> initial) {
        return switch (kind) {
            case DL4J -> new Dl4jEngine(config, images, initial);
            case KERNEL -> new KernelEngine(config, images, initial);
        };
    }
}
