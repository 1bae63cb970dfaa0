package mnistxent.engine;

import mnistxent.OneLine;
import mnistxent.UserError;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The ND4J backend this process runs on, chosen at build time by the Maven profile (default: CPU,
 * {@code -Pcuda}: CUDA). {@link #detect()} initialises ND4J and describes it in one line.
 */
public record Backend(String name, boolean gpu, String devices, String blas, String threads) {

    private static final Logger log = LoggerFactory.getLogger(Backend.class);

    /** ND4J's backend did not start: on CUDA, no usable GPU or driver; on the CPU, no native library. */
    public static final class Unavailable extends UserError {
        private final boolean cuda;

        Unavailable(boolean cuda, String reason) {
            super((cuda ? "the CUDA backend (-Pcuda) found no usable NVIDIA GPU/driver ("
                    : "ND4J's native CPU backend failed to load (") + reason + ")");
            this.cuda = cuda;
        }

        /** Whether the build's backend is ND4J's CUDA one. */
        public boolean cuda() {
            return cuda;
        }
    }

    /**
     * Initialises ND4J. With the CUDA backend on a machine without a usable GPU or driver ND4J fails
     * deep inside its static initialisers; that becomes one {@link Unavailable}.
     */
    public static Backend detect() {
        Properties env;
        String backendClass;
        // ND4J prints stack traces of failed backends to stderr itself: hold its stderr output back
        // until we know whether it matters (it goes to the log at DEBUG either way).
        PrintStream stderr = System.err;
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(held, true, StandardCharsets.UTF_8));
            backendClass = Nd4j.getBackend().getClass().getSimpleName();
            env = Nd4j.getExecutioner().getEnvironmentInformation();
        } catch (Throwable t) {   // ExceptionInInitializerError, UnsatisfiedLinkError, RuntimeException...
            System.setErr(stderr);
            log.debug("ND4J start-up output:\n{}", held.toString(StandardCharsets.UTF_8));
            boolean cuda = onCudaClasspath();
            String reason = specificReason(held.toString(StandardCharsets.UTF_8), t);
            throw new Unavailable(cuda, reason);
        } finally {
            System.setErr(stderr);
        }
        if (held.size() > 0) {
            log.debug("ND4J start-up output:\n{}", held.toString(StandardCharsets.UTF_8));
        }
        boolean gpu = backendClass.toLowerCase().contains("cublas") || "CUDA".equalsIgnoreCase(
                String.valueOf(env.get("backend")));
        String devices;
        if (gpu) {
            Object info = env.get("cuda.devicesInformation");
            devices = info instanceof List<?> list ? list.stream().map(d -> d instanceof Map<?, ?> m
                    ? String.valueOf(m.get("cuda.deviceName")) : String.valueOf(d))
                    .collect(Collectors.joining(", ")) : String.valueOf(env.get("cuda.availableDevices"));
            devices = env.getOrDefault("cuda.availableDevices", "?") + " GPU(s): " + devices;
        } else {
            devices = env.getOrDefault("cores", Runtime.getRuntime().availableProcessors()) + " CPU cores";
        }
        String blas = String.valueOf(env.getOrDefault("blas.vendor", gpu ? "cuBLAS" : "?"));
        String threads = "omp=" + env.getOrDefault("omp.threads", "?") + " blas="
                + env.getOrDefault("blas.threads", "?");
        return new Backend(gpu ? "CUDA (nd4j-cuda-11.6)" : "CPU (nd4j-native)", gpu, devices, blas, threads);
    }

    /** One log line: backend, devices, BLAS, thread counts. */
    public String describe() {
        return "backend: " + name + "; devices: " + devices + "; BLAS: " + blas + "; threads: " + threads;
    }

    private static boolean onCudaClasspath() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, Backend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The most telling line: a native library that failed to load, else the root cause's message. */
    private static String specificReason(String heldOutput, Throwable t) {
        for (String line : heldOutput.split("\n")) {
            int at = line.indexOf("UnsatisfiedLinkError: ");
            if (at >= 0) {
                String detail = line.substring(at + "UnsatisfiedLinkError: ".length()).trim();
                int colon = detail.indexOf(": ");     // drop the path of the JNI library that needed it
                return OneLine.of(colon >= 0 ? detail.substring(colon + 2) : detail);   // "libcuda.so.1: cannot open..."
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnsatisfiedLinkError) {
                return OneLine.of(c.getMessage());
            }
        }
        return OneLine.rootCause(t);
    }
}
