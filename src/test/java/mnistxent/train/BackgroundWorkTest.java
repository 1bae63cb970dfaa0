package mnistxent.train;

import mnistxent.UserError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Per-epoch writes off the training thread: one at a time, in order, and a failure is not lost. */
class BackgroundWorkTest {

    @Test
    void oneWriteAtATimeInOrderOffTheCallersThread() throws Exception {
        BackgroundWork writes = new BackgroundWork("test-writer");
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        writes.submit(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            done.add("first on " + Thread.currentThread().getName());
        });
        assertEquals(List.of(), done, "submit does not wait for the write it starts");
        release.countDown();
        writes.submit(() -> done.add("second"));      // waits for the first
        assertEquals("first on test-writer", done.get(0));
        writes.await();
        assertEquals(List.of("first on test-writer", "second"), done);
        writes.shutdown();
    }

    @Test
    void aFailedWriteIsThrownByTheNextCallAsItWasThrown() {
        BackgroundWork writes = new BackgroundWork("test-writer");
        UserError full = new UserError("cannot write the model file x.zip: No space left on device");
        writes.submit(() -> {
            throw full;
        });
        UserError thrown = assertThrows(UserError.class, () -> writes.submit(() -> { }));
        assertSame(full, thrown);
        writes.await();        // reported once
        AssertionError fatal = new AssertionError("bug");
        writes.submit(() -> {
            throw fatal;
        });
        assertSame(fatal, assertThrows(AssertionError.class, writes::await));
        writes.shutdown();
    }
}
