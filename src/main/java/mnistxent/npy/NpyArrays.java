package mnistxent.npy;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Reads and writes NumPy {@code .npy} files with ND4J's own implementation ({@link Nd4j#createFromNpyFile},
 * {@link Nd4j#writeAsNumpy}); every file is validated by {@link NpyHeader} first, because ND4J's native reader
 * crashes or silently misreads on bad input (see there).
 *
 * <p>Two traps of {@code Nd4j.writeAsNumpy}, measured here: it writes the array's underlying buffer as is and
 * always labels it C order, so a view (a transpose) or an 'f'-ordered array comes out scrambled. Writing
 * therefore always goes through a fresh C-order array made from row-major values.
 */
public final class NpyArrays {

    /** NumPy's dtype string for little-endian float32, what TF's variables are (SPEC §3). */
    public static final String FLOAT32 = "<f4";
    public static final String INT32 = "<i4";
    public static final String INT64 = "<i8";

    private NpyArrays() {
    }

    /** An integer array as read: its shape and its values in row-major order. */
    public record Integers(long[] shape, long[] values) {
        public Integers {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /**
     * Reads a float32 array of exactly {@code expectedShape}, row-major.
     *
     * @param role what the array is, for messages (e.g. "W_2 of the 784-30-10 network")
     */
    public static float[] readFloat32(Path file, long[] expectedShape, String role) {
        NpyHeader header = checkedHeader(file);
        if (!FLOAT32.equals(header.descr())) {
            throw new NpyException(file + " holds " + describe(header.descr()) + " but " + role
                    + " must be float32 ('<f4'); save it with numpy.save(path, array.astype(numpy.float32))");
        }
        if (!Arrays.equals(header.shape(), expectedShape)) {
            throw new NpyException(file + " has shape " + header.shapeText() + " but " + role + " must have shape "
                    + NpyHeader.shapeText(expectedShape) + "; save the array with that shape");
        }
        INDArray array = load(file, header, DataType.FLOAT);
        return array.dup('c').data().asFloat();
    }

    /** Reads an int32 or int64 array of rank {@code rank}, row-major. */
    public static Integers readIntegers(Path file, int rank, String role) {
        NpyHeader header = checkedHeader(file);
        if (!INT32.equals(header.descr()) && !INT64.equals(header.descr())) {
            throw new NpyException(file + " holds " + describe(header.descr()) + " but " + role
                    + " must be int32 ('<i4'; int64 is accepted too); save it with array.astype(numpy.int32)");
        }
        if (header.shape().length != rank) {
            throw new NpyException(file + " has shape " + header.shapeText() + " but " + role + " must have "
                    + rank + " dimensions");
        }
        DataType type = INT32.equals(header.descr()) ? DataType.INT : DataType.LONG;
        INDArray array = load(file, header, type);
        return new Integers(header.shape(), array.dup('c').data().asLong());
    }

    /** Writes {@code values} (row-major) as a float32 array of {@code shape}; atomically (temporary file, rename). */
    public static void writeFloat32(Path file, float[] values, long... shape) {
        write(file, Nd4j.create(values, shape, 'c'), shape, values.length);
    }

    /** Writes {@code values} (row-major) as an int32 array of {@code shape}; atomically. */
    public static void writeInt32(Path file, int[] values, long... shape) {
        write(file, Nd4j.createFromArray(values).reshape('c', shape).dup('c'), shape, values.length);
    }

    private static void write(Path file, INDArray fresh, long[] shape, int length) {
        if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != length) {
            throw new IllegalArgumentException(length + " values for shape " + NpyHeader.shapeText(shape));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                Nd4j.writeAsNumpy(fresh, out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new NpyException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static NpyHeader checkedHeader(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NpyException(Files.isDirectory(file) ? file + " is a directory, not a .npy file"
                    : "no file " + file);
        }
        NpyHeader header = NpyHeader.read(file);
        if (header.fortranOrder()) {
            throw new NpyException(file + " is stored in Fortran (column-major) order, which ND4J's reader "
                    + "does not support; save numpy.ascontiguousarray(array) instead");
        }
        if (header.elementCount() == 0) {
            throw new NpyException(file + " holds an empty array of shape " + header.shapeText());
        }
        return header;
    }

    /** ND4J's reader on a validated file; its result is checked against the header once more. */
    private static INDArray load(Path file, NpyHeader header, DataType expected) {
        INDArray array;
        try {
            array = Nd4j.createFromNpyFile(file.toAbsolutePath().toFile());
        } catch (RuntimeException e) {
            throw new NpyException("ND4J cannot read " + file + " (" + e.getMessage() + "); save it again with numpy.save");
        }
        if (array.dataType() != expected || !Arrays.equals(array.shape(), header.shape())) {
            throw new NpyException("ND4J read " + file + " as " + array.dataType() + " " + Arrays.toString(array.shape())
                    + " although its header says " + header.descr() + " " + header.shapeText()
                    + "; save it again with numpy.save");
        }
        return array;
    }

    private static String describe(String descr) {
        return switch (descr) {
            case "<f8" -> "float64 ('<f8')";
            case "<f2" -> "float16 ('<f2')";
            case "<i8" -> "int64 ('<i8')";
            case "<i4" -> "int32 ('<i4')";
            case "<f4" -> "float32 ('<f4')";
            case "|O" -> "Python objects ('|O')";
            default -> descr.startsWith(">") ? "big-endian data ('" + descr + "')" : "dtype '" + descr + "'";
        };
    }
}
