package mnistxent.engine.cuda;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.nio.charset.StandardCharsets;

/**
 * The CUDA driver API ({@code libcuda.so.1}, installed with every NVIDIA driver), the few calls the CUDA
 * engine needs, bound with JNA.
 *
 * <p>Why JNA: it is already on the runtime classpath (DL4J's hardware probe, oshi, brings it), it needs
 * no native code of ours and no compiler on the user's machine, and its per-call cost (a few
 * microseconds) is paid a few times per epoch, not per step: one launch runs a whole epoch. JavaCPP's CUDA
 * presets would bring the 3 GB redistributable or a matching toolkit; Java 17's foreign-function API is
 * still incubating (and changed in every release since); JNI would need a library built per platform.
 *
 * <p>Why the driver API and PTX rather than the runtime API: the driver JIT-compiles PTX for whatever GPU
 * it finds, so one build runs on every GPU from Maxwell to Blackwell, and nothing beyond the driver is
 * needed (README, Running on a GPU).
 */
public final class CudaDriver {

    /** Device attributes ({@code CUdevice_attribute}). */
    static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    static final int ATTR_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int ATTR_COMPUTE_CAPABILITY_MINOR = 76;
    static final int ATTR_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97;
    /** {@code CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES}. */
    static final int FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
    static final int FUNC_NUM_REGS = 4;
    static final int FUNC_LOCAL_SIZE_BYTES = 3;
    /** {@code CUjit_option}s for the JIT's logs. */
    private static final int JIT_INFO_LOG_BUFFER = 3;
    private static final int JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    private static final int JIT_ERROR_LOG_BUFFER = 5;
    private static final int JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    private static final int JIT_LOG_BUFFER_BYTES = 16 * 1024;

    /** The library's name on Linux: the driver installs {@code libcuda.so.1} (the unversioned name only comes with the toolkit). */
    public static final String LIBRARY = "libcuda.so.1";

    /** The C functions, as JNA binds them. {@code CUresult} is an int, {@code CUdeviceptr} a 64-bit integer. */
    interface Api extends Library {
        int cuInit(int flags);

        int cuDriverGetVersion(IntByReference version);

        int cuDeviceGetCount(IntByReference count);

        int cuDeviceGet(IntByReference device, int ordinal);

        int cuDeviceGetName(byte[] name, int length, int device);

        int cuDeviceGetAttribute(IntByReference value, int attribute, int device);

        int cuDeviceTotalMem_v2(LongByReference bytes, int device);

        int cuDevicePrimaryCtxRetain(PointerByReference context, int device);

        int cuDevicePrimaryCtxRelease_v2(int device);

        int cuCtxSetCurrent(Pointer context);

        int cuCtxSynchronize();

        int cuModuleLoadDataEx(PointerByReference module, byte[] image, int options, int[] optionKeys,
                               Pointer optionValues);

        int cuModuleGetFunction(PointerByReference function, Pointer module, String name);

        int cuModuleUnload(Pointer module);

        int cuFuncSetAttribute(Pointer function, int attribute, int value);

        int cuFuncGetAttribute(IntByReference value, int attribute, Pointer function);

        int cuMemAlloc_v2(LongByReference pointer, long bytes);

        int cuMemFree_v2(long pointer);

        int cuMemcpyHtoD_v2(long destination, float[] source, long bytes);

        int cuMemcpyHtoD_v2(long destination, int[] source, long bytes);

        int cuMemcpyHtoD_v2(long destination, byte[] source, long bytes);

        int cuMemcpyDtoH_v2(float[] destination, long source, long bytes);

        int cuMemcpyDtoH_v2(int[] destination, long source, long bytes);

        int cuMemsetD32_v2(long destination, int value, long count);

        int cuLaunchKernel(Pointer function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                           int sharedBytes, Pointer stream, Pointer parameters, Pointer extra);

        int cuGetErrorName(int error, PointerByReference name);

        int cuGetErrorString(int error, PointerByReference text);
    }

    private static CudaDriver instance;
    private static CudaException loadFailure;

    private final Api api;

    private CudaDriver(Api api) {
        this.api = api;
    }

