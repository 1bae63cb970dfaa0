package mnistxent.data;

import mnistxent.config.MnistShape;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.datavec.api.writable.batch.NDArrayRecordBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A DataVec {@code RecordReader} over an MNIST IDX pair: an image file and its label file (raw or
 * gzipped), optionally only a contiguous range of examples (e.g. the 5,000 validation images).
 *
 * <p>Each record is {@code [NDArrayWritable(1x784 float32 pixels), IntWritable(label)]}, the pixels
 * scaled exactly as TF scales them ({@link TfPixels}, docs/SPEC.md §1), so that
 * {@code new RecordReaderDataSetIterator(reader, batchSize, 1, 10)} yields TF's features and one-hot
 * labels. {@link #batchesSupported()} is true: {@link #next(int)} builds the whole batch as two arrays
 * at once ({@code [n,784]} pixels and {@code [n,1]} labels, which DL4J turns into one-hot), so a
 * 10,000-image DataSet takes milliseconds instead of 10,000 small copies.
 *
 * <p>The split given to {@link #initialize(InputSplit)} must hold the two files, in either order:
 * which one is the image file is read from the headers (magic 2051 vs 2049). The headers are checked
 * (28x28, counts that agree) and a truncated file is reported by name ({@link IdxFiles}).
 */
public final class IdxRecordReader extends BaseRecordReader {

    private static final long serialVersionUID = 1L;
    private static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final int rangeStart;
    private final int rangeCount;
    private Configuration conf;
    private URI imagesUri;
    private int start;
    private byte[] pixels;
    private byte[] labels;
    private int position;

    /** A reader of all examples; call {@link #initialize(InputSplit)} with the image and label files. */
    public IdxRecordReader() {
        this(0, -1);
    }

    /**
     * A reader of examples {@code [start, start + count)} only.
     *
     * @param count how many, or -1 for all from {@code start} to the end of the files
     */
    public IdxRecordReader(int start, int count) {
        if (start < 0 || count < -1) {
            throw new IllegalArgumentException("bad range: start " + start + ", count " + count);
        }
        this.rangeStart = start;
        this.rangeCount = count;
    }

    /** A reader of the whole pair, ready to use. */
    public static IdxRecordReader open(Path images, Path labels) {
        return open(images, labels, 0, -1);
    }

    /** A reader of examples {@code [start, start + count)} of the pair, ready to use. */
    public static IdxRecordReader open(Path images, Path labels, int start, int count) {
        IdxRecordReader r = new IdxRecordReader(start, count);
        r.initialize(images, labels);
        return r;
    }

    @Override
    public void initialize(InputSplit split) throws IOException, InterruptedException {
        super.initialize(split);
        URI[] locations = split.locations();
        if (locations == null || locations.length != 2) {
            throw new IllegalArgumentException("an IDX record reader needs exactly two files (images and labels), got "
                    + (locations == null ? 0 : locations.length));
        }
        Path a = Path.of(locations[0]);
        Path b = Path.of(locations[1]);
        boolean aIsImages = IdxFiles.readHeader(a).isImages();
        boolean bIsImages = IdxFiles.readHeader(b).isImages();
        if (aIsImages == bIsImages) {
            throw new DataException(a + " and " + b + " are both IDX " + (aIsImages ? "image" : "label")
                    + " files; an IDX record reader needs one image file and one label file");
        }
        initialize(aIsImages ? a : b, aIsImages ? b : a);
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) throws IOException, InterruptedException {
        setConf(conf);
        initialize(split);
    }

    private void initialize(Path imageFile, Path labelFile) {
        if (inputSplit == null) {
            inputSplit = new CollectionInputSplit(List.of(imageFile.toUri(), labelFile.toUri()));
        }
        IdxFiles.Header ih = IdxFiles.readHeader(imageFile);
        IdxFiles.Header lh = IdxFiles.readHeader(labelFile);
        if (!ih.isImages()) {
            throw new DataException(imageFile + ": is an IDX label file (magic " + ih.magic() + ") where an image file ("
                    + IdxFiles.IMAGES_MAGIC + ") is needed");
        }
        if (lh.isImages()) {
            throw new DataException(labelFile + ": is an IDX image file (magic " + lh.magic() + ") where a label file ("
                    + IdxFiles.LABELS_MAGIC + ") is needed");
        }
        if (ih.count() != lh.count()) {
            throw new DataException(imageFile + " has " + ih.count() + " images but " + labelFile + " has " + lh.count()
                    + " labels; the two files must come from the same set");
        }
        int count = rangeCount < 0 ? ih.count() - rangeStart : rangeCount;
        if (rangeStart > ih.count() || (long) rangeStart + count > ih.count()) {
            throw new IllegalArgumentException("examples [" + rangeStart + ", " + ((long) rangeStart + count)
                    + ") requested but " + imageFile + " holds " + ih.count());
        }
        this.labels = IdxFiles.readItems(labelFile, IdxFiles.LABELS_MAGIC, rangeStart, count);
        this.pixels = IdxFiles.readItems(imageFile, IdxFiles.IMAGES_MAGIC, rangeStart, count);
        this.imagesUri = imageFile.toUri();
        this.start = rangeStart;
        this.position = 0;
    }

    /** Number of examples this reader yields per pass. */
    public int size() {
        return labels == null ? 0 : labels.length;
    }

    @Override
    public boolean batchesSupported() {
        return true;
    }

    @Override
    @SuppressWarnings("try") // the workspace scope is used for its effect, not referenced
    public List<List<Writable>> next(int num) {
        checkInitialized();
        if (!hasNext()) {
            throw new NoSuchElementException("no more examples (" + labels.length + " read); call reset()");
        }
        int n = Math.min(num, labels.length - position);
        float[] f = new float[n * MnistShape.PIXELS];
        float[] l = new float[n];
        TfPixels.scale(pixels, position * MnistShape.PIXELS, f, 0, n * MnistShape.PIXELS);
        for (int i = 0; i < n; i++) {
            l[i] = labels[position + i];
        }
        position += n;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new NDArrayRecordBatch(
                    Nd4j.create(f, new long[] {n, MnistShape.PIXELS}, DataType.FLOAT),
                    Nd4j.create(l, new long[] {n, 1}, DataType.FLOAT));
        }
    }

    @Override
    public List<Writable> next() {
        checkInitialized();
        if (!hasNext()) {
            throw new NoSuchElementException("no more examples (" + labels.length + " read); call reset()");
        }
        List<Writable> record = record(position++);
        invokeListeners(record);
        return record;
    }

    /** The record of local example {@code i} of the range. */
    @SuppressWarnings("try") // the workspace scope is used for its effect, not referenced
    private List<Writable> record(int i) {
        float[] f = new float[MnistShape.PIXELS];
        TfPixels.scale(pixels, i * MnistShape.PIXELS, f, 0, MnistShape.PIXELS);
        INDArray row;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            row = Nd4j.create(f, new long[] {1, MnistShape.PIXELS}, DataType.FLOAT);
        }
        List<Writable> out = new ArrayList<>(2);
        out.add(new NDArrayWritable(row));
        out.add(new IntWritable(labels[i]));
        return out;
    }

    @Override
    public boolean hasNext() {
        return labels != null && position < labels.length;
    }

    @Override
    public List<String> getLabels() {
        return LABELS;
    }

    @Override
    public void reset() {
        position = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** Not supported: an IDX example lives in two files, so one stream cannot make a record. */
    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException("an IDX example is split over an image file and a label file;"
                + " initialize the reader with both instead");
    }

    /** The next record with its metadata: the example's index in the files (not in the range). */
    @Override
    public Record nextRecord() {
        int global = start + position;
        List<Writable> r = next();
        return new org.datavec.api.records.impl.Record(r, new RecordMetaDataIndex(global, imagesUri, IdxRecordReader.class));
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        checkInitialized();
        if (!(recordMetaData instanceof RecordMetaDataIndex m)) {
            throw new IllegalArgumentException("expected RecordMetaDataIndex, got " + recordMetaData);
        }
        long local = m.getIndex() - start;
        if (local < 0 || local >= labels.length) {
            throw new IllegalArgumentException("example " + m.getIndex() + " is outside this reader's range ["
                    + start + ", " + (start + labels.length) + ")");
        }
        return new org.datavec.api.records.impl.Record(record((int) local), recordMetaData);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        List<Record> out = new ArrayList<>(recordMetaDatas.size());
        for (RecordMetaData m : recordMetaDatas) {
            out.add(loadFromMetaData(m));
        }
        return out;
    }

    @Override
    public void close() {
        pixels = null;
        labels = null;
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    private void checkInitialized() {
        if (labels == null) {
            throw new IllegalStateException("the IDX record reader is not initialized (or was closed)");
        }
    }
}
