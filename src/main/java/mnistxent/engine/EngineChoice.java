package mnistxent.engine;

import mnistxent.engine.cuda.GpuInfo;
import mnistxent.engine.cuda.GpuProbe;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which engine runs, and whether ND4J may use the GPU: decided before ND4J starts, from the build (does it
 * hold ND4J's CUDA backend, {@code -Pcuda}?), the GPU the driver reports, the engine asked for and the one
 * recorded in a model (README, Running on a GPU: the table).
 *
 * @param engine    the engine that trains or evaluates
 * @param nd4jOnGpu whether ND4J should start its CUDA backend: only for the dl4j engine on a GPU that ND4J's
 *                  kernels support; otherwise ND4J only holds the model, on the CPU
 * @param gpu       the GPU, when one was looked for and found
 */
public record EngineChoice(EngineKind engine, boolean nd4jOnGpu, Optional<GpuInfo> gpu) {

    /** The CUDA version (as the driver reports it) that the engine's PTX, ISA 7.6, needs: 11.6, driver 510. */
    public static final int CUDA_ENGINE_MIN_DRIVER = 11_060;
    /** The oldest compute capability the engine's PTX targets ({@code compute_50}, Maxwell). */
    public static final int CUDA_ENGINE_MIN_MAJOR = 5;
    /** ND4J's CUDA 11.6 build needs a driver for CUDA 11.0 or later (minor-version compatibility). */
    public static final int ND4J_MIN_DRIVER = 11_000;

    /** Why a combination cannot run. */
    public enum Reason {
        /** No driver, no GPU, or a driver that cannot start. */
        NO_GPU,
        /** A driver older than what the engine needs. */
        DRIVER_TOO_OLD,
        /** A GPU older than the CUDA engine's PTX. */
        GPU_TOO_OLD,
        /** The dl4j engine on a GPU that ND4J 1.0.0-M2.1's CUDA kernels do not cover (Hopper, Blackwell). */
        DL4J_UNSUPPORTED_GPU
    }

    /** A refused combination: the reason, the engine asked for, and the facts behind it. */
    public static final class Refused extends RuntimeException {
        private final Reason reason;
        private final EngineKind engine;
        private final boolean cudaBuild;
        private final GpuProbe.Result probe;

        Refused(Reason reason, EngineKind engine, boolean cudaBuild, GpuProbe.Result probe) {
            super(reason + " for the " + engine.cliName() + " engine: "
                    + probe.gpu().map(GpuInfo::describe).orElse(probe.absence()));
            this.reason = reason;
            this.engine = engine;
            this.cudaBuild = cudaBuild;
            this.probe = probe;
        }

        public Reason reason() {
            return reason;
        }

        public EngineKind engine() {
            return engine;
        }

        public boolean cudaBuild() {
            return cudaBuild;
        }

        public GpuProbe.Result probe() {
            return probe;
        }
    }

    /**
     * The decision.
     *
     * @param requested {@code null} (none asked for), {@code auto} or an engine's name (checked by the caller)
     * @param recorded  the engine recorded in the model being continued or evaluated, if any
     * @param cudaBuild whether ND4J's CUDA backend is on the classpath ({@code -Pcuda})
     * @param probe     asks the driver for the GPU; called only when the answer matters
     * @throws Refused  when the engine cannot run here
     */
    public static EngineChoice decide(String requested, Optional<EngineKind> recorded, boolean cudaBuild,
                                      Supplier<GpuProbe.Result> probe) {
        EngineKind engine;
        if (requested == null) {
            engine = recorded.orElseGet(() -> auto(cudaBuild));
        } else if (requested.equals(EngineKind.AUTO)) {
            engine = auto(cudaBuild);
        } else {
            engine = EngineKind.byName(requested).orElseThrow(() -> new IllegalArgumentException(
                    "unknown engine '" + requested + "'; allowed: " + EngineKind.choices()));
        }
        if (!cudaBuild && engine != EngineKind.CUDA) {
            return new EngineChoice(engine, false, Optional.empty());     // the CPU build: no GPU involved
        }
        GpuProbe.Result p = probe.get();
        if (p.gpu().isEmpty()) {
            throw new Refused(Reason.NO_GPU, engine, cudaBuild, p);
        }
        GpuInfo gpu = p.gpu().get();
        switch (engine) {
            case CUDA -> {
                if (gpu.major() < CUDA_ENGINE_MIN_MAJOR) {
                    throw new Refused(Reason.GPU_TOO_OLD, engine, cudaBuild, p);
                }
                if (gpu.driverVersion() < CUDA_ENGINE_MIN_DRIVER) {
                    throw new Refused(Reason.DRIVER_TOO_OLD, engine, cudaBuild, p);
                }
                return new EngineChoice(engine, false, p.gpu());
            }
            case DL4J -> {
                if (!nd4jRunsOn(gpu)) {
                    throw new Refused(Reason.DL4J_UNSUPPORTED_GPU, engine, cudaBuild, p);
                }
                if (gpu.driverVersion() < ND4J_MIN_DRIVER) {
                    throw new Refused(Reason.DRIVER_TOO_OLD, engine, cudaBuild, p);
                }
                return new EngineChoice(engine, true, p.gpu());
            }
            default -> {
                return new EngineChoice(engine, false, p.gpu());
            }
        }
    }

    /** {@code auto}: the CUDA engine in the {@code -Pcuda} build, the kernel on the CPU otherwise. */
    public static EngineKind auto(boolean cudaBuild) {
        return cudaBuild ? EngineKind.CUDA : EngineKind.KERNEL;
    }

    /**
     * Whether ND4J 1.0.0-M2.1's CUDA kernels can run on this GPU: its library holds machine code for compute
     * capability 3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0 and 8.6 and no PTX, and machine code runs on the same
     * major version with an equal or higher minor one: 3.7 to 8.9, not Hopper (9.0) or Blackwell (10.x, 12.x).
     */
    public static boolean nd4jRunsOn(GpuInfo gpu) {
        return (gpu.major() == 3 && gpu.minor() >= 7) || (gpu.major() >= 5 && gpu.major() <= 8);
    }
}
