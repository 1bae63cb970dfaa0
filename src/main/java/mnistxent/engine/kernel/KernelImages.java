package mnistxent.engine.kernel;

import mnistxent.data.LabelledImages;
import mnistxent.data.TfPixels;

import java.util.Arrays;

/**
 * Images as the kernel reads them: as lists of their non-zero pixels (CSR layout), each pixel a byte
 * scaled as TF scales it, for the sparse sums; and as their bytes with a bit set of their lit pixels, for
 * the block form.
 *
 * <p>About 81% of MNIST's pixels are 0. A zero input contributes exactly 0 to {@code x·W} and to
 * the weight gradient {@code xᵀ·delta}, so skipping it changes no result: it only removes work
 * (SPEC §3 math, evaluated sparsely).
 *
 * <p>Layout (README, Performance): one {@code int} per non-zero pixel, {@code pixelIndex << 8 | byte},
 * in one array, so that an image is one contiguous run of memory (~600 bytes) and the 55,000 training
 * images take ~33 MB instead of 54 MB as separate index and float arrays. The float value of a byte is
 * read from a 256-entry table ({@link #pixelValues}) holding exactly {@code byte * scale}, the same
 * float32 product as before (SPEC §1).
 *
 * <p>The block form (README, Performance, "The input layer as a block") reads each example's pixel of a
 * row straight from the images' bytes ({@link #pixels}, the loaded array itself, shared, not copied), and
 * finds the rows a batch touches by OR-ing its images' {@link #litBits}: one bit per pixel, 13 longs an
 * MNIST image (5.7 MB for the training set).
 */
public final class KernelImages {

    private final int[] offsets;
    private final int[] entries;
    private final float[] pixelValues;
    private final byte[] labels;
    private final byte[] pixels;
    private final int pixelsPerImage;
    private final long[] litBits;

    private KernelImages(int[] offsets, int[] entries, float[] pixelValues, byte[] labels, byte[] pixels,
                         int pixelsPerImage, long[] litBits) {
        this.offsets = offsets;
        this.entries = entries;
        this.pixelValues = pixelValues;
        this.labels = labels;
        this.pixels = pixels;
        this.pixelsPerImage = pixelsPerImage;
        this.litBits = litBits;
    }

    public int count() {
        return offsets.length - 1;
    }

    /** Image {@code n}'s pixels are {@code entries[offsets[n] .. offsets[n+1])}. */
    public int[] offsets() {
        return offsets;
    }

    /** {@code pixelIndex << 8 | byte} per non-zero pixel, ascending pixel index within an image. */
    public int[] entries() {
        return entries;
    }

    /** {@code pixelValues[b]} is the float value of byte {@code b}: {@code b * scale} in float32. */
    public float[] pixelValues() {
        return pixelValues;
    }

    /** The digit of each image. */
    public byte[] labels() {
        return labels;
    }

    /** Image {@code n}'s pixel {@code p} is the byte {@code pixels[n * pixelsPerImage() + p]}. Do not modify. */
    public byte[] pixels() {
        return pixels;
    }

    public int pixelsPerImage() {
        return pixelsPerImage;
    }

    /** Longs per image in {@link #litBits}. */
    public int bitWords() {
        return bitWords(pixelsPerImage);
    }

    private static int bitWords(int pixelsPerImage) {
        return (pixelsPerImage + Long.SIZE - 1) / Long.SIZE;
    }

    /**
     * Image {@code n}'s lit pixels as a bit set: pixel p is bit {@code p % 64} of
     * {@code litBits[n * bitWords() + p / 64]}.
     */
    public long[] litBits() {
        return litBits;
    }

    /**
     * {@code count} images of {@code pixelsPerImage} bytes each, as the kernel reads them ({@code pixels} is
     * kept, not copied: do not modify it).
     *
     * @param scale the float32 scale of one pixel step (TF: {@code (float) (1.0 / 255.0)})
     */
    public static KernelImages of(byte[] pixels, byte[] labels, int count, int pixelsPerImage, float scale) {
        if (pixelsPerImage < 1 || pixelsPerImage >= 1 << 23) {
            throw new IllegalArgumentException("1 to " + ((1 << 23) - 1) + " pixels per image, got " + pixelsPerImage);
        }
        // One pass, without a branch per pixel (81% are zero, in no pattern a branch predictor could learn):
        // every pixel is written, and the write position moves past it only if it is lit.
        int[] offsets = new int[count + 1];
        int[] entries = new int[Math.max(pixelsPerImage, pixels.length / 4)];      // MNIST: 19% lit
        int words = bitWords(pixelsPerImage);
        if ((long) count * words > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " images of " + pixelsPerImage + " pixels: too many for one bit set");
        }
        long[] bits = new long[count * words];
        int k = 0;
        for (int n = 0; n < count; n++) {
            if (entries.length - k < pixelsPerImage) {
                entries = Arrays.copyOf(entries, (int) Math.min(Integer.MAX_VALUE - 8, 2L * entries.length + pixelsPerImage));
            }
            int base = n * pixelsPerImage;
            for (int p = 0; p < pixelsPerImage; p++) {
                int b = pixels[base + p] & 0xFF;
                entries[k] = p << 8 | b;
                k += -b >>> 31;
            }
            offsets[n + 1] = k;
            for (int i = offsets[n]; i < k; i++) {
                int p = entries[i] >>> 8;
                bits[n * words + p / Long.SIZE] |= 1L << p;
            }
        }
        entries = Arrays.copyOf(entries, k);
        float[] values = new float[256];
        for (int b = 0; b < 256; b++) {
            values[b] = b * scale;       // float32 times the float32 constant, as NumPy does (SPEC §1)
        }
        return new KernelImages(offsets, entries, values, Arrays.copyOf(labels, count), pixels, pixelsPerImage, bits);
    }

    /** Labelled images as the kernel reads them, scaled as TF scales them (SPEC §1). */
    public static KernelImages of(LabelledImages images) {
        return of(images.pixels(), images.labels(), images.count(), images.width(), TfPixels.SCALE);
    }
}
