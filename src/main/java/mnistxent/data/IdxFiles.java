package mnistxent.data;

import mnistxent.OneLine;
import mnistxent.config.MnistShape;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST's IDX files, raw or gzipped (docs/SPEC.md §1): a big-endian header (magic 2051
 * then count, rows, cols for images; magic 2049 then count for labels) followed by one unsigned
 * byte per pixel or label.
 *
 * <p>Everything that can be wrong with a file is reported as a one-line {@link DataException}
 * naming the file: a short or unknown header, the wrong kind of file, an image size other than
 * 28x28, fewer bytes than the header promises (a truncated download), bytes after the last item,
 * a label outside 0-9. A gzipped file is recognised by its content (bytes 1f 8b), not its name.
 */
public final class IdxFiles {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;
    public static final int IMAGES_HEADER_BYTES = 16;
    public static final int LABELS_HEADER_BYTES = 8;

    private static final int BUFFER = 1 << 16;

    private IdxFiles() {
    }

    /**
     * A checked IDX header.
     *
     * @param file  the file it was read from (for messages)
     * @param magic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     * @param count the number of images or labels the header announces
     */
    public record Header(Path file, int magic, int count) {

        public boolean isImages() {
            return magic == IMAGES_MAGIC;
        }

        public int headerBytes() {
            return isImages() ? IMAGES_HEADER_BYTES : LABELS_HEADER_BYTES;
        }

        /** Bytes per example: 784 pixels or 1 label. */
        public int itemBytes() {
            return isImages() ? MnistShape.PIXELS : 1;
        }

        /** The size of the whole (uncompressed) file the header describes. */
        public long totalBytes() {
            return headerBytes() + (long) count * itemBytes();
        }

        public String kind() {
            return kindName(magic);
        }
    }

    /** Reads and checks the header of an images or labels file. */
    public static Header readHeader(Path file) {
        try (DataInputStream in = open(file)) {
            return readHeader(file, in, 0);
        } catch (IOException e) {
            throw ioError(file, e);
        }
    }

    /**
     * Reads examples {@code [start, start + count)} of an IDX file of the given kind: {@code count * 784}
     * pixel bytes (row-major, one image after the other) or {@code count} labels. The whole file is
     * checked against its header, so a truncated or over-long file fails even when the range is fine.
     *
     * @param expectedMagic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     * @param count         how many examples, or -1 for all from {@code start} to the end
     */
    public static byte[] readItems(Path file, int expectedMagic, int start, int count) {
        return readItems(file, expectedMagic, start, count, null);
    }

    /**
     * As {@link #readItems(Path, int, int, int)}, feeding every (uncompressed) byte read to {@code digest}
     * (null: none): read whole ({@code start} 0, {@code count} -1), the file's content, header included, is
     * hashed in the same pass that reads it, so the bytes checked are the bytes used.
     */
    public static byte[] readItems(Path file, int expectedMagic, int start, int count, MessageDigest digest) {
        try (DataInputStream in = open(file, digest)) {
            Header h = readHeader(file, in, expectedMagic);
            int n = count < 0 ? h.count() - start : count;
            if (start < 0 || n < 0 || (long) start + n > h.count()) {
                throw new IllegalArgumentException(file + ": examples [" + start + ", " + ((long) start + n)
                        + ") requested but the file holds " + h.count());
            }
            boolean gz = isGzip(file);
            if (!gz) {
                checkRawSize(h);
            }
            int item = h.itemBytes();
            byte[] out = new byte[Math.multiplyExact(n, item)];
            try {
                in.skipNBytes((long) start * item);
                in.readFully(out);
                if (gz) {
                    // A .gz cannot be sized up front: read on to the end to find a short or long file.
                    long rest = h.totalBytes() - h.headerBytes() - ((long) start + n) * item;
                    in.skipNBytes(rest);
                    if (in.read() >= 0) {
                        throw new DataException(file + ": more data than its header announces (" + h.count() + " "
                                + h.kind() + "s); the file is not a valid MNIST file", DataException.Remedy.REFETCH, dirOf(file));
                    }
                }
            } catch (EOFException e) {
                throw truncated(h, -1);
            }
            if (!h.isImages()) {
                checkLabels(file, out, start);
            }
            return out;
        } catch (IOException e) {
            throw ioError(file, e);
        }
    }

