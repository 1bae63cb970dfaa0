package mnistxent.tfref;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/SPEC.md §2: next_batch's passes are permutations, and a batch straddles two of them. */
class NextBatchTest {

    @Test
    void everyPassIsAPermutationAndTheStraddlingBatchJoinsTwo() {
        int n = 25;
        NextBatch batches = new NextBatch(n, new Random(7));
        int[] batch = new int[10];
        int[] stream = new int[10 * 10];
        for (int k = 0; k < 10; k++) {
            batches.next(batch);
            System.arraycopy(batch, 0, stream, k * 10, 10);
        }
        // 100 examples = 4 whole passes of 25; each must hold every index exactly once.
        for (int pass = 0; pass < 4; pass++) {
            boolean[] seen = new boolean[n];
            for (int i = pass * n; i < (pass + 1) * n; i++) {
                assertTrue(!seen[stream[i]], "index " + stream[i] + " twice in pass " + pass);
                seen[stream[i]] = true;
            }
        }
    }

    @Test
    void theFirstCallShufflesAndPassesDiffer() {
        int n = 1000;
        NextBatch batches = new NextBatch(n, new Random(11));
        int[] first = new int[n];
        int[] second = new int[n];
        batches.next(first);
        batches.next(second);
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        assertTrue(!java.util.Arrays.equals(first, identity), "the first pass is not shuffled");
        assertTrue(!java.util.Arrays.equals(first, second), "the second pass was not reshuffled");
    }

    @Test
    void sameSeedSameOrder() {
        int[] a = new int[10];
        int[] b = new int[10];
        NextBatch x = new NextBatch(55, new Random(3));
        NextBatch y = new NextBatch(55, new Random(3));
        for (int k = 0; k < 20; k++) {
            x.next(a);
            y.next(b);
            assertArrayEquals(a, b);
        }
    }
}
