package mnistxent.engine.cuda;

/**
 * A CUDA driver call failed, or the driver cannot be loaded at all. {@link #code()} is the driver's
 * {@code CUresult} (0 when the library itself is missing), the message names the call and the driver's
 * own name and text of the error.
 */
public final class CudaException extends RuntimeException {

    /** {@code CUDA_ERROR_NO_DEVICE}: the driver is there but sees no GPU. */
    public static final int NO_DEVICE = 100;
    /** {@code CUDA_ERROR_INSUFFICIENT_DRIVER}: the driver is older than the runtime or PTX asks for. */
    public static final int INSUFFICIENT_DRIVER = 35;
    /** {@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION}: the driver's JIT cannot read this PTX ISA. */
    public static final int UNSUPPORTED_PTX_VERSION = 222;

    private final int code;

    public CudaException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
