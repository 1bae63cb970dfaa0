package mnistxent.engine.cuda;

import java.util.Locale;

/**
 * The GPU the NVIDIA driver reports, read before ND4J starts (the engine choice depends on it).
 *
 * @param name              e.g. {@code NVIDIA H200}
 * @param major             compute capability, major (9 for Hopper)
 * @param minor             compute capability, minor
 * @param driverVersion     the CUDA version the driver supports, {@code 1000 * major + 10 * minor} (13000)
 * @param multiprocessors   streaming multiprocessors
 * @param memoryBytes       device memory
 * @param sharedPerBlock    shared memory a block may use (opted in), bytes
 */
public record GpuInfo(String name, int major, int minor, int driverVersion, int multiprocessors, long memoryBytes,
                      int sharedPerBlock) {

    /** {@code 9.0}. */
    public String capability() {
        return major + "." + minor;
    }

    /** The driver's CUDA version, {@code 13.0}. */
    public static String cudaVersion(int driverVersion) {
        return driverVersion / 1000 + "." + driverVersion % 1000 / 10;
    }

    /** One line for the log. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (compute capability %s, %d SMs, %.0f GB), driver for CUDA %s", name,
                capability(), multiprocessors, memoryBytes / 1e9, cudaVersion(driverVersion));
    }
}
