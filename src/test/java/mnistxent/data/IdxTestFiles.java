package mnistxent.data;

import mnistxent.config.MnistShape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small IDX files made by the tests themselves (never the real MNIST). */
public final class IdxTestFiles {

    private IdxTestFiles() {
    }

    /** An IDX image file's bytes: header (magic, count, rows, cols) then {@code pixels}. */
    public static byte[] images(int magic, int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length); // big-endian by default
        b.putInt(magic).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    public static byte[] images(byte[] pixels) {
        return images(IdxFiles.IMAGES_MAGIC, pixels.length / MnistShape.PIXELS, 28, 28, pixels);
    }

    public static byte[] labels(int magic, int count, byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(magic).putInt(count).put(labels);
        return b.array();
    }

    public static byte[] labels(byte[] labels) {
        return labels(IdxFiles.LABELS_MAGIC, labels.length, labels);
    }

    /** Pixels of {@code count} random images (every byte value likely to occur). */
    public static byte[] randomPixels(int count, long seed) {
        byte[] p = new byte[count * MnistShape.PIXELS];
        new Random(seed).nextBytes(p);
        return p;
    }

    public static byte[] randomLabels(int count, long seed) {
        Random r = new Random(seed);
        byte[] l = new byte[count];
        for (int i = 0; i < count; i++) {
            l[i] = (byte) r.nextInt(10);
        }
        return l;
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    public static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** A small, self-consistent stand-in for the four MNIST files, with its own expected hashes. */
    /** Flips the lowest bit of the byte at {@code at}: a file of the same size with other content. */
    public static void flipOneByte(Path file, long at) throws Exception {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    public static final class FakeMnist {
        public final Map<MnistFile, byte[]> raw = new EnumMap<>(MnistFile.class);
        public final byte[] trainPixels;
        public final byte[] trainLabels;
        public final byte[] testPixels;
        public final byte[] testLabels;

        public FakeMnist(int train, int test, long seed) {
            trainPixels = randomPixels(train, seed);
            trainLabels = randomLabels(train, seed + 1);
            testPixels = randomPixels(test, seed + 2);
            testLabels = randomLabels(test, seed + 3);
            raw.put(MnistFile.TRAIN_IMAGES, images(trainPixels));
            raw.put(MnistFile.TRAIN_LABELS, labels(trainLabels));
            raw.put(MnistFile.TEST_IMAGES, images(testPixels));
            raw.put(MnistFile.TEST_LABELS, labels(testLabels));
        }

        public Map<MnistFile, String> hashes() throws Exception {
            Map<MnistFile, String> m = new EnumMap<>(MnistFile.class);
            for (Map.Entry<MnistFile, byte[]> e : raw.entrySet()) {
                m.put(e.getKey(), sha256(e.getValue()));
            }
            return m;
        }

        public Map<MnistFile, Long> sizes() {
            Map<MnistFile, Long> m = new EnumMap<>(MnistFile.class);
            raw.forEach((f, b) -> m.put(f, (long) b.length));
            return m;
        }

        public MnistVerifier verifier() throws Exception {
            return new MnistVerifier(hashes(), sizes());
        }

        /** Writes the four raw files into {@code dir}. */
        public void writeRaw(Path dir) throws IOException {
            Files.createDirectories(dir);
            for (Map.Entry<MnistFile, byte[]> e : raw.entrySet()) {
                Files.write(e.getKey().rawPath(dir), e.getValue());
            }
        }

        /** Writes the four files gzipped ({@code NAME.gz}) into {@code dir}. */
        public void writeGz(Path dir) throws IOException {
            Files.createDirectories(dir);
            for (Map.Entry<MnistFile, byte[]> e : raw.entrySet()) {
                Files.write(e.getKey().gzPath(dir), gzip(e.getValue()));
            }
        }
    }
}
