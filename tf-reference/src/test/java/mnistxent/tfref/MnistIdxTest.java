package mnistxent.tfref;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/SPEC.md §1: headers checked, the first 5,000 training images set aside, pixels times (float) (1/255). */
class MnistIdxTest {

    private static final int TRAIN = MnistIdx.VALIDATION + 3;
    private static final int TEST = 4;

    @Test
    void splitsAndScalesAsTheScriptDoes(@TempDir Path dir) throws IOException {
        write(dir, false);
        MnistIdx mnist = MnistIdx.read(dir);
        assertEquals(3, mnist.train.count());
        assertEquals(TEST, mnist.test.count());
        // Train example 0 is the file's image 5000 (SPEC §1); its pixels and label identify it.
        float[] image = new float[MnistIdx.PIXELS];
        mnist.train.scaledImage(0, image, 0);
        assertEquals(MnistIdx.SCALED[pixel(MnistIdx.VALIDATION, 0)], image[0]);
        assertEquals(MnistIdx.VALIDATION % 10, mnist.train.label(0));
        float[] oneHot = new float[MnistIdx.CLASSES];
        mnist.test.oneHot(3, oneHot, 0);
        assertEquals(1f, oneHot[3]);
        assertEquals(1f, sum(oneHot));
    }

    @Test
    void scaleIsAFloatMultiplicationNotADivision() {
        float scale = (float) (1.0 / 255.0);
        int differ = 0;
        for (int v = 0; v < 256; v++) {
            assertEquals(Float.floatToIntBits((float) v * scale), Float.floatToIntBits(MnistIdx.SCALED[v]));
            if (MnistIdx.SCALED[v] != v / 255f) {
                differ++;
            }
        }
        assertEquals(126, differ, "SPEC §1 counts 126 values where the two differ");
    }

    @Test
    void readsGzippedFiles(@TempDir Path dir) throws IOException {
        write(dir, true);
        assertEquals(3, MnistIdx.read(dir).train.count());
    }

    @Test
    void rejectsABadMagicOrATruncatedFile(@TempDir Path dir) throws IOException {
        write(dir, false);
        Path labels = dir.resolve(MnistIdx.TEST_LABELS);
        byte[] good = Files.readAllBytes(labels);
        byte[] badMagic = good.clone();
        badMagic[3] = 3;
        Files.write(labels, badMagic);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MnistIdx.read(dir)).getMessage().contains("magic"));
        Files.write(labels, java.util.Arrays.copyOf(good, good.length - 1));
        assertThrows(IllegalArgumentException.class, () -> MnistIdx.read(dir));
    }

    private static int pixel(int image, int p) {
        return (image * 7 + p) & 0xFF;
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    private static void write(Path dir, boolean gzip) throws IOException {
        writeImages(dir, MnistIdx.TRAIN_IMAGES, TRAIN, gzip);
        writeLabels(dir, MnistIdx.TRAIN_LABELS, TRAIN, gzip);
        writeImages(dir, MnistIdx.TEST_IMAGES, TEST, gzip);
        writeLabels(dir, MnistIdx.TEST_LABELS, TEST, gzip);
    }

    private static void writeImages(Path dir, String name, int count, boolean gzip) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + count * MnistIdx.PIXELS);
        b.putInt(2051).putInt(count).putInt(28).putInt(28);
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < MnistIdx.PIXELS; p++) {
                b.put((byte) pixel(i, p));
            }
        }
        save(dir, name, b.array(), gzip);
    }

    private static void writeLabels(Path dir, String name, int count, boolean gzip) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(2049).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        save(dir, name, b.array(), gzip);
    }

    private static void save(Path dir, String name, byte[] bytes, boolean gzip) throws IOException {
        if (!gzip) {
            Files.write(dir.resolve(name), bytes);
            return;
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz")))) {
            out.write(bytes);
        }
    }
}
