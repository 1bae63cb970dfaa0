package mnistxent.cli;

import mnistxent.engine.EngineChoice;
import mnistxent.engine.cuda.GpuInfo;
import mnistxent.engine.cuda.GpuProbe;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one line of each refusal of the GPU decision table, naming the GPU, what it lacks and the fix. */
class ErrorLinesTest {

    private static String line(String engine, boolean cudaBuild, GpuProbe.Result probe) {
        EngineChoice.Refused r = assertThrows(EngineChoice.Refused.class,
                () -> EngineChoice.decide(engine, Optional.empty(), cudaBuild, () -> probe));
        return ErrorLines.of(r).orElseThrow();
    }

    @Test
    void eachRefusalIsOneLineWithItsFix() {
        GpuProbe.Result none = GpuProbe.Result.none("libcuda.so.1 not found (no NVIDIA driver is installed)");
        assertEquals("the CUDA build (-Pcuda) found no usable NVIDIA GPU/driver (libcuda.so.1 not found (no NVIDIA "
                + "driver is installed)); run on the CPU instead: mvn exec:java", line(null, true, none));
        assertEquals("the cuda engine found no usable NVIDIA GPU/driver (libcuda.so.1 not found (no NVIDIA driver "
                + "is installed)); train on the CPU instead: --engine kernel", line("cuda", false, none));
        GpuProbe.Result h200 = GpuProbe.Result.found(new GpuInfo("NVIDIA H200", 9, 0, 13_000, 132, 1L << 37, 232_448));
        assertEquals("the dl4j engine cannot run on NVIDIA H200 (compute capability 9.0): ND4J 1.0.0-M2.1's CUDA "
                + "kernels are built for compute capability 3.7-8.9; use --engine cuda (the default with -Pcuda) or "
                + "--engine kernel", line("dl4j", true, h200));
        GpuProbe.Result oldDriver = GpuProbe.Result.found(new GpuInfo("NVIDIA T4", 7, 5, 11_040, 40, 1L << 34, 65_536));
        assertEquals("the NVIDIA driver here supports CUDA 11.4; the cuda engine's PTX needs CUDA 11.6 or later "
                + "(driver 510+): update the NVIDIA driver, or train on the CPU with --engine kernel",
                line("cuda", false, oldDriver));
        GpuProbe.Result k80 = GpuProbe.Result.found(new GpuInfo("Tesla K80", 3, 7, 11_040, 13, 1L << 34, 49_152));
        assertEquals("Tesla K80 has compute capability 3.7; the cuda engine needs 5.0 or higher: use --engine kernel "
                + "or --engine dl4j", line("cuda", false, k80));
    }

    @Test
    void onThisMachineWithoutADriverTheCudaEngineIsOneLine() {
        // CI and the development machine have no NVIDIA driver: the real probe, through the real CLI
        Cli r = Cli.run("train", "--engine", "cuda", "--epochs", "1");
        assertEquals(1, r.code());
        assertEquals("error: the cuda engine found no usable NVIDIA GPU/driver (libcuda.so.1 not found (no NVIDIA "
                + "driver is installed)); train on the CPU instead: --engine kernel\n", r.err());
    }
}
