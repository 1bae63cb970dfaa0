package mnistxent.train;

import mnistxent.UserError;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The ND4J backend this process runs on, chosen at build time by the Maven profile (default: CPU,
 * {@code -Pcuda}: CUDA). {@link #detect()} initialises ND4J and describes it in one line.
 */
public record Backend(String name, boolean gpu, String devices, String blas, String threads) {

    /** The command that runs the same job on the CPU backend. */
    public static final String CPU_COMMAND = "mvn exec:java";

    /**
     * Initialises ND4J. With the CUDA backend on a machine without a usable GPU or driver ND4J fails
     * deep inside its static initialisers; that becomes one {@link UserError} naming the CPU command.
     */
    public static Backend detect() {
        Properties env;
        String backendClass;
        try {
            backendClass = Nd4j.getBackend().getClass().getSimpleName();
            env = Nd4j.getExecutioner().getEnvironmentInformation();
        } catch (Throwable t) {   // ExceptionInInitializerError, UnsatisfiedLinkError, RuntimeException...
            boolean cuda = onCudaClasspath();
            String reason = rootMessage(t);
            if (cuda) {
                throw new UserError("the CUDA backend (-Pcuda) found no usable NVIDIA GPU/driver (" + reason
                        + "); run on the CPU instead: " + CPU_COMMAND);
            }
            throw new UserError("ND4J's native CPU backend failed to load (" + reason
                    + "); this build needs Linux x86_64 (try: mvn -U clean package)");
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

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        msg = msg.replaceAll("\\s+", " ").trim();
        return msg.length() > 160 ? msg.substring(0, 157) + "..." : msg;
    }
}
