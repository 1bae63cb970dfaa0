import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAccess;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static jdk.incubator.foreign.CLinker.C_INT;
import static jdk.incubator.foreign.CLinker.C_POINTER;

/**
 * Compiles {@code mlp.cu} to PTX with NVRTC 11.6 and writes the PTX, or checks that the committed PTX is
 * exactly what the source compiles to. A single-file program, run by the {@code cuda} profile of
 * pom.xml or by hand:
 * <pre>
 *   java --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED -cp CLASSPATH \
 *        src/main/cuda/NvrtcPtx.java check|write src/main/cuda/mlp.cu src/main/cuda/mlp.ptx
 * </pre>
 * CLASSPATH is the {@code -Pcuda} runtime classpath ({@code mvn -Pcuda dependency:build-classpath});
 * the only thing used from it is {@code libnvrtc.so.11.2} (and its builtins library) inside the
 * {@code org.bytedeco:cuda:11.6-8.3-1.5.7:linux-x86_64-redist} jar. NVRTC is called through the JDK's
 * foreign-function API rather than JavaCPP's wrapper because that wrapper's JNI library links
 * {@code libcuda.so.1}, the GPU driver, which a build machine without a GPU does not have; NVRTC
 * itself needs no driver.
 *
 * <p>The options are what makes the kernel's float32 arithmetic equal MlpKernel's (see mlp.cu): no
 * contraction of {@code a*b+c} into an FMA, IEEE division and square root, denormals kept. PTX for
 * compute_50 runs on every GPU from Maxwell on: the driver compiles it for the actual GPU when the
 * module is loaded.
 */
public final class NvrtcPtx {

    /** The NVRTC options; changing them changes the PTX, so the check notices. */
    static final List<String> OPTIONS = List.of(
            "--gpu-architecture=compute_50",
            "-fmad=false",
            "-ftz=false",
            "-prec-div=true",
            "-prec-sqrt=true",
            "-std=c++14");

    static final String REGENERATE = "mvn -B -Pcuda -Dptx=write generate-resources";

    private static final String NATIVES = "org/bytedeco/cuda/linux-x86_64/";
    private static final String BUILTINS = "libnvrtc-builtins.so.11.6";
    private static final String NVRTC = "libnvrtc.so.11.2";

    public static void main(String[] args) throws Throwable {
        if (args.length != 3 || !(args[0].equals("check") || args[0].equals("write"))) {
            System.err.println("usage: java --add-modules jdk.incubator.foreign -cp <-Pcuda classpath> NvrtcPtx.java"
                    + " check|write <mlp.cu> <mlp.ptx>");
            System.exit(2);
        }
        Path source = Path.of(args[1]);
        Path ptxFile = Path.of(args[2]);
        String ptx = compile(Files.readString(source, StandardCharsets.UTF_8), source.getFileName().toString());
        if (args[0].equals("write")) {
            Files.writeString(ptxFile, ptx, StandardCharsets.UTF_8);
            System.out.println("wrote " + ptxFile + " (" + ptx.length() + " characters)");
            return;
        }
        String committed = Files.exists(ptxFile) ? Files.readString(ptxFile, StandardCharsets.UTF_8) : "";
        if (!committed.equals(ptx)) {
            System.err.println("ERROR: " + ptxFile + " is not what " + source + " compiles to; regenerate it with: "
                    + REGENERATE);
            System.exit(1);
        }
        System.out.println(ptxFile + " matches " + source);
    }

