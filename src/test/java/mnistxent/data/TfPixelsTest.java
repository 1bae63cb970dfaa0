package mnistxent.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TfPixelsTest {

    /** float32(v) * float32(1/255), rounded once: the exact product of two floats fits in a double. */
    private static float tfReference(int v) {
        double exact = (double) (float) v * (double) (float) (1.0 / 255.0);
        return (float) exact;
    }

    @Test
    void scaleIsTheFloat32MultiplyByTheFloat32ConstantForEveryByte() {
        for (int v = 0; v < 256; v++) {
            assertEquals(Float.floatToIntBits(tfReference(v)), Float.floatToIntBits(TfPixels.scale((byte) v)),
                    "byte value " + v);
        }
    }

    @Test
    void scaleDiffersFromDividingBy255ExactlyWhereSpecSaysItDoes() {
        // SPEC §1: dividing by 255f differs in the last bit for 126 of 256 values. Those are the
        // values where our scale must be the multiply, not the division.
        int differ = 0;
        for (int v = 0; v < 256; v++) {
            float divided = v / 255f;
            float scaled = TfPixels.scale((byte) v);
            if (divided != scaled) {
                differ++;
                assertEquals(1, Math.abs(Float.floatToIntBits(divided) - Float.floatToIntBits(scaled)),
                        "only the last bit differs for " + v);
                assertEquals(tfReference(v), scaled, "for " + v + " the multiply wins");
            }
        }
        assertEquals(126, differ);
    }

    @Test
    void bytesAreUnsigned() {
        assertEquals(0f, TfPixels.scale((byte) 0));
        assertEquals(tfReference(255), TfPixels.scale((byte) -1));
        assertEquals(tfReference(128), TfPixels.scale((byte) 0x80));
    }

    @Test
    void bulkScaleMatchesSingleValues() {
        byte[] src = new byte[300];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 7);
        }
        float[] dst = new float[305];
        TfPixels.scale(src, 10, dst, 5, 290);
        assertEquals(0f, dst[4]);
        for (int i = 0; i < 290; i++) {
            assertEquals(TfPixels.scale(src[10 + i]), dst[5 + i]);
        }
    }
}
