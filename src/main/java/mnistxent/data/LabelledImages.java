package mnistxent.data;

import java.util.Objects;

/**
 * Labelled images as an engine trains and evaluates on them: {@code count} images of {@code width}
 * pixels, each pixel the unsigned byte of the IDX file, scaled by {@link TfPixels#SCALE} where it is
 * used (SPEC §1), and a label 0-9 each.
 *
 * <p>The arrays are shared, never copied, and may hold more than {@code count} images: a set is the
 * first {@code count} of them (the validation images are the first validation-size training images,
 * SPEC §1). Callers must not modify them.
 */
public record LabelledImages(byte[] pixels, byte[] labels, int count, int width) {

    public LabelledImages {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (count < 0 || width < 1 || (long) count * width > pixels.length || count > labels.length) {
            throw new IllegalArgumentException(count + " images of " + width + " pixels over " + pixels.length
                    + " pixel bytes and " + labels.length + " labels");
        }
    }

    /** All the images of the arrays. */
    public static LabelledImages of(byte[] pixels, byte[] labels, int width) {
        return new LabelledImages(pixels, labels, labels.length, width);
    }

    /** No images (a config that holds out no validation set). */
    public static LabelledImages none(int width) {
        return new LabelledImages(new byte[0], new byte[0], 0, width);
    }

    /** The first {@code n} images. */
    public LabelledImages first(int n) {
        return new LabelledImages(pixels, labels, n, width);
    }

    /** Image {@code n}'s label, 0-9. */
    public int label(int n) {
        Objects.checkIndex(n, count);
        return labels[n] & 0xFF;
    }

    /** Writes image {@code n} as {@code width} TF-scaled float32 values into {@code dst[offset..]}. */
    public void copyScaled(int n, float[] dst, int offset) {
        Objects.checkIndex(n, count);
        TfPixels.scale(pixels, n * width, dst, offset, width);
    }
}