    static String compile(String source, String name) throws Throwable {
        Path dir = Files.createTempDirectory("nvrtc");
        try {
            // The builtins first: libnvrtc dlopen()s it by its soname, which then finds the loaded copy.
            System.load(extract(BUILTINS, dir).toString());
            System.load(extract(NVRTC, dir).toString());
            return new Nvrtc().compile(source, name);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path extract(String library, Path dir) throws IOException {
        URL url = ClassLoader.getSystemResource(NATIVES + library);
        if (url == null) {
            throw new IllegalStateException(NATIVES + library + " is not on the classpath: pass the -Pcuda classpath"
                    + " (it comes from org.bytedeco:cuda:11.6-8.3-1.5.7:linux-x86_64-redist)");
        }
        Path target = dir.resolve(library);
        try (InputStream in = url.openStream()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** The few NVRTC entry points used, as method handles. */
    private static final class Nvrtc {
        private static final int SUCCESS = 0;
        private final MethodHandle version;
        private final MethodHandle create;
        private final MethodHandle compileProgram;
        private final MethodHandle logSize;
        private final MethodHandle log;
        private final MethodHandle ptxSize;
        private final MethodHandle ptx;
        private final MethodHandle destroy;
        private final MethodHandle errorString;

        Nvrtc() {
            SymbolLookup lookup = SymbolLookup.loaderLookup();
            version = handle(lookup, "nvrtcVersion", C_INT, C_POINTER, C_POINTER);
            create = handle(lookup, "nvrtcCreateProgram", C_INT, C_POINTER, C_POINTER, C_POINTER, C_INT,
                    C_POINTER, C_POINTER);
            compileProgram = handle(lookup, "nvrtcCompileProgram", C_INT, C_POINTER, C_INT, C_POINTER);
            logSize = handle(lookup, "nvrtcGetProgramLogSize", C_INT, C_POINTER, C_POINTER);
            log = handle(lookup, "nvrtcGetProgramLog", C_INT, C_POINTER, C_POINTER);
            ptxSize = handle(lookup, "nvrtcGetPTXSize", C_INT, C_POINTER, C_POINTER);
            ptx = handle(lookup, "nvrtcGetPTX", C_INT, C_POINTER, C_POINTER);
            destroy = handle(lookup, "nvrtcDestroyProgram", C_INT, C_POINTER);
            errorString = handle(lookup, "nvrtcGetErrorString", C_POINTER, C_INT);
        }

        String compile(String source, String name) throws Throwable {
            try (ResourceScope scope = ResourceScope.newConfinedScope()) {
                MemorySegment major = MemorySegment.allocateNative(C_INT, scope);
                MemorySegment minor = MemorySegment.allocateNative(C_INT, scope);
                check((int) version.invokeExact(major.address(), minor.address()), "nvrtcVersion");
                if (MemoryAccess.getInt(major) != 11 || MemoryAccess.getInt(minor) != 6) {
                    throw new IllegalStateException("NVRTC 11.6 expected, found " + MemoryAccess.getInt(major) + "."
                            + MemoryAccess.getInt(minor));
                }
                MemorySegment programSlot = MemorySegment.allocateNative(C_POINTER, scope);
                check((int) create.invokeExact(programSlot.address(),
                        CLinker.toCString(source, scope).address(), CLinker.toCString(name, scope).address(),
                        0, MemoryAddress.NULL, MemoryAddress.NULL), "nvrtcCreateProgram");
                MemoryAddress program = MemoryAccess.getAddress(programSlot);
                try {
                    MemorySegment options = MemorySegment.allocateNative(8L * OPTIONS.size(), scope);
                    for (int i = 0; i < OPTIONS.size(); i++) {
                        MemoryAccess.setAddressAtIndex(options, i, CLinker.toCString(OPTIONS.get(i), scope).address());
                    }
                    int rc = (int) compileProgram.invokeExact(program, OPTIONS.size(), options.address());
                    String messages = text(program, logSize, log, scope);
                    if (rc != SUCCESS) {
                        throw new IllegalStateException("NVRTC failed to compile " + name + ": " + error(rc) + "\n"
                                + messages);
                    }
                    if (!messages.isBlank()) {
                        // The committed PTX must come from a clean compile: warnings are errors here.
                        throw new IllegalStateException("NVRTC warned about " + name + ":\n" + messages);
                    }
                    return text(program, ptxSize, ptx, scope);
                } finally {
                    MemorySegment slot = MemorySegment.allocateNative(C_POINTER, scope);
                    MemoryAccess.setAddress(slot, program);
                    int ignored = (int) destroy.invokeExact(slot.address());
                }
            }
        }

        /** A NUL-terminated string NVRTC returns through a size query and a copy call. */
        private String text(MemoryAddress program, MethodHandle sizeOf, MethodHandle copy, ResourceScope scope)
                throws Throwable {
            MemorySegment size = MemorySegment.allocateNative(8, scope);
            check((int) sizeOf.invokeExact(program, size.address()), "size query");
            long n = MemoryAccess.getLong(size);
            if (n <= 1) {
                return "";
            }
            MemorySegment buffer = MemorySegment.allocateNative(n, scope);
            check((int) copy.invokeExact(program, buffer.address()), "copy");
            return new String(buffer.asSlice(0, n - 1).toByteArray(), StandardCharsets.UTF_8);
        }

        private void check(int rc, String what) throws Throwable {
            if (rc != SUCCESS) {
                throw new IllegalStateException(what + " failed: " + error(rc));
            }
        }

        private String error(int rc) throws Throwable {
            return CLinker.toJavaString((MemoryAddress) errorString.invokeExact(rc));
        }

        private static MethodHandle handle(SymbolLookup lookup, String symbol, jdk.incubator.foreign.MemoryLayout result,
                                           jdk.incubator.foreign.MemoryLayout... arguments) {
            MemoryAddress address = lookup.lookup(symbol)
                    .orElseThrow(() -> new IllegalStateException(symbol + " not found in " + NVRTC));
            Class<?>[] types = new Class<?>[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                types[i] = carrier(arguments[i]);
            }
            MethodType type = MethodType.methodType(carrier(result), types);
            return CLinker.getInstance().downcallHandle(address, type, FunctionDescriptor.of(result, arguments));
        }

        private static Class<?> carrier(jdk.incubator.foreign.MemoryLayout layout) {
            return layout == C_INT ? int.class : MemoryAddress.class;
        }
    }
}
