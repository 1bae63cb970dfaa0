package mnistxent.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The header of a NumPy {@code .npy} file: read to validate a file before its data is trusted (version
 * 1.0, a known {@code descr}, C order, the shape, and a file size that is exactly header plus data), and
 * written for the files we save.
 *
 * <p>Format (NumPy's NEP 1): the magic {@code \x93NUMPY}, major and minor version bytes, a little-endian
 * uint16 header length, then that many bytes of ASCII: a Python dict literal with exactly the keys
 * {@code descr}, {@code fortran_order} and {@code shape}, padded with spaces and ended by a newline.
 *
 * @param descr        the dtype string, e.g. {@code <f4} (little-endian float32), {@code <i8}
 * @param fortranOrder whether the data is stored column-major
 * @param shape        the dimensions; empty for a 0-d array
 * @param dataOffset   where the data starts in the file
 */
public record NpyHeader(String descr, boolean fortranOrder, long[] shape, int dataOffset) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** magic (6) + version (2) + header length (2). */
    private static final int PREAMBLE = 10;

    public NpyHeader {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the shape (1 for a 0-d array). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The shape as NumPy prints it: {@code (784, 30)}, {@code (30,)}, {@code ()}. */
    public String shapeText() {
        return shapeText(shape);
    }

    /** NumPy's tuple notation for a shape. */
    public static String shapeText(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * Reads and checks the header of {@code file}, and that the file holds exactly the data it announces
     * (for a dtype of known size).
     *
     * @throws NpyException naming the file and what is wrong with it
     */
    public static NpyHeader read(Path file) throws NpyException {
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            head = in.readNBytes(PREAMBLE);
            if (head.length < PREAMBLE || !Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)) {
                throw new NpyException(file + " is not a NumPy .npy file (no \\x93NUMPY magic at its start)");
            }
            int major = head[6] & 0xFF;
            int minor = head[7] & 0xFF;
            if (major != 1 || minor != 0) {
                throw new NpyException(file + " is a .npy file of format version " + major + "." + minor
                        + ", which is not read here; numpy.save writes version 1.0 for arrays like these");
            }
            int headerLength = (head[8] & 0xFF) | (head[9] & 0xFF) << 8;
            byte[] text = in.readNBytes(headerLength);
            if (text.length < headerLength) {
                throw new NpyException(file + " is truncated inside its .npy header");
            }
            NpyHeader header = parse(file, new String(text, StandardCharsets.ISO_8859_1), PREAMBLE + headerLength);
            int itemSize = itemSize(header.descr);
            if (itemSize > 0) {
                long expected = header.dataOffset + header.elementCount() * itemSize;
                if (size != expected) {
                    throw new NpyException(file + " has " + size + " bytes but its header announces "
                            + header.shapeText() + " " + header.descr + " = " + expected + " bytes: the file is "
                            + (size < expected ? "truncated" : "followed by extra bytes") + "; save it again");
                }
            }
            return header;
        } catch (IOException e) {
            throw new NpyException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The preamble and header of a version 1.0 file of {@code descr} and {@code shape} in C order, as
     * numpy.save writes it: the dict literal padded with spaces to a multiple of 64 bytes in all, ended by a
     * newline.
     */
    public static byte[] encode(String descr, long[] shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
        int unpadded = PREAMBLE + dict.length() + 1;
        int length = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(length - unpadded) + "\n";
        byte[] out = new byte[PREAMBLE + text.length()];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (text.length() & 0xFF);
        out[9] = (byte) (text.length() >>> 8);
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, out, PREAMBLE, ascii.length);
        return out;
    }

    /** The size in bytes of one element of a fixed-size numeric {@code descr}, or 0 if unknown. */
    static int itemSize(String descr) {
        if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0 || "fiub".indexOf(descr.charAt(1)) < 0) {
            return 0;
        }
        try {
            return Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // -------------------------------------------------------------- the header's dict literal

    private static NpyHeader parse(Path file, String text, int dataOffset) throws NpyException {
        DictParser p = new DictParser(file, text);
        Map<String, Object> dict = p.dict();
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw p.error("keys " + dict.keySet() + " (expected descr, fortran_order, shape)");
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw p.error("descr is not a plain dtype string (a structured array?)");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw p.error("fortran_order is not True or False");
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw p.error("shape is not a tuple of integers");
        }
        return new NpyHeader(descr, fortran, shape, dataOffset);
    }

    /** A parser of the small subset of Python literals a {@code .npy} header uses. */
    private static final class DictParser {
        private final Path file;
        private final String s;
        private int i;

        DictParser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        NpyException error(String what) {
            return new NpyException(file + " has a malformed .npy header (" + what + "); save it again with numpy.save");
        }

        Map<String, Object> dict() throws NpyException {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    i++;
                    break;
                }
                String key = string();
                expect(':');
                Object value = value();
                if (out.put(key, value) != null) {
                    throw error("key '" + key + "' twice");
                }
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}' at " + i);
                }
            }
            skipSpace();
            if (i != s.length()) {
                throw error("text after the dict");
            }
            return out;
        }

        private Object value() throws NpyException {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            // a list (structured dtype) or anything else: not something this application reads
            return new Object();
        }

        private long[] tuple() throws NpyException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    i++;
                    break;
                }
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    throw error("a shape entry is not a non-negative integer");
                }
                try {
                    dims.add(Long.parseLong(s.substring(start, i)));
                } catch (NumberFormatException e) {
                    throw error("a shape entry is too large");
                }
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in the shape");
                }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private String string() throws NpyException {
            skipSpace();
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string at " + i);
            }
            int end = s.indexOf(quote, i + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String out = s.substring(i + 1, end);
            i = end + 1;
            return out;
        }

        private void expect(char c) throws NpyException {
            skipSpace();
            if (peek() != c) {
                throw error("expected '" + c + "' at " + i);
            }
            i++;
        }

        private char peek() throws NpyException {
            if (i >= s.length()) {
                throw error("it ends early");
            }
            return s.charAt(i);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && descr.equals(h.descr) && fortranOrder == h.fortranOrder
                && Arrays.equals(shape, h.shape) && dataOffset == h.dataOffset;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * descr.hashCode() + Arrays.hashCode(shape)) + (fortranOrder ? 1 : 0) + dataOffset;
    }

    @Override
    public String toString() {
        return "NpyHeader[descr=" + descr + ", fortranOrder=" + fortranOrder + ", shape=" + shapeText()
                + ", dataOffset=" + dataOffset + "]";
    }
}
