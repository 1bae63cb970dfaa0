package mnistxent.data;

import mnistxent.config.MnistShape;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;

/**
 * The evaluation sets as DL4J {@link DataSet}s built THROUGH DataVec: an {@link IdxRecordReader} read
 * by a stock {@link RecordReaderDataSetIterator} (label at index 1, 10 classes, so one-hot labels).
 * This is how the application feeds DL4J's evaluation: the same reader any DataVec pipeline would use.
 *
 * <p>Features are {@code [n, 784]} float32 with TF's scaling, labels {@code [n, 10]} float32 one-hot
 * (docs/SPEC.md §1). The files are checked (hashes, through the verified marker) before use.
 */
public final class MnistDataVec {

    private MnistDataVec() {
    }

    /** A reader of the 10,000 test images (t10k). */
    public static IdxRecordReader testReader(Path dir) {
        MnistVerifier.canonical().requireAll(dir);
        return IdxRecordReader.open(path(dir, MnistFile.TEST_IMAGES), path(dir, MnistFile.TEST_LABELS));
    }

    /** A reader of the validation images: the first {@code validationSize} training images (SPEC §1). */
    public static IdxRecordReader validationReader(Path dir, int validationSize) {
        if (validationSize < 1 || validationSize > MnistFile.TRAIN_IMAGES.count()) {
            throw new IllegalArgumentException("validationSize must be 1.." + MnistFile.TRAIN_IMAGES.count()
                    + " for a validation set, got " + validationSize);
        }
        MnistVerifier.canonical().requireAll(dir);
        return IdxRecordReader.open(path(dir, MnistFile.TRAIN_IMAGES), path(dir, MnistFile.TRAIN_LABELS),
                0, validationSize);
    }

    /** The 10,000 test images as one DataSet. */
    public static DataSet testSet(Path dir) {
        return asOneDataSet(testReader(dir));
    }

    /** The {@code validationSize} validation images as one DataSet. */
    public static DataSet validationSet(Path dir, int validationSize) {
        return asOneDataSet(validationReader(dir, validationSize));
    }

    /** Everything {@code reader} holds, as one DataSet, via {@link RecordReaderDataSetIterator}. */
    public static DataSet asOneDataSet(IdxRecordReader reader) {
        try {
            RecordReaderDataSetIterator it =
                    new RecordReaderDataSetIterator(reader, reader.size(), 1, MnistShape.CLASSES);
            return it.next();
        } finally {
            reader.close();
        }
    }

    private static Path path(Path dir, MnistFile f) {
        return f.find(dir).orElse(f.rawPath(dir));
    }
}
