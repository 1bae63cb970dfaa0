package mnistxent.data;

import mnistxent.random.SeededRandom;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TfBatcherTest {

    /**
     * TF 1.1's next_batch transcribed literally: data arrays reordered by perm = shuffle(arange(n)),
     * with the same random stream. TfBatcher shuffles its order in place instead; this checks that
     * the two are the same thing, batch for batch.
     */
    static final class LiteralTfNextBatch {
        int[] data;               // "self._images": here, the global indices themselves
        int indexInEpoch;
        int epochsCompleted;
        final SeededRandom rng;

        LiteralTfNextBatch(int poolStart, int n, long seed) {
            data = new int[n];
            for (int i = 0; i < n; i++) {
                data[i] = poolStart + i;
            }
            rng = new SeededRandom(seed);
        }

        private void reorder() {
            int[] perm = new int[data.length];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i;
            }
            rng.shuffle(perm);
            int[] reordered = new int[data.length];
            for (int i = 0; i < perm.length; i++) {
                reordered[i] = data[perm[i]];
            }
            data = reordered;
        }

        int[] nextBatch(int batchSize) {
            int n = data.length;
            int start = indexInEpoch;
            if (epochsCompleted == 0 && start == 0) {
                reorder();
            }
            if (start + batchSize > n) {
                epochsCompleted++;
                int rest = n - start;
                int[] restPart = Arrays.copyOfRange(data, start, n);
                reorder();
                start = 0;
                indexInEpoch = batchSize - rest;
                int[] newPart = Arrays.copyOfRange(data, 0, indexInEpoch);
                int[] out = Arrays.copyOf(restPart, batchSize);
                System.arraycopy(newPart, 0, out, rest, newPart.length);
                return out;
            }
            indexInEpoch += batchSize;
            return Arrays.copyOfRange(data, start, indexInEpoch);
        }
    }

    @Test
    void matchesALiteralTranscriptionOfTfNextBatch() {
        for (int[] c : new int[][] {{0, 23, 10}, {5, 20, 10}, {100, 55, 7}, {0, 10, 10}, {3, 9, 1}}) {
            TfBatcher b = new TfBatcher(c[0], c[1], c[2], 42);
            LiteralTfNextBatch tf = new LiteralTfNextBatch(c[0], c[1], 42);
            for (int step = 0; step < 100; step++) {
                assertArrayEquals(tf.nextBatch(c[2]), b.next(), "pool " + Arrays.toString(c) + ", step " + step);
                assertEquals(tf.epochsCompleted, b.epochsCompleted());
            }
        }
    }

    @Test
    void everyExampleExactlyOncePerPassWhenTheBatchDividesThePool() {
        TfBatcher b = new TfBatcher(5000, 50, 10, 1);
        for (int pass = 0; pass < 4; pass++) {
            Set<Integer> seen = new HashSet<>();
            for (int k = 0; k < 5; k++) {
                for (int i : b.next()) {
                    assertTrue(i >= 5000 && i < 5050, "global index in the pool: " + i);
                    assertTrue(seen.add(i), "seen twice in pass " + pass + ": " + i);
                }
            }
            assertEquals(50, seen.size());
        }
    }

    @Test
    void aBatchStraddlesTwoPassesWhenThePoolIsNotDivisibleByTheBatch() {
        int n = 23;
        TfBatcher b = new TfBatcher(100, n, 10, 7);
        List<Integer> firstPass = new ArrayList<>();
        for (int i : b.next()) {
            firstPass.add(i);
        }
        for (int i : b.next()) {
            firstPass.add(i);
        }
        assertEquals(0, b.epochsCompleted());
        int[] straddle = b.next();
        assertEquals(1, b.epochsCompleted());
        // The first 3 are the rest of pass 1: exactly the 3 examples not yet seen.
        Set<Integer> all = new HashSet<>(firstPass);
        for (int k = 0; k < 3; k++) {
            assertFalse(all.contains(straddle[k]), "rest of pass 1 must be unseen: " + straddle[k]);
            all.add(straddle[k]);
        }
        assertEquals(n, all.size(), "pass 1 covers the pool exactly once");
        // The other 7 start pass 2: distinct, and pass 2 (7 + 10 + 6 of the next batch) covers the pool once.
        Set<Integer> pass2 = new HashSet<>();
        for (int k = 3; k < 10; k++) {
            assertTrue(pass2.add(straddle[k]));
        }
        int[] next = b.next();
        for (int i : next) {
            assertTrue(pass2.add(i));
        }
        int[] third = b.next(); // 6 more complete pass 2 (7 + 10 + 6 = 23), then 4 from pass 3
        for (int k = 0; k < 6; k++) {
            assertTrue(pass2.add(third[k]), "pass 2 repeats " + third[k]);
        }
        assertEquals(n, pass2.size());
        assertEquals(2, b.epochsCompleted());
    }

    @Test
    void whenTheBatchEndsExactlyAtThePoolEndTheReshuffleWaitsForTheNextCall() {
        TfBatcher b = new TfBatcher(0, 20, 10, 3);
        b.next();
        b.next(); // the tail of pass 1: position == n, no reshuffle yet
        assertEquals(0, b.epochsCompleted());
        assertEquals(20, b.state().position());
        b.next(); // start + batch > n with rest = 0: reshuffle now, take 10 of the new order
        assertEquals(1, b.epochsCompleted());
        assertEquals(10, b.state().position());
    }

    @Test
    void theFirstCallShuffles() {
        TfBatcher b = new TfBatcher(0, 1000, 1000, 11);
        int[] first = b.next();
        int[] identity = new int[1000];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(identity, first), "the first batch is in shuffled order");
        int[] sorted = first.clone();
        Arrays.sort(sorted);
        assertArrayEquals(identity, sorted);
    }

    @Test
    void sameSeedSameOrderDifferentSeedsDiffer() {
        TfBatcher a = new TfBatcher(5, 100, 10, 123);
        TfBatcher b = new TfBatcher(5, 100, 10, 123);
        TfBatcher c = new TfBatcher(5, 100, 10, 124);
        boolean differs = false;
        for (int i = 0; i < 50; i++) {
            int[] x = a.next();
            assertArrayEquals(x, b.next());
            differs |= !Arrays.equals(x, c.next());
        }
        assertTrue(differs);
    }

    @Test
    void saveAndRestoreContinuesIdenticallyAtEveryPoint() {
        TfBatcher reference = new TfBatcher(50, 23, 10, 99);
        List<TfBatcher.State> states = new ArrayList<>();
        List<int[]> batches = new ArrayList<>();
        states.add(reference.state()); // before the first shuffle
        for (int i = 0; i < 30; i++) {
            batches.add(reference.next());
            states.add(reference.state());
        }
        for (int at = 0; at < states.size() - 1; at++) {
            TfBatcher restored = TfBatcher.restore(states.get(at));
            assertEquals(states.get(at), restored.state());
            for (int k = at; k < batches.size(); k++) {
                assertArrayEquals(batches.get(k), restored.next(), "restored at " + at + ", batch " + k);
            }
        }
    }

    @Test
    void stateIsASnapshotNotAView() {
        TfBatcher b = new TfBatcher(0, 30, 10, 5);
        b.next();
        TfBatcher.State s = b.state();
        int[] order = s.order();
        b.next();
        b.next();
        b.next();
        assertArrayEquals(order, s.order());
        order[0] = -5; // mutating the copy we got does not change the state either
        assertNotEquals(-5, s.order()[0]);
        assertEquals(10, s.position());
    }

    @Test
    void nextIntoTheCallersArrayMatchesNext() {
        TfBatcher a = new TfBatcher(0, 37, 8, 17);
        TfBatcher b = new TfBatcher(0, 37, 8, 17);
        int[] buf = new int[8];
        for (int i = 0; i < 40; i++) {
            b.next(buf);
            assertArrayEquals(a.next(), buf);
        }
    }

    @Test
    void forTrainingUsesTheImagesAfterTheValidationSet() {
        TfBatcher b = TfBatcher.forTraining(60_000, 5_000, 10, 1);
        assertEquals(5_000, b.poolStart());
        assertEquals(55_000, b.poolSize());
        for (int k = 0; k < 100; k++) {
            for (int i : b.next()) {
                assertTrue(i >= 5_000 && i < 60_000);
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new TfBatcher(0, 10, 11, 1));
        assertThrows(IllegalArgumentException.class, () -> new TfBatcher(0, 10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TfBatcher(-1, 10, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> new TfBatcher(0, 0, 1, 1));
        TfBatcher.State s = new TfBatcher(0, 4, 2, 1).state();
        assertThrows(IllegalArgumentException.class, () -> new TfBatcher.State(0, 2, new int[] {0, 1, 1, 3}, 0, 0,
                false, s.random()));
    }
}
