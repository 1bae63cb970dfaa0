package mnistxent.data.images;

import mnistxent.UserError;

import java.nio.charset.StandardCharsets;

/**
 * Netpbm's PGM, which {@code javax.imageio} cannot read: {@code P5} (binary) and {@code P2} (plain text).
 * The header is the magic, then width, height and maxval as decimal numbers separated by whitespace,
 * with {@code #} comments running to the end of a line. {@code P5} follows maxval with one whitespace
 * byte and then {@code width * height} samples of one byte (maxval below 256) or two bytes, big-endian;
 * {@code P2} gives the samples as decimal numbers. Samples are scaled from {@code 0..maxval} to 0-255.
 */
public final class PgmReader {

    /** Larger images are refused: MNIST's digits are 28x28, and a corrupt header must not exhaust memory. */

    private final String name;
    private final byte[] bytes;
    private int pos;

    private PgmReader(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    /** Whether {@code bytes} starts like a PGM file ({@code P2} or {@code P5}). */
    public static boolean looksLikePgm(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == 'P' && (bytes[1] == '2' || bytes[1] == '5');
    }

    /**
     * Decodes a whole PGM file.
     *
     * @param name names the file in error messages
     */
    public static GrayImage read(String name, byte[] bytes) {
        return new PgmReader(name, bytes).read();
    }

    private GrayImage read() {
        if (!looksLikePgm(bytes)) {
            throw error("it does not start with P2 or P5");
        }
        boolean binary = bytes[1] == '5';
        pos = 2;
        if (pos >= bytes.length || !isSpace(bytes[pos]) && bytes[pos] != '#') {
            throw error("no whitespace after the magic number");
        }
        int width = headerNumber("width");
        int height = headerNumber("height");
        int maxval = headerNumber("maxval");
        DigitImages.requireSize(name, width, height);
        if (maxval < 1 || maxval > 65_535) {
            throw error("maxval " + maxval + " is outside 1..65535");
        }
        float[] values = new float[width * height];
        float scale = 255f / maxval;
        if (binary) {
            if (pos >= bytes.length || !isSpace(bytes[pos])) {
                throw error("no single whitespace byte after maxval");
            }
            pos++;
            int sampleBytes = maxval < 256 ? 1 : 2;
            long needed = (long) values.length * sampleBytes;
            if (bytes.length - pos < needed) {
                throw error("the pixel data is truncated (" + (bytes.length - pos) + " of " + needed + " bytes)");
            }
            for (int i = 0; i < values.length; i++) {
                int v = sampleBytes == 1 ? bytes[pos++] & 0xFF : (bytes[pos++] & 0xFF) << 8 | bytes[pos++] & 0xFF;
                values[i] = check(v, maxval, i, width) * scale;
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                skipSpaceAndComments();
                if (pos >= bytes.length) {
                    throw error("the pixel data is truncated (" + i + " of " + values.length + " values)");
                }
                values[i] = check(number("pixel value"), maxval, i, width) * scale;
            }
        }
        return new GrayImage(width, height, values);
    }

    private int check(int v, int maxval, int i, int width) {
        if (v > maxval) {
            throw error("pixel (" + i % width + ", " + i / width + ") is " + v + ", above maxval " + maxval);
        }
        return v;
    }

    private int headerNumber(String what) {
        skipSpaceAndComments();
        if (pos >= bytes.length) {
            throw error("the header ends before its " + what);
        }
        return number(what);
    }

    private int number(String what) {
        int start = pos;
        long v = 0;
        while (pos < bytes.length && bytes[pos] >= '0' && bytes[pos] <= '9') {
            v = v * 10 + (bytes[pos++] - '0');
            if (v > Integer.MAX_VALUE) {
                throw error("the " + what + " is too large");
            }
        }
        if (pos == start) {
            throw error("expected a number for the " + what + ", found '"
                    + new String(bytes, start, Math.min(8, bytes.length - start), StandardCharsets.ISO_8859_1)
                    .replaceAll("\\P{Print}", "?") + "'");
        }
        return (int) v;
    }

    private void skipSpaceAndComments() {
        while (pos < bytes.length) {
            if (isSpace(bytes[pos])) {
                pos++;
            } else if (bytes[pos] == '#') {
                while (pos < bytes.length && bytes[pos] != '\n' && bytes[pos] != '\r') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == '\f';
    }

    private UserError error(String what) {
        return new UserError(name + " is not a readable PGM image: " + what
                + "; save it again as PGM (P2/P5), PNG or JPEG");
    }
}
