package mnistxent.data;

import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxRecordReaderTest {

    @TempDir
    Path dir;

    private byte[] pixels;
    private byte[] labels;
    private Path images;
    private Path labelFile;

    @BeforeEach
    void setUp() throws Exception {
        pixels = IdxTestFiles.randomPixels(25, 11);
        labels = IdxTestFiles.randomLabels(25, 12);
        images = dir.resolve("images");
        labelFile = dir.resolve("labels.gz");
        Files.write(images, IdxTestFiles.images(pixels));
        Files.write(labelFile, IdxTestFiles.gzip(IdxTestFiles.labels(labels)));
    }

    private void assertImage(int example, float[] row) {
        assertEquals(784, row.length);
        for (int i = 0; i < 784; i++) {
            assertEquals(TfPixels.scale(pixels[example * 784 + i]), row[i], "example " + example + " pixel " + i);
        }
    }

    @Test
    void recordsAreTfScaledPixelsAndAnIntLabel() {
        IdxRecordReader r = IdxRecordReader.open(images, labelFile);
        assertEquals(25, r.size());
        for (int k = 0; k < 25; k++) {
            assertTrue(r.hasNext());
            List<Writable> rec = r.next();
            assertEquals(2, rec.size());
            INDArray row = assertInstanceOf(NDArrayWritable.class, rec.get(0)).get();
            assertEquals(DataType.FLOAT, row.dataType());
            assertArrayEquals(new long[] {1, 784}, row.shape());
            assertImage(k, row.toFloatVector());
            assertEquals(labels[k], assertInstanceOf(IntWritable.class, rec.get(1)).get());
        }
        assertFalse(r.hasNext());
        r.reset();
        assertTrue(r.hasNext());
        assertEquals(labels[0], r.next().get(1).toInt());
    }

    @Test
    void aRangeReadsOnlyThoseExamples() {
        IdxRecordReader r = IdxRecordReader.open(images, labelFile, 5, 10);
        assertEquals(10, r.size());
        Record first = r.nextRecord();
        assertEquals(5, ((RecordMetaDataIndex) first.getMetaData()).getIndex());
        assertImage(5, ((NDArrayWritable) first.getRecord().get(0)).get().toFloatVector());
        Record again = r.loadFromMetaData(first.getMetaData());
        assertEquals(first.getRecord().get(1), again.getRecord().get(1));
        int n = 1;
        while (r.hasNext()) {
            r.next();
            n++;
        }
        assertEquals(10, n);
        assertThrows(IllegalArgumentException.class, () -> IdxRecordReader.open(images, labelFile, 20, 10));
    }

    @Test
    void recordReaderDataSetIteratorGivesTfFeaturesAndOneHotLabels() {
        RecordReaderDataSetIterator it = new RecordReaderDataSetIterator(IdxRecordReader.open(images, labelFile), 10, 1, 10);
        int seen = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            INDArray f = ds.getFeatures();
            INDArray l = ds.getLabels();
            int n = (int) f.size(0);
            assertEquals(DataType.FLOAT, f.dataType());
            assertEquals(DataType.FLOAT, l.dataType());
            assertArrayEquals(new long[] {n, 784}, f.shape());
            assertArrayEquals(new long[] {n, 10}, l.shape());
            for (int i = 0; i < n; i++) {
                assertImage(seen + i, f.getRow(i).toFloatVector());
                float[] oneHot = new float[10];
                oneHot[labels[seen + i]] = 1f;
                assertArrayEquals(oneHot, l.getRow(i).toFloatVector());
            }
            seen += n;
        }
        assertEquals(25, seen, "10 + 10 + 5");
    }

    @Test
    void theBatchedAndRecordByRecordPathsAgree() {
        // collectMetaData makes DL4J read record by record instead of calling next(int).
        RecordReaderDataSetIterator batched = new RecordReaderDataSetIterator(IdxRecordReader.open(images, labelFile), 25, 1, 10);
        RecordReaderDataSetIterator single = new RecordReaderDataSetIterator(IdxRecordReader.open(images, labelFile), 25, 1, 10);
        single.setCollectMetaData(true);
        DataSet a = batched.next();
        DataSet b = single.next();
        assertEquals(a.getFeatures(), b.getFeatures());
        assertEquals(a.getLabels(), b.getLabels());
        assertEquals(DataType.FLOAT, b.getFeatures().dataType());
    }

    @Test
    void theSplitMayNameTheFilesInEitherOrder() throws Exception {
        IdxRecordReader r = new IdxRecordReader();
        r.initialize(new CollectionInputSplit(List.of(labelFile.toUri(), images.toUri())));
        assertEquals(labels[0], r.next().get(1).toInt());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), r.getLabels());
    }

    @Test
    void countsMustAgree() throws Exception {
        Path fewer = dir.resolve("fewer");
        Files.write(fewer, IdxTestFiles.labels(Arrays.copyOf(labels, 24)));
        DataException e = assertThrows(DataException.class, () -> IdxRecordReader.open(images, fewer));
        assertTrue(e.getMessage().contains("has 25 images but") && e.getMessage().contains("has 24 labels"), e.getMessage());
    }

    @Test
    void twoImageFilesOrSwappedRolesAreRejected() {
        DataException e = assertThrows(DataException.class, () ->
                new IdxRecordReader().initialize(new CollectionInputSplit(List.of(images.toUri(), images.toUri()))));
        assertTrue(e.getMessage().contains("are both IDX image files"), e.getMessage());
        e = assertThrows(DataException.class, () -> IdxRecordReader.open(labelFile, images));
        assertTrue(e.getMessage().contains("is an IDX label file"), e.getMessage());
    }

    @Test
    void aTruncatedImageFileIsReportedByName() throws Exception {
        byte[] full = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(full, full.length - 784));
        DataException e = assertThrows(DataException.class, () -> IdxRecordReader.open(images, labelFile));
        assertTrue(e.getMessage().startsWith(images + ": truncated"), e.getMessage());
    }

    @Test
    void aBadHeaderIsReportedByName() throws Exception {
        Files.write(images, IdxTestFiles.images(2052, 25, 28, 28, pixels));
        DataException e = assertThrows(DataException.class, () -> IdxRecordReader.open(images, labelFile));
        assertTrue(e.getMessage().startsWith(images + ": not an MNIST IDX file (magic number 2052"), e.getMessage());
    }

    @Test
    void asOneDataSetReadsEverythingThroughDataVec() {
        DataSet ds = MnistDataVec.asOneDataSet(IdxRecordReader.open(images, labelFile, 3, 20));
        assertArrayEquals(new long[] {20, 784}, ds.getFeatures().shape());
        assertArrayEquals(new long[] {20, 10}, ds.getLabels().shape());
        assertImage(3, ds.getFeatures().getRow(0).toFloatVector());
        assertImage(22, ds.getFeatures().getRow(19).toFloatVector());
        assertEquals(labels[22], ds.getLabels().getRow(19).argMax().getInt(0));
    }
}
