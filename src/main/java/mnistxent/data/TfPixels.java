package mnistxent.data;

/**
 * TensorFlow's pixel scaling, bit for bit (docs/SPEC.md §1).
 *
 * <p>TF 1.x converts the uint8 images to float32 and then calls
 * {@code numpy.multiply(images, 1.0 / 255.0)}: a float32 array times a scalar, which NumPy does in
 * float32, i.e. {@code (float) v * (float) (1.0 / 255.0)}. Dividing by {@code 255f} instead rounds
 * differently for 126 of the 256 byte values, so a generic "divide by 255" scaler is not exact.
 */
public final class TfPixels {

    /** The float32 constant TF multiplies by. */
    public static final float SCALE = (float) (1.0 / 255.0);

    /** The scaled value of every byte 0..255; indexing a table is cheaper than converting. */
    private static final float[] TABLE = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            TABLE[v] = (float) v * SCALE;
        }
    }

    private TfPixels() {
    }

    /** The float32 TF feeds the network for a pixel stored as the (unsigned) byte {@code b}. */
    public static float scale(byte b) {
        return TABLE[b & 0xFF];
    }

    /** Scales {@code count} pixels from {@code src[srcOffset..]} into {@code dst[dstOffset..]}. */
    public static void scale(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = TABLE[src[srcOffset + i] & 0xFF];
        }
    }
}