    /** Labels must be digits: the one-hot vectors have 10 entries (SPEC §1). */
    static void checkLabels(Path file, byte[] labels, int firstIndex) {
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i] & 0xFF;
            if (v >= MnistShape.CLASSES) {
                throw new DataException(file + ": label " + v + " of example " + (firstIndex + i)
                        + " is not a digit 0-9; this is not an MNIST label file");
            }
        }
    }

    /** True when the file starts with the gzip signature (1f 8b). */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The file's uncompressed content: through gzip when it is gzipped. */
    static DataInputStream open(Path file) throws IOException {
        return open(file, null);
    }

    private static DataInputStream open(Path file, MessageDigest digest) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream in = isGzip(file) ? new GZIPInputStream(raw, BUFFER) : raw;
            if (digest != null) {
                in = new DigestInputStream(in, digest);
            }
            return new DataInputStream(new BufferedInputStream(in, BUFFER));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static Header readHeader(Path file, DataInputStream in, int expectedMagic) throws IOException {
        byte[] first = new byte[IMAGES_HEADER_BYTES];
        int got = in.readNBytes(first, 0, LABELS_HEADER_BYTES);
        if (got < LABELS_HEADER_BYTES) {
            throw new DataException(file + ": truncated IDX header (" + got + " bytes; an IDX file starts with at least "
                    + LABELS_HEADER_BYTES + ")", DataException.Remedy.REFETCH, dirOf(file));
        }
        int magic = readInt(first, 0);
        int count = readInt(first, 4);
        if (magic != IMAGES_MAGIC && magic != LABELS_MAGIC) {
            throw new DataException(file + ": not an MNIST IDX file (magic number " + magic + " = 0x"
                    + Integer.toHexString(magic) + ", expected " + IMAGES_MAGIC + " for images or " + LABELS_MAGIC
                    + " for labels)");
        }
        if (expectedMagic != 0 && magic != expectedMagic) {
            throw new DataException(file + ": is an IDX " + kindName(magic) + " file (magic " + magic + ") where an IDX "
                    + kindName(expectedMagic) + " file (magic " + expectedMagic + ") is needed; check the file name");
        }
        if (count < 0) {
            throw new DataException(file + ": bad IDX header: negative example count " + count);
        }
        if (magic == IMAGES_MAGIC) {
            got += in.readNBytes(first, LABELS_HEADER_BYTES, IMAGES_HEADER_BYTES - LABELS_HEADER_BYTES);
            if (got < IMAGES_HEADER_BYTES) {
                throw new DataException(file + ": truncated IDX image header (" + got + " bytes of "
                        + IMAGES_HEADER_BYTES + ")", DataException.Remedy.REFETCH, dirOf(file));
            }
            int rows = readInt(first, 8);
            int cols = readInt(first, 12);
            if (rows != MnistShape.ROWS || cols != MnistShape.COLS) {
                throw new DataException(file + ": images are " + rows + "x" + cols + ", MNIST images are "
                        + MnistShape.ROWS + "x" + MnistShape.COLS);
            }
        }
        return new Header(file, magic, count);
    }

    private static void checkRawSize(Header h) throws IOException {
        long size = Files.size(h.file());
        if (size < h.totalBytes()) {
            throw truncated(h, size);
        }
        if (size > h.totalBytes()) {
            throw new DataException(h.file() + ": " + (size - h.totalBytes()) + " bytes after the last of its "
                    + h.count() + " " + h.kind() + "s; the file is not a valid MNIST file", DataException.Remedy.REFETCH,
                    dirOf(h.file()));
        }
    }

    private static DataException truncated(Header h, long size) {
        return new DataException(h.file() + ": truncated: its header announces " + h.count() + " " + h.kind() + "s ("
                + h.totalBytes() + " bytes" + (size >= 0 ? ") but the file has " + size : " uncompressed) but the data ends early")
                , DataException.Remedy.REFETCH, dirOf(h.file()));
    }

    private static DataException ioError(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataException(file + ": no such file", DataException.Remedy.FETCH, dirOf(file), e);
        }
        if (e instanceof ZipException || e instanceof EOFException) {
            return new DataException(file + ": damaged or truncated gzip data (" + OneLine.reason(e) + ")",
                    DataException.Remedy.REFETCH, dirOf(file), e);
        }
        return new DataException(file + ": cannot read: " + OneLine.reason(e), DataException.Remedy.NONE, null, e);
    }

    /** The directory a file is in: where a fetch repairs it. */
    private static Path dirOf(Path file) {
        return file.toAbsolutePath().getParent();
    }

    private static String kindName(int magic) {
        return magic == IMAGES_MAGIC ? "image" : "label";
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
