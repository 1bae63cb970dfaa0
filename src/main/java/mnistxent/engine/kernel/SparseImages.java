package mnistxent.engine.kernel;

import mnistxent.data.LabelledImages;
import mnistxent.data.TfPixels;

/**
 * Images as lists of their non-zero pixels (CSR layout), scaled as TF scales them.
 *
 * <p>About 81% of MNIST's pixels are 0. A zero input contributes exactly 0 to {@code x·W} and to
 * the weight gradient {@code xᵀ·delta}, so skipping it changes no result: it only removes work
 * (SPEC §3 math, evaluated sparsely). Footprint for the 60,000 training images: ~9.0 M non-zeros
 * x (2-byte index + 4-byte value) ≈ 54 MB.
 *
 * @param offsets image {@code n}'s pixels are entries {@code offsets[n]} to {@code offsets[n+1]-1}
 * @param indices pixel index 0..783 (row-major 28x28)
 * @param values  the scaled pixel value, {@code byte * (float) (1.0 / 255.0)} (SPEC §1)
 * @param labels  the digit of each image
 */
public record SparseImages(int[] offsets, short[] indices, float[] values, byte[] labels) {

    public int count() {
        return offsets.length - 1;
    }

    /**
     * Builds the sparse form of {@code count} images of {@code pixelsPerImage} bytes each.
     *
     * @param scale the float32 scale of one pixel step (TF: {@code (float) (1.0 / 255.0)})
     */
    public static SparseImages of(byte[] pixels, byte[] labels, int count, int pixelsPerImage, float scale) {
        // float32 times the float32 constant, as NumPy does (SPEC §1)
        return build(count, pixelsPerImage, labels, k -> (pixels[k] & 0xFF) * scale);
    }

    /** The sparse form of labelled images, scaled as TF scales them (SPEC §1). */
    public static SparseImages of(LabelledImages images) {
        return of(images.pixels(), images.labels(), images.count(), images.width(), TfPixels.SCALE);
    }

    /** Builds the sparse form of dense float images (e.g. test data); exact zeros are skipped. */
    public static SparseImages ofDense(float[] pixels, byte[] labels, int count, int pixelsPerImage) {
        return build(count, pixelsPerImage, labels, k -> pixels[k]);
    }

    /** The value of pixel {@code k} of the dense row-major images. */
    private interface PixelValue {
        float at(int k);
    }

    private static SparseImages build(int count, int pixelsPerImage, byte[] labels, PixelValue value) {
        if (pixelsPerImage > Short.MAX_VALUE) {
            throw new IllegalArgumentException("at most " + Short.MAX_VALUE + " pixels per image");
        }
        int[] offsets = new int[count + 1];
        int nonZero = 0;
        for (int n = 0; n < count; n++) {
            for (int p = 0; p < pixelsPerImage; p++) {
                if (value.at(n * pixelsPerImage + p) != 0f) {
                    nonZero++;
                }
            }
            offsets[n + 1] = nonZero;
        }
        short[] indices = new short[nonZero];
        float[] values = new float[nonZero];
        int k = 0;
        for (int n = 0; n < count; n++) {
            for (int p = 0; p < pixelsPerImage; p++) {
                float v = value.at(n * pixelsPerImage + p);
                if (v != 0f) {
                    indices[k] = (short) p;
                    values[k] = v;
                    k++;
                }
            }
        }
        return new SparseImages(offsets, indices, values, java.util.Arrays.copyOf(labels, count));
    }
}
