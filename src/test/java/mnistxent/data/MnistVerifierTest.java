package mnistxent.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistVerifierTest {

    @TempDir
    Path dir;

    private IdxTestFiles.FakeMnist fake;
    private MnistVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        fake = new IdxTestFiles.FakeMnist(3, 2, 1);
        verifier = fake.verifier();
    }

    @Test
    void allValidRawOrGzipped() throws Exception {
        fake.writeRaw(dir);
        assertTrue(verifier.checkAll(dir).stream().allMatch(FileStatus::isValid));
        Path gzDir = dir.resolve("gz");
        fake.writeGz(gzDir);
        List<FileStatus> gz = verifier.checkAll(gzDir);
        assertTrue(gz.stream().allMatch(FileStatus::isValid), gz.toString());
        assertTrue(gz.get(0).path().toString().endsWith(".gz"));
    }

    @Test
    void missingFilesAreMissing() {
        FileStatus s = verifier.check(dir, MnistFile.TEST_LABELS);
        assertEquals(FileStatus.State.MISSING, s.state());
        DataException e = assertThrows(DataException.class, () -> verifier.requireAll(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte (or train-images-idx3-ubyte.gz) is missing in " + dir),
                e.getMessage());
        assertEquals(DataException.Remedy.FETCH, e.remedy());
    }

    @Test
    void oneFlippedByteIsReportedWithBothHashesAsOneToRefetch() throws Exception {
        fake.writeRaw(dir);
        Path file = MnistFile.TRAIN_IMAGES.rawPath(dir);
        IdxTestFiles.flipOneByte(file, 100);
        String actual = IdxTestFiles.sha256(Files.readAllBytes(file));
        DataException e = assertThrows(DataException.class, () -> verifier.requireAll(dir));
        String m = e.getMessage();
        assertTrue(m.startsWith(file + " is corrupt or incomplete"), m);
        assertTrue(m.contains("SHA-256 " + actual + ", expected " + fake.hashes().get(MnistFile.TRAIN_IMAGES)), m);
        assertEquals(DataException.Remedy.REFETCH, e.remedy());
        assertFalse(m.contains("\n"));
    }

    @Test
    void aTruncatedFileSaysSo() throws Exception {
        fake.writeRaw(dir);
        Path file = MnistFile.TEST_IMAGES.rawPath(dir);
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, 1000));
        FileStatus s = verifier.check(dir, MnistFile.TEST_IMAGES);
        assertEquals(FileStatus.State.CORRUPT, s.state());
        assertTrue(s.problem().contains("truncated: 1000 bytes, expected " + b.length), s.problem());
    }

    @Test
    void aTruncatedGzipSaysSo() throws Exception {
        fake.writeGz(dir);
        Path gz = MnistFile.TEST_IMAGES.gzPath(dir);
        byte[] b = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(b, b.length / 2));
        FileStatus s = verifier.check(dir, MnistFile.TEST_IMAGES);
        assertEquals(FileStatus.State.CORRUPT, s.state());
        assertNull(s.actualSha());
        assertTrue(s.problem().contains("damaged or truncated gzip data"), s.problem());
    }

    @Test
    void anotherIdxFileSwappedInIsNamed() throws Exception {
        fake.writeRaw(dir);
        Files.copy(MnistFile.TEST_IMAGES.rawPath(dir), MnistFile.TRAIN_IMAGES.rawPath(dir),
                StandardCopyOption.REPLACE_EXISTING);
        FileStatus s = verifier.check(dir, MnistFile.TRAIN_IMAGES);
        assertEquals(FileStatus.State.CORRUPT, s.state());
        assertTrue(s.problem().contains("its content is t10k-images-idx3-ubyte"), s.problem());
    }

    @Test
    void loadingHashesTheBytesItReadsSoAFileChangedInPlaceIsCaught() throws Exception {
        fake.writeRaw(dir);
        MnistData first = MnistData.load(dir, verifier);
        assertEquals(3, first.trainImageCount());

        // Changed in place with its size and modification time kept: only its content tells.
        Path file = MnistFile.TRAIN_IMAGES.rawPath(dir);
        var mtime = Files.getLastModifiedTime(file);
        IdxTestFiles.flipOneByte(file, 20);
        Files.setLastModifiedTime(file, mtime);
        DataException e = assertThrows(DataException.class, () -> MnistData.load(dir, verifier));
        assertTrue(e.getMessage().contains(file + " is corrupt or incomplete: SHA-256 "), e.getMessage());
        assertEquals(DataException.Remedy.REFETCH, e.remedy());
        assertEquals(dir.toAbsolutePath().normalize(), e.directory());
        // And again: nothing remembers it as valid.
        assertThrows(DataException.class, () -> MnistData.load(dir, verifier));
        assertEquals(FileStatus.State.CORRUPT, verifier.check(dir, MnistFile.TRAIN_IMAGES).state());
    }

    @Test
    void aGzippedFileIsHashedByItsContentWhenLoaded() throws Exception {
        fake.writeGz(dir);
        assertEquals(2, MnistData.load(dir, verifier).testImageCount());
    }

    @Test
    void aDirectoryWhereAFileShouldBeIsSaidToBeOne() throws Exception {
        fake.writeRaw(dir);
        Files.delete(MnistFile.TEST_LABELS.rawPath(dir));
        Files.createDirectory(MnistFile.TEST_LABELS.rawPath(dir));
        DataException e = assertThrows(DataException.class, () -> MnistVerifier.missing(dir));
        assertTrue(e.getMessage().contains(MnistFile.TEST_LABELS.rawPath(dir) + " is a directory where the MNIST file "
                + "t10k-labels-idx1-ubyte should be"), e.getMessage());
        assertEquals(DataException.Remedy.NONE, e.remedy(), "fetching would not help: something is in the way");
        assertThrows(DataException.class, () -> MnistData.load(dir, verifier));
    }

    @Test
    void onlyTheAbsentFilesAreMissingAndNothingIsReadToFindThem() throws Exception {
        fake.writeRaw(dir);
        Files.delete(MnistFile.TEST_IMAGES.rawPath(dir));
        IdxTestFiles.flipOneByte(MnistFile.TRAIN_LABELS.rawPath(dir), 9);     // corrupt, but present
        assertEquals(java.util.Set.of(MnistFile.TEST_IMAGES), MnistVerifier.missing(dir));
    }
}
