package mnistxent.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TfBatchIteratorTest {

    private final IdxTestFiles.FakeMnist fake = new IdxTestFiles.FakeMnist(40, 3, 21);
    private final MnistData data = MnistData.of(fake.trainPixels, fake.trainLabels, fake.testPixels, fake.testLabels);

    /** Checks that {@code ds} holds exactly the training examples {@code indices}, TF-scaled and one-hot. */
    private void assertBatch(int[] indices, DataSet ds) {
        assertEquals(DataType.FLOAT, ds.getFeatures().dataType());
        assertEquals(DataType.FLOAT, ds.getLabels().dataType());
        assertArrayEquals(new long[] {indices.length, 784}, ds.getFeatures().shape());
        assertArrayEquals(new long[] {indices.length, 10}, ds.getLabels().shape());
        float[] f = ds.getFeatures().ravel().toFloatVector();
        float[] l = ds.getLabels().ravel().toFloatVector();
        for (int k = 0; k < indices.length; k++) {
            for (int p = 0; p < 784; p++) {
                assertEquals(TfPixels.scale(fake.trainPixels[indices[k] * 784 + p]), f[k * 784 + p]);
            }
            for (int c = 0; c < 10; c++) {
                assertEquals(c == fake.trainLabels[indices[k]] ? 1f : 0f, l[k * 10 + c]);
            }
        }
    }

    @Test
    void yieldsStepsPerEpochBatchesOfTheBatchersIndices() {
        TfBatcher twin = new TfBatcher(8, 32, 10, 77);
        TfBatchIterator it = new TfBatchIterator(data, new TfBatcher(8, 32, 10, 77), 5);
        for (int step = 0; step < 5; step++) {
            assertTrue(it.hasNext());
            assertBatch(twin.next(), it.next());
        }
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void resetStartsTheNextEpochWithoutResettingTheBatcher() {
        TfBatcher twin = new TfBatcher(8, 32, 10, 5);
        TfBatchIterator it = new TfBatchIterator(data, new TfBatcher(8, 32, 10, 5), 3);
        for (int epoch = 0; epoch < 4; epoch++) {
            it.reset();
            int steps = 0;
            while (it.hasNext()) {
                assertBatch(twin.next(), it.next()); // 3 steps of 10 over a pool of 32: passes straddle epochs
                steps++;
            }
            assertEquals(3, steps);
        }
        assertEquals(twin.state(), it.batcher().state());
    }

    @Test
    void resumesMidEpochFromASavedBatcher() {
        TfBatchIterator a = new TfBatchIterator(data, new TfBatcher(0, 40, 7, 9), 4);
        a.next();
        a.next();
        TfBatcher.State saved = a.batcher().state();
        TfBatchIterator b = new TfBatchIterator(data, TfBatcher.restore(saved), 4, a.stepInEpoch());
        while (a.hasNext()) {
            assertTrue(b.hasNext());
            DataSet x = a.next();
            DataSet y = b.next();
            assertEquals(x.getFeatures(), y.getFeatures());
            assertEquals(x.getLabels(), y.getLabels());
        }
        assertFalse(b.hasNext());
    }

    @Test
    void describesItselfToDl4j() {
        TfBatchIterator it = new TfBatchIterator(data, new TfBatcher(0, 40, 10, 1), 2);
        assertFalse(it.asyncSupported(), "DL4J's prefetch would run the batcher ahead of training");
        assertTrue(it.resetSupported());
        assertEquals(10, it.batch());
        assertEquals(784, it.inputColumns());
        assertEquals(10, it.totalOutcomes());
        assertEquals(10, it.getLabels().size());
    }

    @Test
    void appliesAPreProcessor() {
        TfBatchIterator it = new TfBatchIterator(data, new TfBatcher(0, 40, 4, 1), 2);
        it.setPreProcessor(ds -> ds.setFeatures(ds.getFeatures().mul(0)));
        assertEquals(0.0, it.next().getFeatures().sumNumber().doubleValue());
    }

    @Test
    void rejectsAPoolBeyondTheData() {
        assertThrows(IllegalArgumentException.class, () -> new TfBatchIterator(data, new TfBatcher(10, 31, 10, 1), 5));
    }
}
