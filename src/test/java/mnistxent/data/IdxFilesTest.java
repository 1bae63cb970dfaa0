package mnistxent.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void readsRawImagesAndLabelsAndRanges() throws Exception {
        byte[] pixels = IdxTestFiles.randomPixels(5, 1);
        byte[] labels = {3, 1, 4, 1, 5};
        Path img = write("img", IdxTestFiles.images(pixels));
        Path lab = write("lab", IdxTestFiles.labels(labels));

        IdxFiles.Header h = IdxFiles.readHeader(img);
        assertTrue(h.isImages());
        assertEquals(5, h.count());
        assertEquals(16 + 5 * 784, h.totalBytes());

        assertArrayEquals(pixels, IdxFiles.readItems(img, IdxFiles.IMAGES_MAGIC, 0, -1));
        assertArrayEquals(Arrays.copyOfRange(pixels, 2 * 784, 4 * 784), IdxFiles.readItems(img, IdxFiles.IMAGES_MAGIC, 2, 2));
        assertArrayEquals(labels, IdxFiles.readItems(lab, IdxFiles.LABELS_MAGIC, 0, -1));
        assertArrayEquals(new byte[] {1, 5}, IdxFiles.readItems(lab, IdxFiles.LABELS_MAGIC, 3, -1));
    }

    @Test
    void readsGzippedFilesByContentNotName() throws Exception {
        byte[] pixels = IdxTestFiles.randomPixels(3, 2);
        Path img = write("images-without-gz-suffix", IdxTestFiles.gzip(IdxTestFiles.images(pixels)));
        assertTrue(IdxFiles.isGzip(img));
        assertArrayEquals(pixels, IdxFiles.readItems(img, IdxFiles.IMAGES_MAGIC, 0, -1));
        assertArrayEquals(Arrays.copyOfRange(pixels, 784, 3 * 784), IdxFiles.readItems(img, IdxFiles.IMAGES_MAGIC, 1, 2));
    }

    @Test
    void rejectsAWrongMagicNumber() throws Exception {
        Path p = write("bad", IdxTestFiles.images(1234, 1, 28, 28, new byte[784]));
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readHeader(p));
        assertTrue(e.getMessage().contains("not an MNIST IDX file (magic number 1234"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    }

    @Test
    void rejectsALabelFileWhereImagesAreNeeded() throws Exception {
        Path p = write("labels", IdxTestFiles.labels(new byte[] {1, 2}));
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readItems(p, IdxFiles.IMAGES_MAGIC, 0, -1));
        assertTrue(e.getMessage().contains("is an IDX label file (magic 2049) where an IDX image file (magic 2051) is needed"),
                e.getMessage());
    }

    @Test
    void rejectsImagesThatAreNot28x28() throws Exception {
        Path p = write("small", IdxTestFiles.images(IdxFiles.IMAGES_MAGIC, 1, 14, 56, new byte[784]));
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readHeader(p));
        assertTrue(e.getMessage().contains("images are 14x56, MNIST images are 28x28"), e.getMessage());
    }

    @Test
    void rejectsATruncatedHeader() throws Exception {
        Path p = write("short", new byte[] {0, 0, 8, 3, 0, 0});
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readHeader(p));
        assertTrue(e.getMessage().contains("truncated IDX header (6 bytes"), e.getMessage());

        byte[] full = IdxTestFiles.images(new byte[784]);
        Path q = write("short-image-header", Arrays.copyOf(full, 12));
        e = assertThrows(DataException.class, () -> IdxFiles.readHeader(q));
        assertTrue(e.getMessage().contains("truncated IDX image header (12 bytes of 16)"), e.getMessage());
    }

    @Test
    void rejectsTruncatedDataRawAndGzipped() throws Exception {
        byte[] full = IdxTestFiles.images(IdxTestFiles.randomPixels(4, 3));
        byte[] cut = Arrays.copyOf(full, full.length - 100);
        Path raw = write("cut", cut);
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readItems(raw, IdxFiles.IMAGES_MAGIC, 0, 1));
        assertTrue(e.getMessage().contains("truncated: its header announces 4 images (3152 bytes) but the file has 3052"),
                e.getMessage());
        assertEquals(DataException.Remedy.REFETCH, e.remedy());

        Path gz = write("cut.gz", IdxTestFiles.gzip(cut));
        e = assertThrows(DataException.class, () -> IdxFiles.readItems(gz, IdxFiles.IMAGES_MAGIC, 0, -1));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] gzFull = IdxTestFiles.gzip(full);
        Path gzCut = write("gzcut.gz", Arrays.copyOf(gzFull, gzFull.length / 2));
        e = assertThrows(DataException.class, () -> IdxFiles.readItems(gzCut, IdxFiles.IMAGES_MAGIC, 0, -1));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsBytesAfterTheLastItem() throws Exception {
        byte[] full = IdxTestFiles.labels(new byte[] {1, 2, 3});
        Path p = write("long", Arrays.copyOf(full, full.length + 2));
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readItems(p, IdxFiles.LABELS_MAGIC, 0, -1));
        assertTrue(e.getMessage().contains("2 bytes after the last of its 3 labels"), e.getMessage());

        Path gz = write("long.gz", IdxTestFiles.gzip(Arrays.copyOf(full, full.length + 2)));
        e = assertThrows(DataException.class, () -> IdxFiles.readItems(gz, IdxFiles.LABELS_MAGIC, 0, -1));
        assertTrue(e.getMessage().contains("more data than its header announces"), e.getMessage());
    }

    @Test
    void rejectsLabelsThatAreNotDigits() throws Exception {
        Path p = write("labels", IdxTestFiles.labels(new byte[] {1, 12, 3}));
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readItems(p, IdxFiles.LABELS_MAGIC, 0, -1));
        assertTrue(e.getMessage().contains("label 12 of example 1 is not a digit 0-9"), e.getMessage());
    }

    @Test
    void reportsAMissingFileAsOneToFetch() {
        Path p = dir.resolve("nope");
        DataException e = assertThrows(DataException.class, () -> IdxFiles.readHeader(p));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertEquals(DataException.Remedy.FETCH, e.remedy());
    }

    @Test
    void rejectsARangeOutsideTheFile() throws Exception {
        Path p = write("labels", IdxTestFiles.labels(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> IdxFiles.readItems(p, IdxFiles.LABELS_MAGIC, 2, 2));
    }
}
