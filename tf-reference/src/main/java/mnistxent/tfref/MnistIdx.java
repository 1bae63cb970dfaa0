package mnistxent.tfref;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * MNIST as {@code input_data.read_data_sets(dir, one_hot=True)} gives it to the script (docs/SPEC.md §1),
 * read with plain Java from the four IDX files: train = training images 5,000..59,999 (the first 5,000
 * are the validation set, which the script never uses), test = the 10,000 t10k images.
 *
 * <p>Pixels stay the files' bytes here; {@link #SCALED} maps a byte to the float32 the script feeds, so
 * a batch is converted as it is copied into its tensor (the same values as converting the whole set
 * up front, as {@code read_data_sets} does, without holding 220 MB of floats).
 */
final class MnistIdx {

    static final int ROWS = 28;
    static final int COLS = 28;
    static final int PIXELS = ROWS * COLS;
    static final int CLASSES = 10;
    /** SPEC §1: {@code read_data_sets}' default validation_size; these leading images are not trained on. */
    static final int VALIDATION = 5_000;
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final int IMAGES_MAGIC = 2051;
    private static final int LABELS_MAGIC = 2049;

    /**
     * SPEC §1: {@code uint8 -> float32}, then times the float32 constant {@code 1/255}. One float32
     * multiplication, as NumPy does it on a float32 array; dividing by 255f would differ in the last bit
     * for 126 of the 256 values.
     */
    static final float[] SCALED = new float[256];

    static {
        float scale = (float) (1.0 / 255.0);
        for (int v = 0; v < 256; v++) {
            SCALED[v] = (float) v * scale;
        }
    }

    /** One split: {@code count} images of {@link #PIXELS} bytes, row-major, from {@code offset} in {@code pixels}. */
    record Split(byte[] pixels, int offset, byte[] labels, int labelOffset, int count) {

        int label(int i) {
            return labels[labelOffset + i];
        }

        /** Writes image {@code i}'s scaled pixels (SPEC §1) into {@code out} from {@code at}. */
        void scaledImage(int i, float[] out, int at) {
            int from = offset + i * PIXELS;
            for (int p = 0; p < PIXELS; p++) {
                out[at + p] = SCALED[pixels[from + p] & 0xFF];
            }
        }

        /** Writes image {@code i}'s one-hot label (SPEC §1: float32, length 10) into {@code out} from {@code at}. */
        void oneHot(int i, float[] out, int at) {
            java.util.Arrays.fill(out, at, at + CLASSES, 0f);
            out[at + label(i)] = 1f;
        }
    }

    final Split train;
    final Split test;

    private MnistIdx(Split train, Split test) {
        this.train = train;
        this.test = test;
    }

    /** Reads and checks the four files in {@code dir} (raw, or gzipped with a {@code .gz} suffix). */
    static MnistIdx read(Path dir) throws IOException {
        byte[] trainImages = images(dir, TRAIN_IMAGES);
        byte[] trainLabels = labels(dir, TRAIN_LABELS, count(trainImages));
        byte[] testImages = images(dir, TEST_IMAGES);
        byte[] testLabels = labels(dir, TEST_LABELS, count(testImages));
        int trainCount = count(trainImages) - VALIDATION;
        if (trainCount < 1) {
            throw new IllegalArgumentException(TRAIN_IMAGES + " holds " + count(trainImages)
                    + " images, not more than the " + VALIDATION + " that SPEC §1 sets aside for validation");
        }
        Split train = new Split(trainImages, 16 + VALIDATION * PIXELS, trainLabels, 8 + VALIDATION, trainCount);
        Split test = new Split(testImages, 16, testLabels, 8, count(testImages));
        return new MnistIdx(train, test);
    }

    private static int count(byte[] file) {
        return ByteBuffer.wrap(file).order(ByteOrder.BIG_ENDIAN).getInt(4);
    }

    /** An idx3 file: big-endian magic 2051, count, rows, cols (SPEC §1), then count*28*28 bytes. */
    private static byte[] images(Path dir, String name) throws IOException {
        byte[] file = load(dir, name);
        ByteBuffer header = header(file, name, 16, IMAGES_MAGIC);
        int count = header.getInt(4);
        int rows = header.getInt(8);
        int cols = header.getInt(12);
        if (rows != ROWS || cols != COLS) {
            throw new IllegalArgumentException(name + ": images are " + rows + "x" + cols + ", not " + ROWS + "x" + COLS);
        }
        requireSize(name, file, 16 + (long) count * PIXELS);
        return file;
    }

    /** An idx1 file: big-endian magic 2049, count (equal to its images'), then count bytes in 0..9. */
    private static byte[] labels(Path dir, String name, int images) throws IOException {
        byte[] file = load(dir, name);
        int count = header(file, name, 8, LABELS_MAGIC).getInt(4);
        if (count != images) {
            throw new IllegalArgumentException(name + " holds " + count + " labels for " + images + " images");
        }
        requireSize(name, file, 8 + (long) count);
        for (int i = 8; i < file.length; i++) {
            if ((file[i] & 0xFF) >= CLASSES) {
                throw new IllegalArgumentException(name + ": label " + (file[i] & 0xFF) + " at index " + (i - 8));
            }
        }
        return file;
    }

    private static ByteBuffer header(byte[] file, String name, int length, int magic) {
        if (file.length < length) {
            throw new IllegalArgumentException(name + " is " + file.length + " bytes, shorter than its header");
        }
        ByteBuffer header = ByteBuffer.wrap(file).order(ByteOrder.BIG_ENDIAN);
        if (header.getInt(0) != magic) {
            throw new IllegalArgumentException(name + ": magic " + header.getInt(0) + ", expected " + magic);
        }
        if (header.getInt(4) < 1) {
            throw new IllegalArgumentException(name + ": count " + header.getInt(4));
        }
        return header;
    }

    private static void requireSize(String name, byte[] file, long expected) {
        if (file.length != expected) {
            throw new IllegalArgumentException(name + " is " + file.length + " bytes; its header says " + expected);
        }
    }

    /** SPEC §1: the files may be raw or gzipped as TF downloads them; the raw file wins if both are there. */
    private static byte[] load(Path dir, String name) throws IOException {
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) {
            return Files.readAllBytes(raw);
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
                return in.readAllBytes();
            }
        }
        throw new IllegalArgumentException("neither " + raw + " nor " + gz + " exists");
    }
}
