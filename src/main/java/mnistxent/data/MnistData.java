package mnistxent.data;

import mnistxent.config.MnistShape;

import java.nio.file.Path;
import java.util.Objects;

/**
 * MNIST in memory, compactly, read once: every pixel as the unsigned byte of the file, every label
 * as a byte. The 60,000 training images stay in file order; the split is by index
 * (docs/SPEC.md §1): validation = {@code [0, validationSize)}, train = {@code [validationSize, 60000)},
 * test = the 10,000 t10k images. {@link TfBatcher} draws training indices; the engines read the images
 * through {@link #train()} and {@link #test()} and scale them as TF does ({@link TfPixels}).
 *
 * <p>Memory: 60,000 x 784 + 10,000 x 784 pixel bytes + 70,000 label bytes = 54.95 MB (about 55 MB),
 * a quarter of what float32 copies would take, held once for the whole run.
 *
 * <p>The arrays returned by the accessors are the store itself, not copies (copying 47 MB per call
 * would defeat the point): callers must not modify them.
 */
public final class MnistData {

    private final Path dir;
    private final byte[] trainPixels;
    private final byte[] trainLabels;
    private final byte[] testPixels;
    private final byte[] testLabels;

    private MnistData(Path dir, byte[] trainPixels, byte[] trainLabels, byte[] testPixels, byte[] testLabels) {
        this.dir = dir;
        this.trainPixels = trainPixels;
        this.trainLabels = trainLabels;
        this.testPixels = testPixels;
        this.testLabels = testLabels;
    }

    /**
     * Reads the four files of {@code dir} after checking their SHA-256 (cheaply, through the verified
     * marker, when they were hashed before and are unchanged). {@code MnistFetcher.load} locates the
     * directory and fetches missing files first.
     *
     * @throws DataException when a file is missing, corrupt or malformed
     */
    public static MnistData load(Path dir) {
        MnistVerifier.canonical().requireAll(dir);
        MnistData d = read(dir);
        if (d.trainImageCount() != MnistFile.TRAIN_IMAGES.count() || d.testImageCount() != MnistFile.TEST_IMAGES.count()) {
            throw new IllegalStateException("verified MNIST files with unexpected counts"); // cannot happen
        }
        return d;
    }

    /** Reads the files of {@code dir} without checking hashes (the headers are still checked). For tests. */
    static MnistData read(Path dir) {
        byte[][] train = readPair(dir, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS);
        byte[][] test = readPair(dir, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS);
        return new MnistData(dir, train[0], train[1], test[0], test[1]);
    }

    /** A store over arrays made elsewhere (synthetic data in tests); the arrays are taken, not copied. */
    public static MnistData of(byte[] trainPixels, byte[] trainLabels, byte[] testPixels, byte[] testLabels) {
        check(trainPixels, trainLabels, "training");
        check(testPixels, testLabels, "test");
        return new MnistData(null, trainPixels, trainLabels, testPixels, testLabels);
    }

    private static void check(byte[] pixels, byte[] labels, String which) {
        Objects.requireNonNull(pixels, which + " pixels");
        Objects.requireNonNull(labels, which + " labels");
        if (pixels.length != labels.length * MnistShape.PIXELS) {
            throw new IllegalArgumentException(which + ": " + pixels.length + " pixel bytes for " + labels.length
                    + " labels (need " + MnistShape.PIXELS + " per image)");
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= MnistShape.CLASSES) {
                throw new IllegalArgumentException(which + " label " + i + " is " + (labels[i] & 0xFF));
            }
        }
    }

    private static byte[][] readPair(Path dir, MnistFile images, MnistFile labels) {
        Path imagePath = images.find(dir).orElse(images.rawPath(dir));
        Path labelPath = labels.find(dir).orElse(labels.rawPath(dir));
        byte[] l = IdxFiles.readItems(labelPath, IdxFiles.LABELS_MAGIC, 0, -1);
        byte[] p = IdxFiles.readItems(imagePath, IdxFiles.IMAGES_MAGIC, 0, -1);
        if (p.length / MnistShape.PIXELS != l.length) {
            throw new DataException(imagePath + " has " + p.length / MnistShape.PIXELS + " images but " + labelPath + " has "
                    + l.length + " labels; the two files must come from the same set");
        }
        return new byte[][] {p, l};
    }

    /** The directory the files were read from; empty for synthetic data ({@link #of}). */
    public java.util.Optional<Path> dir() {
        return java.util.Optional.ofNullable(dir);
    }

    /** The 60,000 training-file images, validation ones included, in file order (SPEC §1). */
    public LabelledImages train() {
        return LabelledImages.of(trainPixels, trainLabels, MnistShape.PIXELS);
    }

    /** The 10,000 test images. */
    public LabelledImages test() {
        return LabelledImages.of(testPixels, testLabels, MnistShape.PIXELS);
    }

    /** 60,000 for MNIST: validation and train together, in file order. */
    public int trainImageCount() {
        return trainLabels.length;
    }

    /** 10,000 for MNIST. */
    public int testImageCount() {
        return testLabels.length;
    }

    /** All training-file pixels, 784 per image, row-major, unsigned bytes. Do not modify. */
    public byte[] trainPixels() {
        return trainPixels;
    }

    /** All training-file labels 0-9. Do not modify. */
    public byte[] trainLabels() {
        return trainLabels;
    }

    /** All test pixels, 784 per image. Do not modify. */
    public byte[] testPixels() {
        return testPixels;
    }

    /** All test labels 0-9. Do not modify. */
    public byte[] testLabels() {
        return testLabels;
    }

    public int trainLabel(int trainIndex) {
        return trainLabels[trainIndex];
    }

    public int testLabel(int testIndex) {
        return testLabels[testIndex];
    }

    /** Writes training image {@code trainIndex} as 784 TF-scaled float32 values into {@code dst[offset..]}. */
    public void copyScaledPixels(int trainIndex, float[] dst, int offset) {
        Objects.checkIndex(trainIndex, trainLabels.length);
        TfPixels.scale(trainPixels, trainIndex * MnistShape.PIXELS, dst, offset, MnistShape.PIXELS);
    }

    /** Writes test image {@code testIndex} as 784 TF-scaled float32 values into {@code dst[offset..]}. */
    public void copyScaledTestPixels(int testIndex, float[] dst, int offset) {
        Objects.checkIndex(testIndex, testLabels.length);
        TfPixels.scale(testPixels, testIndex * MnistShape.PIXELS, dst, offset, MnistShape.PIXELS);
    }
}
