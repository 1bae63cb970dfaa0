package mnistxent.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDataTest {

    @TempDir
    Path dir;

    @Test
    void readsAllFourFilesInFileOrder() throws Exception {
        IdxTestFiles.FakeMnist fake = new IdxTestFiles.FakeMnist(7, 4, 3);
        fake.writeRaw(dir);
        MnistData d = MnistData.read(dir);
        assertEquals(7, d.trainImageCount());
        assertEquals(4, d.testImageCount());
        assertArrayEquals(fake.trainPixels, d.trainPixels());
        assertArrayEquals(fake.trainLabels, d.trainLabels());
        assertArrayEquals(fake.testPixels, d.testPixels());
        assertArrayEquals(fake.testLabels, d.testLabels());
        assertEquals(fake.trainLabels[6], d.trainLabel(6));
        assertEquals(fake.testLabels[3], d.testLabel(3));
    }

    @Test
    void readsGzippedFilesToo() throws Exception {
        IdxTestFiles.FakeMnist fake = new IdxTestFiles.FakeMnist(2, 2, 4);
        fake.writeGz(dir);
        assertArrayEquals(fake.trainPixels, MnistData.read(dir).trainPixels());
    }

    @Test
    void copiesScaledPixelsOfOneImage() {
        byte[] train = IdxTestFiles.randomPixels(3, 8);
        MnistData d = MnistData.of(train, new byte[] {1, 2, 3}, new byte[784], new byte[] {0});
        float[] dst = new float[2 + 784];
        d.copyScaledPixels(2, dst, 2);
        for (int i = 0; i < 784; i++) {
            assertEquals(TfPixels.scale(train[2 * 784 + i]), dst[2 + i]);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> d.copyScaledPixels(3, dst, 0));
        float[] t = new float[784];
        d.copyScaledTestPixels(0, t, 0);
        assertEquals(0f, t[783]);
    }

    @Test
    void rejectsInconsistentArrays() {
        assertThrows(IllegalArgumentException.class, () -> MnistData.of(new byte[784], new byte[2], new byte[0], new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> MnistData.of(new byte[784], new byte[] {10}, new byte[0], new byte[0]));
    }

    @Test
    void imageAndLabelCountsMustAgree() throws Exception {
        IdxTestFiles.FakeMnist fake = new IdxTestFiles.FakeMnist(3, 2, 5);
        fake.writeRaw(dir);
        Files.write(MnistFile.TEST_LABELS.rawPath(dir), IdxTestFiles.labels(new byte[] {1, 2, 3}));
        DataException e = assertThrows(DataException.class, () -> MnistData.read(dir));
        assertTrue(e.getMessage().contains("has 2 images but") && e.getMessage().contains("has 3 labels"), e.getMessage());
    }

    @Test
    void loadInsistsOnTheCanonicalFiles() throws Exception {
        new IdxTestFiles.FakeMnist(3, 2, 6).writeRaw(dir);
        DataException e = assertThrows(DataException.class, () -> MnistData.load(dir));
        assertTrue(e.getMessage().contains("is corrupt or incomplete") && e.getMessage().contains(MnistFile.TRAIN_IMAGES.sha256()),
                e.getMessage());
        DataException missing = assertThrows(DataException.class, () -> MnistData.load(dir.resolve("empty")));
        assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
    }
}
