package mnistxent.train;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A run's per-epoch file writes, one at a time on a thread of their own, so that the training thread does
 * not wait for the disk (README, Performance): at most one write is in flight, and the next write, or
 * {@link #await}, first waits for it and throws its failure as it was thrown.
 */
final class BackgroundWrites {

    private final ExecutorService thread;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    BackgroundWrites(String threadName) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits for the write in flight, then starts {@code write}. */
    void submit(Runnable write) {
        await();
        inFlight = CompletableFuture.runAsync(write, thread);
    }

    /** Waits for the write in flight, if any; its failure is rethrown here. */
    void await() {
        try {
            Futures.join(inFlight);
        } finally {
            inFlight = CompletableFuture.completedFuture(null);
        }
    }

    /** Lets the thread end (after the write in flight, which is not waited for here). */
    void shutdown() {
        thread.shutdown();
    }
}
