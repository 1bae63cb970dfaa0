package mnistxent.engine;

import mnistxent.engine.cuda.GpuInfo;
import mnistxent.engine.cuda.GpuProbe;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The decision table of README's "Running on a GPU": build x GPU x engine asked for. */
class EngineChoiceTest {

    private static final GpuInfo H200 = new GpuInfo("NVIDIA H200", 9, 0, 13_000, 132, 150_000_000_000L, 232_448);
    private static final GpuInfo A100 = new GpuInfo("NVIDIA A100-SXM4-40GB", 8, 0, 12_020, 108, 42_000_000_000L, 166_912);
    private static final GpuInfo RTX4090 = new GpuInfo("NVIDIA GeForce RTX 4090", 8, 9, 12_040, 128, 25_000_000_000L, 101_376);
    private static final GpuInfo K80 = new GpuInfo("Tesla K80", 3, 7, 11_040, 13, 12_000_000_000L, 49_152);
    private static final GpuInfo OLD_DRIVER = new GpuInfo("NVIDIA T4", 7, 5, 11_040, 40, 16_000_000_000L, 65_536);
    private static final GpuInfo B200 = new GpuInfo("NVIDIA B200", 10, 0, 12_080, 148, 190_000_000_000L, 232_448);

    private static Supplier<GpuProbe.Result> found(GpuInfo gpu) {
        return () -> GpuProbe.Result.found(gpu);
    }

    private static final Supplier<GpuProbe.Result> NO_DRIVER =
            () -> GpuProbe.Result.none("libcuda.so.1 not found (no NVIDIA driver is installed)");

    private static final Supplier<GpuProbe.Result> NEVER = () -> fail("the CPU build must not look for a GPU");

    private static EngineChoice decide(String requested, boolean cudaBuild, Supplier<GpuProbe.Result> probe) {
        return EngineChoice.decide(requested, Optional.empty(), cudaBuild, probe);
    }

    private static EngineChoice.Reason refusal(String requested, boolean cudaBuild, Supplier<GpuProbe.Result> probe) {
        return assertThrows(EngineChoice.Refused.class, () -> decide(requested, cudaBuild, probe)).reason();
    }

    @Test
    void theCpuBuildRunsTheKernelByDefaultAndNeverAsksForAGpu() {
        assertEquals(EngineKind.KERNEL, decide(null, false, NEVER).engine());
        assertEquals(EngineKind.KERNEL, decide("auto", false, NEVER).engine());
        EngineChoice dl4j = decide("dl4j", false, NEVER);
        assertEquals(EngineKind.DL4J, dl4j.engine());
        assertFalse(dl4j.nd4jOnGpu(), "ND4J has only its CPU backend here");
    }

    @Test
    void theCpuBuildRunsTheCudaEngineWhereTheDriverAndGpuAllow() {
        EngineChoice c = decide("cuda", false, found(H200));
        assertEquals(EngineKind.CUDA, c.engine());
        assertFalse(c.nd4jOnGpu());
        assertEquals(Optional.of(H200), c.gpu());
        assertEquals(EngineChoice.Reason.NO_GPU, refusal("cuda", false, NO_DRIVER));
        assertEquals(EngineChoice.Reason.DRIVER_TOO_OLD, refusal("cuda", false, found(OLD_DRIVER)));
        assertEquals(EngineChoice.Reason.GPU_TOO_OLD, refusal("cuda", false, found(K80)));
    }

    @Test
    void withoutAGpuTheCudaBuildRefusesEveryEngine() {
        for (String engine : new String[]{null, "auto", "cuda", "dl4j", "kernel"}) {
            EngineChoice.Refused r = assertThrows(EngineChoice.Refused.class, () -> decide(engine, true, NO_DRIVER));
            assertEquals(EngineChoice.Reason.NO_GPU, r.reason(), String.valueOf(engine));
            assertTrue(r.cudaBuild());
            assertTrue(r.probe().absence().contains("libcuda.so.1"));
        }
    }

    @Test
    void onGpusNd4jSupportsTheCudaBuildDefaultsToTheCudaEngineAndAllowsDl4jOnTheGpu() {
        for (GpuInfo gpu : new GpuInfo[]{A100, RTX4090}) {
            EngineChoice auto = decide(null, true, found(gpu));
            assertEquals(EngineKind.CUDA, auto.engine(), gpu.name());
            assertFalse(auto.nd4jOnGpu(), "ND4J only holds the model, on the CPU");
            EngineChoice dl4j = decide("dl4j", true, found(gpu));
            assertEquals(EngineKind.DL4J, dl4j.engine());
            assertTrue(dl4j.nd4jOnGpu(), "stock DL4J trains on the GPU");
            EngineChoice kernel = decide("kernel", true, found(gpu));
            assertEquals(EngineKind.KERNEL, kernel.engine());
            assertFalse(kernel.nd4jOnGpu());
        }
    }

    @Test
    void onHopperAndBlackwellDl4jIsRefusedAndTheDefaultStillTrainsOnTheGpu() {
        for (GpuInfo gpu : new GpuInfo[]{H200, B200}) {
            EngineChoice auto = decide(null, true, found(gpu));
            assertEquals(EngineKind.CUDA, auto.engine());
            assertFalse(auto.nd4jOnGpu(), "ND4J must stay on its CPU backend: its kernels cannot run here");
            EngineChoice.Refused r = assertThrows(EngineChoice.Refused.class, () -> decide("dl4j", true, found(gpu)));
            assertEquals(EngineChoice.Reason.DL4J_UNSUPPORTED_GPU, r.reason());
            assertEquals(EngineKind.DL4J, r.engine());
            assertEquals(EngineKind.KERNEL, decide("kernel", true, found(gpu)).engine());
        }
    }

    @Test
    void anOldDriverIsRefusedForTheEnginesThatNeedANewerOne() {
        assertEquals(EngineChoice.Reason.DRIVER_TOO_OLD, refusal(null, true, found(OLD_DRIVER)));
        GpuInfo cuda10 = new GpuInfo("Tesla V100", 7, 0, 10_020, 80, 16_000_000_000L, 98_304);
        assertEquals(EngineChoice.Reason.DRIVER_TOO_OLD, refusal("dl4j", true, found(cuda10)));
        assertTrue(decide("dl4j", true, found(OLD_DRIVER)).nd4jOnGpu(), "CUDA 11.4 is enough for ND4J's 11.6 build");
    }

    @Test
    void theRecordedEngineIsUsedUnlessAnotherIsAskedFor() {
        assertEquals(EngineKind.DL4J, EngineChoice.decide(null, Optional.of(EngineKind.DL4J), false, NEVER).engine());
        assertEquals(EngineKind.KERNEL,
                EngineChoice.decide("auto", Optional.of(EngineKind.DL4J), false, NEVER).engine());
        assertEquals(EngineKind.CUDA,
                EngineChoice.decide(null, Optional.of(EngineKind.CUDA), false, found(H200)).engine());
    }

    @Test
    void nd4jsKernelsCoverKeplerToAda() {
        assertTrue(EngineChoice.nd4jRunsOn(K80));
        assertTrue(EngineChoice.nd4jRunsOn(RTX4090));
        assertFalse(EngineChoice.nd4jRunsOn(H200));
        assertFalse(EngineChoice.nd4jRunsOn(B200));
        assertFalse(EngineChoice.nd4jRunsOn(new GpuInfo("Tesla K20", 3, 5, 11_000, 13, 5_000_000_000L, 49_152)));
    }
}