    /**
     * The driver, loaded and initialised once per process.
     *
     * @throws CudaException when {@value #LIBRARY} cannot be loaded (no NVIDIA driver) or {@code cuInit} fails
     *                       (no GPU, a driver that does not match its kernel module, ...)
     */
    public static synchronized CudaDriver get() {
        if (instance != null) {
            return instance;
        }
        if (loadFailure != null) {
            throw loadFailure;
        }
        try {
            Api api = Native.loadLibrary(LIBRARY, Api.class);
            CudaDriver driver = new CudaDriver(api);
            driver.check(api.cuInit(0), "cuInit");
            instance = driver;
            return driver;
        } catch (UnsatisfiedLinkError e) {
            // JNA lists every path it tried; the telling part is that the library is not there at all
            String m = String.valueOf(e.getMessage());
            int at = m.indexOf(LIBRARY + ": ");
            loadFailure = new CudaException(0, at >= 0 ? firstLine(m.substring(at))
                    : LIBRARY + " not found (no NVIDIA driver is installed)");
        } catch (CudaException e) {
            loadFailure = e;
        }
        throw loadFailure;
    }

    /** The CUDA version the driver supports, as {@code 1000 * major + 10 * minor} (e.g. 13000, 11060). */
    public int driverVersion() {
        IntByReference v = new IntByReference();
        check(api.cuDriverGetVersion(v), "cuDriverGetVersion");
        return v.getValue();
    }

    public int deviceCount() {
        IntByReference n = new IntByReference();
        check(api.cuDeviceGetCount(n), "cuDeviceGetCount");
        return n.getValue();
    }

    public int device(int ordinal) {
        IntByReference d = new IntByReference();
        check(api.cuDeviceGet(d, ordinal), "cuDeviceGet");
        return d.getValue();
    }

    public String deviceName(int device) {
        byte[] name = new byte[256];
        check(api.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, StandardCharsets.UTF_8);
    }

    public int attribute(int device, int attribute) {
        IntByReference v = new IntByReference();
        check(api.cuDeviceGetAttribute(v, attribute, device), "cuDeviceGetAttribute");
        return v.getValue();
    }

    public long totalMemory(int device) {
        LongByReference v = new LongByReference();
        check(api.cuDeviceTotalMem_v2(v, device), "cuDeviceTotalMem");
        return v.getValue();
    }

