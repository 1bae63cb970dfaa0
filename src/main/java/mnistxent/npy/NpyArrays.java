package mnistxent.npy;

import mnistxent.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes NumPy {@code .npy} files (format 1.0, little-endian, C order) in plain Java: the seed's
 * parameters as float32, batch indices as int32 (int64 read too). Every file is validated by
 * {@link NpyHeader} first: the dtype, the order, the shape, and a size of exactly header plus data, so a
 * bad file is one clear error, never a silent misread.
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
        ByteBuffer data = data(file, header);
        float[] out = new float[(int) header.elementCount()];
        data.asFloatBuffer().get(out);
        return out;
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
        ByteBuffer data = data(file, header);
        long[] values = new long[(int) header.elementCount()];
        if (INT32.equals(header.descr())) {
            for (int i = 0; i < values.length; i++) {
                values[i] = data.getInt();
            }
        } else {
            data.asLongBuffer().get(values);
        }
        return new Integers(header.shape(), values);
    }

    /** Writes {@code values} (row-major) as a float32 array of {@code shape}; atomically. */
    public static void writeFloat32(Path file, float[] values, long... shape) {
        ByteBuffer data = buffer(values.length, Float.BYTES, shape);
        data.asFloatBuffer().put(values);
        write(file, FLOAT32, shape, data);
    }

    /** Writes {@code values} (row-major) as an int32 array of {@code shape}; atomically. */
    public static void writeInt32(Path file, int[] values, long... shape) {
        ByteBuffer data = buffer(values.length, Integer.BYTES, shape);
        data.asIntBuffer().put(values);
        write(file, INT32, shape, data);
    }

    private static ByteBuffer buffer(int length, int itemSize, long[] shape) {
        if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != length) {
            throw new IllegalArgumentException(length + " values for shape " + NpyHeader.shapeText(shape));
        }
        return ByteBuffer.allocate(length * itemSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void write(Path file, String descr, long[] shape, ByteBuffer data) {
        try {
            AtomicFiles.write(file, out -> {
                out.write(NpyHeader.encode(descr, shape));
                out.write(data.array());
            });
        } catch (IOException e) {
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
            throw new NpyException(file + " is stored in Fortran (column-major) order; save "
                    + "numpy.ascontiguousarray(array) instead");
        }
        if (header.elementCount() == 0) {
            throw new NpyException(file + " holds an empty array of shape " + header.shapeText());
        }
        return header;
    }

    /** The data of a validated file, little-endian, positioned at its first element. */
    private static ByteBuffer data(Path file, NpyHeader header) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return ByteBuffer.wrap(bytes, header.dataOffset(), bytes.length - header.dataOffset()).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new NpyException("cannot read " + file + ": " + e.getMessage());
        }
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
