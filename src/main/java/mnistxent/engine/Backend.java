package mnistxent.engine;

import mnistxent.OneLine;
import mnistxent.UserError;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The ND4J backend this process runs on. The default build holds only ND4J's CPU backend; the {@code -Pcuda}
 * build holds its CUDA backend too, which ND4J would prefer whenever a GPU is visible, also one its kernels
 * cannot run on. So the choice is made here, before ND4J starts ({@link #start}): the CUDA backend only when
 * the dl4j engine trains on a GPU ND4J supports ({@link EngineChoice}), the CPU backend otherwise (ND4J then
 * only holds the model).
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

    /** The service file through which ND4J finds its backends. */
    private static final String BACKEND_SERVICE = "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend";
    private static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    /**
     * Starts ND4J on the CPU backend: what every command needs that does not train with the dl4j engine on
     * a GPU. With the CUDA backend on a machine without a usable GPU or driver ND4J fails deep inside its
     * static initialisers; that becomes one {@link Unavailable}.
     */
    public static Backend detect() {
        return start(false);
    }

    /**
     * Starts ND4J: on its CUDA backend when {@code gpu} (and the build has it), else on its CPU backend,
     * which is then the only one ND4J can see. Must run before anything else touches ND4J.
     */
    public static synchronized Backend start(boolean gpu) {
        if (started == null) {
            if (!gpu && cudaOnClasspath()) {
                hideCudaBackend();
            }
            started = initialise();
        }
        return started;
    }

    /** ND4J starts once per process; later calls get the backend it started on. */
    private static Backend started;

    /** The backend ND4J started on in this process; empty while it has not started (it may never). */
    public static synchronized Optional<Backend> ifStarted() {
        return Optional.ofNullable(started);
    }

    /**
     * ND4J picks the available backend of highest priority among those its {@code ServiceLoader} finds
     * (environment variables set the priorities, which only a new process could change). Its class loader
     * is settable, so a loader that leaves out the CUDA backend's service entry makes the CPU backend the
     * only candidate.
     */
    private static void hideCudaBackend() {
        ClassLoader current = ND4JClassLoading.getNd4jClassloader();
        ND4JClassLoading.setNd4jClassloader(new ClassLoader(current) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                Enumeration<URL> all = getParent().getResources(name);
                if (!BACKEND_SERVICE.equals(name)) {
                    return all;
                }
                List<URL> kept = new ArrayList<>();
                for (URL url : Collections.list(all)) {
                    try (InputStream in = url.openStream()) {
                        if (!new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(CUDA_BACKEND_CLASS)) {
                            kept.add(url);
                        }
                    }
                }
                return Collections.enumeration(kept);
            }
        });
        log.debug("ND4J's CUDA backend is hidden: ND4J runs on the CPU and only holds the model");
    }

    /** A stream that sends what the calling thread writes to {@code held}, and any other thread's to {@code rest}. */
    static OutputStream heldOnThisThread(ByteArrayOutputStream held, PrintStream rest) {
        Thread holder = Thread.currentThread();
        return new OutputStream() {
            private OutputStream target() {
                return Thread.currentThread() == holder ? held : rest;
            }

            @Override
            public void write(int b) throws IOException {
                target().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                target().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                target().flush();
            }
        };
    }

    private static Backend initialise() {
        Properties env;
        String backendClass;
        // ND4J prints stack traces of failed backends to stderr itself: hold its stderr output back
        // until we know whether it matters (it goes to the log at DEBUG either way). Only this thread's:
        // ND4J may start while another thread trains and logs (README, Performance, "Start-up").
        PrintStream stderr = System.err;
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(heldOnThisThread(held, stderr), true, StandardCharsets.UTF_8));
            backendClass = Nd4j.getBackend().getClass().getSimpleName();
            env = Nd4j.getExecutioner().getEnvironmentInformation();
        } catch (Throwable t) {   // ExceptionInInitializerError, UnsatisfiedLinkError, RuntimeException...
            System.setErr(stderr);
            log.debug("ND4J start-up output:\n{}", held.toString(StandardCharsets.UTF_8));
            boolean cuda = cudaOnClasspath();
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

    /** Whether ND4J's CUDA backend is in this build ({@code -Pcuda}); it is not started by asking. */
    public static boolean cudaOnClasspath() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, Backend.class.getClassLoader());
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
