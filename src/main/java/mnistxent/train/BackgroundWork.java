package mnistxent.train;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A run's per-epoch work (its checkpoint writes; its epoch ends), one piece at a time on a thread of its
 * own, so that the training thread goes on meanwhile (README, Performance): at most one piece is in
 * flight, and the next, or {@link #await}, first waits for it and throws its failure as it was thrown.
 */
final class BackgroundWork {

    private final ExecutorService thread;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    BackgroundWork(String threadName) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits for the work in flight, then starts {@code work}. */
    void submit(Runnable work) {
        await();
        inFlight = CompletableFuture.runAsync(work, thread);
    }

    /** Waits for the work in flight, if any; its failure is rethrown here. */
    void await() {
        try {
            Futures.join(inFlight);
        } finally {
            inFlight = CompletableFuture.completedFuture(null);
        }
    }

    /** Lets the thread end (after the work in flight, which is not waited for here). */
    void shutdown() {
        thread.shutdown();
    }
}
