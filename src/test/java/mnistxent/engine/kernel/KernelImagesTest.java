package mnistxent.engine.kernel;

import mnistxent.data.SyntheticImages;
import mnistxent.data.TfPixels;
import mnistxent.random.SeededRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sparse form lists exactly the lit pixels of each image, in order, whatever fraction is lit; the bit sets mark the same pixels. */
class KernelImagesTest {

    @Test
    void entriesAreTheLitPixelsInOrder() {
        SeededRandom r = new SeededRandom(7);
        int width = 50;
        int count = 40;
        byte[] pixels = new byte[count * width];
        for (int n = 0; n < count; n++) {
            // from none lit to all lit: past a quarter lit, the entries outgrow their first guess
            double lit = n / (double) (count - 1);
            for (int p = 0; p < width; p++) {
                if (r.nextDouble() < lit) {
                    pixels[n * width + p] = (byte) (1 + r.nextInt(255));
                }
            }
        }
        byte[] labels = new byte[count];
        KernelImages sparse = KernelImages.of(pixels, labels, count, width, TfPixels.SCALE);
        assertEquals(count, sparse.count());
        for (int n = 0; n < count; n++) {
            StringBuilder want = new StringBuilder();
            for (int p = 0; p < width; p++) {
                int b = pixels[n * width + p] & 0xFF;
                if (b != 0) {
                    want.append(p).append(':').append(b).append(' ');
                }
            }
            StringBuilder got = new StringBuilder();
            for (int k = sparse.offsets()[n]; k < sparse.offsets()[n + 1]; k++) {
                int entry = sparse.entries()[k];
                got.append(entry >>> 8).append(':').append(entry & 0xFF).append(' ');
            }
            assertEquals(want.toString(), got.toString(), "image " + n);
        }
        assertEquals(sparse.offsets()[count], sparse.entries().length, "no room left over");
    }

    @Test
    void litBitsAreTheLitPixelsAndThePixelsAreTheImagesBytes() {
        SeededRandom r = new SeededRandom(8);
        int width = 130;        // three words an image, the last one partly used
        int count = 20;
        byte[] pixels = new byte[count * width];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = r.nextDouble() < 0.3 ? (byte) (1 + r.nextInt(255)) : 0;
        }
        KernelImages sparse = KernelImages.of(pixels, new byte[count], count, width, TfPixels.SCALE);
        assertEquals(3, sparse.bitWords());
        assertEquals(count * 3, sparse.litBits().length);
        assertEquals(width, sparse.pixelsPerImage());
        assertEquals(pixels, sparse.pixels(), "the images' own array, not a copy");
        for (int n = 0; n < count; n++) {
            for (int p = 0; p < 3 * Long.SIZE; p++) {
                boolean lit = p < width && pixels[n * width + p] != 0;
                long word = sparse.litBits()[n * 3 + p / Long.SIZE];
                assertEquals(lit, (word >>> p & 1) == 1, "image " + n + ", pixel " + p);
            }
        }
    }

    @Test
    void allLitImagesAndNoImagesAtAll() {
        byte[] full = new byte[3 * 10];
        java.util.Arrays.fill(full, (byte) 255);
        KernelImages sparse = KernelImages.of(full, new byte[3], 3, 10, TfPixels.SCALE);
        assertArrayEquals(new int[] {0, 10, 20, 30}, sparse.offsets());
        KernelImages none = KernelImages.of(new byte[0], new byte[0], 0, 10, TfPixels.SCALE);
        assertEquals(0, none.count());
        assertEquals(0, none.entries().length);
    }

    @Test
    void syntheticImagesAreLitLikeMnistWithCountsThatDiffer() {
        KernelImages images = KernelImages.of(SyntheticImages.of(64, 784));
        java.util.Set<Integer> counts = new java.util.HashSet<>();
        for (int n = 0; n < images.count(); n++) {
            int lit = images.offsets()[n + 1] - images.offsets()[n];
            assertEquals(true, lit >= 0.14 * 784 && lit <= 0.34 * 784, "image " + n + ": " + lit + " lit");
            counts.add(lit);
        }
        assertEquals(true, counts.size() >= 5, "counts differ from image to image: " + counts);
    }
}
