package mnistxent.data.images;

/**
 * A grayscale picture as decoded, before any conversion to MNIST's format: intensities on the 0-255
 * scale (fractional when the source had more than 8 bits), row-major.
 *
 * @param width  pixels per row, at least 1
 * @param height rows, at least 1
 * @param values {@code width * height} intensities in [0, 255], 0 = black
 */
public record GrayImage(int width, int height, float[] values) {

    public GrayImage {
        if (width < 1 || height < 1 || values.length != (long) width * height) {
            throw new IllegalArgumentException(width + "x" + height + " image with " + values.length + " values");
        }
    }

    public float at(int x, int y) {
        return values[y * width + x];
    }
}
