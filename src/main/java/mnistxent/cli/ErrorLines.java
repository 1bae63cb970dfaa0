package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.data.DataException;
import mnistxent.engine.Backend;
import mnistxent.engine.EngineChoice;
import mnistxent.engine.EngineKind;
import mnistxent.engine.cuda.CudaException;
import mnistxent.engine.cuda.GpuInfo;
import mnistxent.engine.cuda.UnsupportedConfigException;
import mnistxent.run.RunLock;
import mnistxent.train.Trainer;

import java.util.Optional;

/**
 * The one line the CLI prints for a problem the layers below report as a typed fact: the fact as they word
 * it, and the fix worded as a command or an option (domain code names none of those).
 */
final class ErrorLines {

    private ErrorLines() {
    }

    /** The line for {@code ex} (or a cause of it), or empty when it is not a known problem (then it is a bug). */
    static Optional<String> of(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<String> line = line(t);
            if (line.isPresent()) {
                return line;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> line(Throwable t) {
        if (t instanceof DataException d) {
            return Optional.of(d.getMessage() + DataRepair.hint(d));
        }
        if (t instanceof Backend.Unavailable b) {
            return Optional.of(b.getMessage() + (b.cuda() ? "; " + runOnCpu()
                    : "; this build needs Linux x86_64 (try: mvn -U clean package)"));
        }
        if (t instanceof RunLock.Busy busy) {
            return Optional.of(busy.getMessage() + "; " + (busy.owner().isPresent()
                    && busy.owner().getAsLong() != ProcessHandle.current().pid()
                    ? "wait for it to finish, or stop it (kill " + busy.owner().getAsLong()
                            + " writes a checkpoint) and resume then"
                    : "wait for the other run to finish"));
        }
        if (t instanceof Trainer.NotFinite n) {
            return Optional.of(n.getMessage() + "; " + (n.step() == 1
                    ? "the start is already unusable: check the initial parameters and the config's init"
                    : "training diverged: lower updater.learning-rate, or start from other parameters"));
        }
        if (t instanceof EngineChoice.Refused r) {
            return Optional.of(refused(r));
        }
        if (t instanceof UnsupportedConfigException u) {
            return Optional.of(u.getMessage() + "; train it with --engine kernel");
        }
        if (t instanceof CudaException c) {
            return Optional.of("the GPU failed: " + c.getMessage() + "; train on the CPU with --engine kernel");
        }
        if (t instanceof UserError) {
            return Optional.of(t.getMessage());
        }
        return Optional.empty();
    }

    /** How to run on the CPU when the CUDA build (-Pcuda) has no GPU: the same command, built without -Pcuda. */
    private static String runOnCpu() {
        return CommandHints.launcher() ? "run on the CPU instead: build the launcher without -Pcuda (mvn package)"
                : "run on the CPU instead: mvn exec:java";
    }

    /** Longest error line printed whole. */
    static final int MAX_LINE = 2_000;
    /** Longest run of non-blank characters (a value, a path) quoted whole. */
    static final int MAX_WORD = 300;

    /** {@code text} on one line: every run of whitespace as one space. */
    static String flat(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    /**
     * {@code line} short enough to read: an error quotes what it was given (a config value, an argument, a
     * path), which may be megabytes. A word longer than {@value #MAX_WORD} characters keeps its two ends, and a
     * line still longer than {@value #MAX_LINE} keeps its start and its end, where the fix is.
     */
    static String capped(String line) {
        StringBuilder b = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\S{" + (MAX_WORD + 1) + ",}").matcher(line);
        int at = 0;
        while (m.find()) {
            b.append(line, at, m.start()).append(shortened(m.group(), MAX_WORD));
            at = m.end();
        }
        b.append(line, at, line.length());
        return shortened(b.toString(), MAX_LINE);
    }

    private static String shortened(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int keep = max / 2 - 20;
        return s.substring(0, keep) + "...(" + (s.length() - 2 * keep) + " characters left out)..."
                + s.substring(s.length() - keep);
    }

    /** The decision table's refusals (README, Running on a GPU). */
    static String refused(EngineChoice.Refused r) {
        GpuInfo gpu = r.probe().gpu().orElse(null);
        return switch (r.reason()) {
            case NO_GPU -> r.cudaBuild()
                    ? "the CUDA build (-Pcuda) found no usable NVIDIA GPU/driver (" + r.probe().absence()
                            + "); " + runOnCpu()
                    : "the cuda engine found no usable NVIDIA GPU/driver (" + r.probe().absence()
                            + "); train on the CPU instead: --engine kernel";
            case DRIVER_TOO_OLD -> "the NVIDIA driver here supports CUDA " + GpuInfo.cudaVersion(gpu.driverVersion())
                    + (r.engine() == EngineKind.CUDA
                    ? "; the cuda engine's PTX needs CUDA " + GpuInfo.cudaVersion(EngineChoice.CUDA_ENGINE_MIN_DRIVER)
                            + " or later (driver 510+)"
                    : "; the dl4j engine (ND4J for CUDA 11.6) needs CUDA "
                            + GpuInfo.cudaVersion(EngineChoice.ND4J_MIN_DRIVER) + " or later")
                    + ": update the NVIDIA driver, or train on the CPU with --engine kernel";
            case GPU_TOO_OLD -> gpu.name() + " has compute capability " + gpu.capability() + "; the cuda engine "
                    + "needs " + EngineChoice.CUDA_ENGINE_MIN_MAJOR + ".0 or higher: use --engine kernel"
                    + (EngineChoice.nd4jRunsOn(gpu) ? " or --engine dl4j" : "");
            case DL4J_UNSUPPORTED_GPU -> "the dl4j engine cannot run on " + gpu.name() + " (compute capability "
                    + gpu.capability() + "): ND4J 1.0.0-M2.1's CUDA kernels are built for compute capability "
                    + "3.7-8.9; use --engine cuda (the default with -Pcuda) or --engine kernel";
        };
    }
}
