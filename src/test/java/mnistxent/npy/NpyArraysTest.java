package mnistxent.npy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static mnistxent.npy.NpyTestFiles.dict;
import static mnistxent.npy.NpyTestFiles.floats;
import static mnistxent.npy.NpyTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * NumPy files: what is written is what NumPy expects (checked on the bytes, and by NumPy itself where it is
 * installed), and every bad file becomes one {@link NpyException} instead of a silently wrong read.
 */
class NpyArraysTest {

    @TempDir
    Path tmp;

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25f - 7f;
        }
        return v;
    }

    @Test
    void writtenFilesHaveNumpysLayoutAndReadBack() throws Exception {
        float[] w = ramp(784 * 30);
        Path wFile = tmp.resolve("W_2.npy");
        NpyArrays.writeFloat32(wFile, w, 784, 30);
        Path bFile = tmp.resolve("b_2.npy");
        NpyArrays.writeFloat32(bFile, ramp(30), 30);

        byte[] raw = Files.readAllBytes(wFile);
        assertEquals(0x93, raw[0] & 0xFF);
        assertEquals("NUMPY", new String(raw, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, raw[6]);
        assertEquals(0, raw[7]);
        int headerLength = (raw[8] & 0xFF) | (raw[9] & 0xFF) << 8;
        String header = new String(raw, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'"), header);
        assertTrue(header.contains("'fortran_order': False"), header);
        assertTrue(header.contains("'shape': (784, 30)"), header);
        assertTrue(header.endsWith("\n"), header);
        assertEquals(0, (10 + headerLength) % 16, "NumPy aligns the data");
        assertEquals(10 + headerLength + 784 * 30 * 4, raw.length);
        float[] data = new float[784 * 30];
        ByteBuffer.wrap(raw, 10 + headerLength, data.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        assertArrayEquals(w, data, "little-endian, row-major: W[i][j] at i*30+j");

        String bHeader = new String(Files.readAllBytes(bFile), 10, 118, StandardCharsets.US_ASCII);
        assertTrue(bHeader.contains("'shape': (30,)"), "rank 1, like tf.Variable([30]): " + bHeader);

        assertArrayEquals(w, NpyArrays.readFloat32(wFile, new long[]{784, 30}, "W_2"));
        assertArrayEquals(ramp(30), NpyArrays.readFloat32(bFile, new long[]{30}, "b_2"));
    }

    @Test
    void numpyLoadsWhatIsWritten() throws Exception {
        assumeTrue(NpyTestFiles.numpyAvailable(), "python3 with NumPy is not installed here (the byte-level "
                + "test above checks the same layout)");
        NpyArrays.writeFloat32(tmp.resolve("W.npy"), ramp(784 * 30), 784, 30);
        NpyArrays.writeFloat32(tmp.resolve("b.npy"), ramp(30), 30);
        NpyArrays.writeInt32(tmp.resolve("B.npy"), new int[]{1, 2, 3, 4, 5, 6}, 2, 3);
        String out = NpyTestFiles.python("import numpy as np\n"
                + "for n in ['W', 'b', 'B']:\n"
                + "    a = np.load(r'" + tmp + "/' + n + '.npy')\n"
                + "    print(n, a.dtype, a.shape, repr(a.ravel()[:3].tolist()), a[1, 0] if a.ndim == 2 else '')\n");
        assertEquals("W float32 (784, 30) [-7.0, -6.75, -6.5] 0.5\n"
                + "b float32 (30,) [-7.0, -6.75, -6.5] \n"
                + "B int32 (2, 3) [1, 2, 3] 4\n", out);
    }

    @Test
    void integersOfBothWidthsAreRead() throws Exception {
        NpyArrays.writeInt32(tmp.resolve("i32.npy"), new int[]{5, 6, 7, 8}, 2, 2);
        NpyArrays.Integers a = NpyArrays.readIntegers(tmp.resolve("i32.npy"), 2, "B");
        assertArrayEquals(new long[]{2, 2}, a.shape());
        assertArrayEquals(new long[]{5, 6, 7, 8}, a.values());
        write(tmp.resolve("i64.npy"), dict("<i8", "(1, 3)"), NpyTestFiles.longs(59_999, 0, 1L << 40));
        assertArrayEquals(new long[]{59_999, 0, 1L << 40}, NpyArrays.readIntegers(tmp.resolve("i64.npy"), 2, "B").values());
    }

    private String refused(Path file, long... shape) {
        return assertThrows(NpyException.class, () -> NpyArrays.readFloat32(file, shape, "W_2 of the network"))
                .getMessage();
    }

    @Test
    void badFilesAreRefusedBeforeTheirDataIsRead() throws Exception {
        byte[] sixFloats = floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6);
        // Each of these would be misread if its data were trusted (NpyHeader).
        assertTrue(refused(write(tmp.resolve("be.npy"), dict(">f4", "(2, 3)"), floats(ByteOrder.BIG_ENDIAN, 1, 2, 3, 4, 5, 6)), 2, 3)
                .contains("holds big-endian data ('>f4') but W_2 of the network must be float32"));
        assertTrue(refused(write(tmp.resolve("f.npy"), "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                sixFloats), 2, 3).contains("Fortran (column-major) order"));
        assertTrue(refused(write(tmp.resolve("short.npy"), dict("<f4", "(2, 3)"), Arrays.copyOf(sixFloats, 20)), 2, 3)
                .contains("the file is truncated"));
        assertTrue(refused(write(tmp.resolve("long.npy"), dict("<f4", "(2, 3)"), Arrays.copyOf(sixFloats, 28)), 2, 3)
                .contains("followed by extra bytes"));
        assertTrue(refused(write(tmp.resolve("obj.npy"), dict("|O", "(1,)"), new byte[8]), 1)
                .contains("Python objects"));
        assertTrue(refused(write(tmp.resolve("garbled.npy"), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3 }",
                sixFloats), 2, 3).contains("malformed .npy header"));
        assertTrue(refused(write(tmp.resolve("keys.npy"), "{'descr': '<f4', 'shape': (2, 3), }", sixFloats), 2, 3)
                .contains("malformed .npy header"));
        assertTrue(refused(write(tmp.resolve("v2.npy"), 2, dict("<f4", "(2, 3)"), sixFloats), 2, 3)
                .contains("format version 2.0"));
        Files.write(tmp.resolve("text.npy"), "not numpy at all".getBytes(StandardCharsets.US_ASCII));
        assertTrue(refused(tmp.resolve("text.npy"), 2, 3).contains("is not a NumPy .npy file"));
        Files.write(tmp.resolve("empty.npy"), new byte[0]);
        assertTrue(refused(tmp.resolve("empty.npy"), 2, 3).contains("is not a NumPy .npy file"));
        byte[] whole = Files.readAllBytes(write(tmp.resolve("ok.npy"), dict("<f4", "(2, 3)"), sixFloats));
        Files.write(tmp.resolve("cut.npy"), Arrays.copyOf(whole, 30));
        assertTrue(refused(tmp.resolve("cut.npy"), 2, 3).contains("truncated inside its .npy header"));
        assertTrue(refused(tmp.resolve("missing.npy"), 2, 3).startsWith("no file "));
        assertTrue(refused(tmp, 2, 3).contains("is a directory"));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, NpyArrays.readFloat32(tmp.resolve("ok.npy"), new long[]{2, 3}, "x"),
                "the well-formed twin of these files reads fine");
    }

    @Test
    void theDtypeAndShapeMustBeTheExpectedOnes() throws Exception {
        Path f64 = write(tmp.resolve("f64.npy"), dict("<f8", "(2, 3)"), new byte[48]);
        assertTrue(refused(f64, 2, 3).contains("holds float64 ('<f8') but W_2 of the network must be float32 ('<f4'); "
                + "save it with numpy.save(path, array.astype(numpy.float32))"));
        NpyArrays.writeFloat32(tmp.resolve("t.npy"), ramp(6), 3, 2);
        assertEquals(tmp.resolve("t.npy") + " has shape (3, 2) but W_2 of the network must have shape (2, 3); "
                + "save the array with that shape", refused(tmp.resolve("t.npy"), 2, 3));
        NpyArrays.writeFloat32(tmp.resolve("row.npy"), ramp(3), 1, 3);
        assertTrue(refused(tmp.resolve("row.npy"), 3).contains("has shape (1, 3) but W_2 of the network must have shape (3,)"));
        write(tmp.resolve("zero.npy"), dict("<i4", "(0, 10)"), new byte[0]);
        assertTrue(assertThrows(NpyException.class, () -> NpyArrays.readIntegers(tmp.resolve("zero.npy"), 2, "B"))
                .getMessage().contains("holds an empty array of shape (0, 10)"));
        Path floatsAsIndices = write(tmp.resolve("fi.npy"), dict("<f4", "(2, 3)"), new byte[24]);
        assertTrue(assertThrows(NpyException.class, () -> NpyArrays.readIntegers(floatsAsIndices, 2, "B"))
                .getMessage().contains("holds float32 ('<f4') but B must be int32"));
        NpyArrays.writeInt32(tmp.resolve("r1.npy"), new int[]{1, 2, 3}, 3);
        assertTrue(assertThrows(NpyException.class, () -> NpyArrays.readIntegers(tmp.resolve("r1.npy"), 2, "B"))
                .getMessage().contains("has shape (3,) but B must have 2 dimensions"));
    }
}