    /** The device's primary context (shared with any other user in this process, e.g. ND4J). */
    public Pointer retainPrimaryContext(int device) {
        PointerByReference ctx = new PointerByReference();
        check(api.cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain");
        return ctx.getValue();
    }

    public void releasePrimaryContext(int device) {
        check(api.cuDevicePrimaryCtxRelease_v2(device), "cuDevicePrimaryCtxRelease");
    }

    /** Makes {@code context} the calling thread's (CUDA contexts are current per thread). */
    public void setCurrent(Pointer context) {
        check(api.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** Waits for the launches in flight; their errors surface here. */
    public void synchronize() {
        check(api.cuCtxSynchronize(), "cuCtxSynchronize (a kernel failed)");
    }

    /** JIT-compiles {@code ptx} for the current context's GPU; a failure quotes the JIT's own log. */
    public Pointer loadModule(String ptx) {
        byte[] image = (ptx + "\0").getBytes(StandardCharsets.US_ASCII);
        Memory errorLog = new Memory(JIT_LOG_BUFFER_BYTES);
        Memory infoLog = new Memory(JIT_LOG_BUFFER_BYTES);
        errorLog.setByte(0, (byte) 0);
        infoLog.setByte(0, (byte) 0);
        int[] keys = {JIT_ERROR_LOG_BUFFER, JIT_ERROR_LOG_BUFFER_SIZE_BYTES, JIT_INFO_LOG_BUFFER,
                JIT_INFO_LOG_BUFFER_SIZE_BYTES};
        Memory values = new Memory((long) keys.length * Native.POINTER_SIZE);
        values.setPointer(0, errorLog);
        values.setLong(Native.POINTER_SIZE, JIT_LOG_BUFFER_BYTES);      // a size passed in the pointer slot
        values.setPointer(2L * Native.POINTER_SIZE, infoLog);
        values.setLong(3L * Native.POINTER_SIZE, JIT_LOG_BUFFER_BYTES);
        PointerByReference module = new PointerByReference();
        int result = api.cuModuleLoadDataEx(module, image, keys.length, keys, values);
        if (result != 0) {
            String log = errorLog.getString(0).trim();
            throw new CudaException(result, "cuModuleLoadDataEx failed: " + describe(result)
                    + (log.isEmpty() ? "" : "; JIT log: " + firstLine(log)));
        }
        return module.getValue();
    }

    public Pointer function(Pointer module, String name) {
        PointerByReference f = new PointerByReference();
        check(api.cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
        return f.getValue();
    }

    public void unloadModule(Pointer module) {
        check(api.cuModuleUnload(module), "cuModuleUnload");
    }

    public void setFunctionAttribute(Pointer function, int attribute, int value) {
        check(api.cuFuncSetAttribute(function, attribute, value), "cuFuncSetAttribute");
    }

    public int functionAttribute(Pointer function, int attribute) {
        IntByReference v = new IntByReference();
        check(api.cuFuncGetAttribute(v, attribute, function), "cuFuncGetAttribute");
        return v.getValue();
    }

    /** Device memory of {@code bytes} (at least 1). */
    public long allocate(long bytes) {
        LongByReference p = new LongByReference();
        check(api.cuMemAlloc_v2(p, Math.max(1, bytes)), "cuMemAlloc(" + bytes + " bytes)");
        return p.getValue();
    }

    public void free(long pointer) {
        check(api.cuMemFree_v2(pointer), "cuMemFree");
    }

    public void copyToDevice(long destination, float[] source, int count) {
        check(api.cuMemcpyHtoD_v2(destination, source, (long) count * Float.BYTES), "cuMemcpyHtoD");
    }

    public void copyToDevice(long destination, int[] source, int count) {
        check(api.cuMemcpyHtoD_v2(destination, source, (long) count * Integer.BYTES), "cuMemcpyHtoD");
    }

    public void copyToDevice(long destination, byte[] source, int count) {
        check(api.cuMemcpyHtoD_v2(destination, source, count), "cuMemcpyHtoD");
    }

    public void copyToHost(float[] destination, long source, int count) {
        check(api.cuMemcpyDtoH_v2(destination, source, (long) count * Float.BYTES), "cuMemcpyDtoH");
    }

    public void copyToHost(int[] destination, long source, int count) {
        check(api.cuMemcpyDtoH_v2(destination, source, (long) count * Integer.BYTES), "cuMemcpyDtoH");
    }

    /** Sets {@code count} 32-bit words at {@code destination} to {@code value}. */
    public void fill(long destination, int value, long count) {
        check(api.cuMemsetD32_v2(destination, value, count), "cuMemsetD32");
    }

    /**
     * Launches {@code function} on the default stream (asynchronously) with {@code arguments}: device
     * pointers as {@code long}, 32-bit values as {@code int}, in the kernel's parameter order.
     */
    public void launch(Pointer function, int gridX, int gridY, int blockX, int sharedBytes, Object... arguments) {
        Memory values = new Memory(Math.max(1, arguments.length) * 8L);
        Memory pointers = new Memory(Math.max(1, arguments.length) * (long) Native.POINTER_SIZE);
        for (int i = 0; i < arguments.length; i++) {
            long at = i * 8L;
            if (arguments[i] instanceof Long l) {
                values.setLong(at, l);
            } else if (arguments[i] instanceof Integer n) {
                values.setInt(at, n);
            } else {
                throw new IllegalArgumentException("kernel argument " + i + " is "
                        + arguments[i].getClass().getSimpleName() + ", not a long pointer or an int");
            }
            pointers.setPointer((long) i * Native.POINTER_SIZE, values.share(at));
        }
        check(api.cuLaunchKernel(function, gridX, gridY, 1, blockX, 1, 1, sharedBytes, null, pointers, null),
                "cuLaunchKernel");
    }

    private void check(int result, String call) {
        if (result != 0) {
            throw new CudaException(result, call + " failed: " + describe(result));
        }
    }

    /** The driver's name and text of an error code: {@code CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)}. */
    private String describe(int result) {
        PointerByReference name = new PointerByReference();
        PointerByReference text = new PointerByReference();
        String n = api.cuGetErrorName(result, name) == 0 && name.getValue() != null ? name.getValue().getString(0)
                : "CUresult " + result;
        String t = api.cuGetErrorString(result, text) == 0 && text.getValue() != null ? text.getValue().getString(0)
                : "";
        return t.isEmpty() ? n : n + " (" + t + ")";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }
}
