package mnistxent.engine.cuda;

import java.util.Optional;

/** Asks the NVIDIA driver for the GPU, without starting anything else (ND4J in particular). */
public final class GpuProbe {

    /** What the driver said: a GPU, or why there is none (one line). */
    public record Result(Optional<GpuInfo> gpu, String absence) {
        public static Result found(GpuInfo gpu) {
            return new Result(Optional.of(gpu), "");
        }

        public static Result none(String why) {
            return new Result(Optional.empty(), why);
        }
    }

    private GpuProbe() {
    }

    /** GPU 0 as the driver describes it, or why there is none: no driver, no device, a driver that fails. */
    public static Result probe() {
        try {
            CudaDriver cuda = CudaDriver.get();
            if (cuda.deviceCount() == 0) {
                return Result.none("the driver (for CUDA " + GpuInfo.cudaVersion(cuda.driverVersion()) + ") sees no GPU");
            }
            return Result.found(read(cuda, cuda.device(0)));
        } catch (CudaException e) {
            return Result.none(e.getMessage());
        }
    }

    /** What the driver says of {@code device}. */
    static GpuInfo read(CudaDriver cuda, int device) {
        return new GpuInfo(cuda.deviceName(device), cuda.attribute(device, CudaDriver.ATTR_COMPUTE_CAPABILITY_MAJOR),
                cuda.attribute(device, CudaDriver.ATTR_COMPUTE_CAPABILITY_MINOR), cuda.driverVersion(),
                cuda.attribute(device, CudaDriver.ATTR_MULTIPROCESSOR_COUNT), cuda.totalMemory(device),
                cuda.attribute(device, CudaDriver.ATTR_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN));
    }
}
