package mnistxent.data;

import mnistxent.config.MnistShape;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
     * Reads the four files of {@code dir} and checks their SHA-256 (SPEC §1) on the very bytes read, in the
     * same pass: what is trained on is what was verified, even if a file was changed in place with its size
     * and times kept. The two pairs of files are read side by side. {@code MnistFetcher.load} locates the
     * directory and fetches missing files first.
     *
     * @throws DataException when a file is missing, corrupt or malformed
     */
    public static MnistData load(Path dir) {
        return load(dir, MnistVerifier.canonical());
    }

    /** {@link #load(Path)} against other expected hashes (tests use small generated files). */
    static MnistData load(Path dir, MnistVerifier verifier) {
        MnistVerifier.requireUsableDirectory(dir);
        CompletableFuture<byte[][]> test = CompletableFuture.supplyAsync(
                () -> readPair(dir, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS, verifier), r -> {
                    Thread t = new Thread(r, "data-loader-test");
                    t.setDaemon(true);
                    t.start();
                });
        byte[][] train = readPair(dir, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS, verifier);
        byte[][] t10k;
        try {
            t10k = test.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return new MnistData(dir, train[0], train[1], t10k[0], t10k[1]);
    }

    /** Reads the files of {@code dir} without checking hashes (the headers are still checked). For tests. */
    static MnistData read(Path dir) {
        byte[][] train = readPair(dir, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS, null);
        byte[][] test = readPair(dir, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS, null);
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

    /** Reads an images file and its labels file, hashing each as it is read unless {@code verifier} is null. */
    private static byte[][] readPair(Path dir, MnistFile images, MnistFile labels, MnistVerifier verifier) {
        byte[] p = readVerified(dir, images, IdxFiles.IMAGES_MAGIC, verifier);
        byte[] l = readVerified(dir, labels, IdxFiles.LABELS_MAGIC, verifier);
        Path imagePath = images.find(dir).orElse(images.rawPath(dir));
        Path labelPath = labels.find(dir).orElse(labels.rawPath(dir));
        if (p.length / MnistShape.PIXELS != l.length) {
            throw new DataException(imagePath + " has " + p.length / MnistShape.PIXELS + " images but " + labelPath + " has "
                    + l.length + " labels; the two files must come from the same set");
        }
        return new byte[][] {p, l};
    }

    private static byte[] readVerified(Path dir, MnistFile file, int magic, MnistVerifier verifier) {
        Path path = verifier == null ? file.find(dir).orElse(file.rawPath(dir))
                : MnistVerifier.find(dir, file).orElse(null);
        if (path == null) {
            FileStatus missing = verifier.check(dir, file);
            throw new DataException(missing.problem() + " in " + dir, missing.remedy(), dir);
        }
        MessageDigest digest = verifier == null ? null : MnistVerifier.sha256();
        byte[] items = IdxFiles.readItems(path, magic, 0, -1, digest);
        if (digest != null) {
            long rawBytes = (magic == IdxFiles.IMAGES_MAGIC ? IdxFiles.IMAGES_HEADER_BYTES : IdxFiles.LABELS_HEADER_BYTES)
                    + (long) items.length;
            FileStatus status = verifier.judge(file, path, HexFormat.of().formatHex(digest.digest()), rawBytes,
                    path.getFileName().toString().endsWith(".gz"));
            if (!status.isValid()) {
                throw new DataException(status.problem(), status.remedy(), dir);
            }
        }
        return items;
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
