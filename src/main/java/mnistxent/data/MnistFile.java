package mnistxent.data;

import mnistxent.config.MnistShape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The four MNIST IDX files and what a good copy of each looks like (docs/SPEC.md §1).
 *
 * <p>The SHA-256 values are those of the raw (uncompressed) files; a {@code .gz} copy is checked
 * by hashing what it decompresses to, so both forms are held to the same standard.
 */
public enum MnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", IdxFiles.IMAGES_MAGIC, MnistShape.TRAIN_IMAGES,
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    TRAIN_LABELS("train-labels-idx1-ubyte", IdxFiles.LABELS_MAGIC, MnistShape.TRAIN_IMAGES,
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    TEST_IMAGES("t10k-images-idx3-ubyte", IdxFiles.IMAGES_MAGIC, MnistShape.TEST_IMAGES,
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    TEST_LABELS("t10k-labels-idx1-ubyte", IdxFiles.LABELS_MAGIC, MnistShape.TEST_IMAGES,
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private final String fileName;
    private final int magic;
    private final int count;
    private final String sha256;

    MnistFile(String fileName, int magic, int count, String sha256) {
        this.fileName = fileName;
        this.magic = magic;
        this.count = count;
        this.sha256 = sha256;
    }

    /** The raw file's name, e.g. {@code train-images-idx3-ubyte}. */
    public String fileName() {
        return fileName;
    }

    /** The name of the gzipped form, as TF's mirrors serve it. */
    public String gzName() {
        return fileName + ".gz";
    }

    /** {@link IdxFiles#IMAGES_MAGIC} or {@link IdxFiles#LABELS_MAGIC}. */
    public int magic() {
        return magic;
    }

    public boolean isImages() {
        return magic == IdxFiles.IMAGES_MAGIC;
    }

    /** How many examples the canonical file holds. */
    public int count() {
        return count;
    }

    /** Canonical SHA-256 of the raw file, lower-case hex (SPEC §1). */
    public String sha256() {
        return sha256;
    }

    /** Size in bytes of the raw canonical file: header plus one item per example. */
    public long rawSize() {
        return isImages() ? IdxFiles.IMAGES_HEADER_BYTES + (long) count * MnistShape.PIXELS
                : IdxFiles.LABELS_HEADER_BYTES + count;
    }

    /** The raw file in {@code dir}. */
    public Path rawPath(Path dir) {
        return dir.resolve(fileName);
    }

    /** The gzipped file in {@code dir}. */
    public Path gzPath(Path dir) {
        return dir.resolve(gzName());
    }

    /**
     * The copy of this file present in {@code dir}: the raw file when there is one (it is faster to
     * read), otherwise the {@code .gz}; empty when neither exists.
     */
    public Optional<Path> find(Path dir) {
        Path raw = rawPath(dir);
        if (Files.isRegularFile(raw)) {
            return Optional.of(raw);
        }
        Path gz = gzPath(dir);
        return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
    }
}
