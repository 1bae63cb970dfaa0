package mnistxent.train;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for work done on another thread of a run (data loading, the network, file writes). */
final class Futures {

    private Futures() {
    }

    /**
     * The result of {@code pending}, waiting for it; what it failed with is thrown here as it was thrown
     * (a {@link mnistxent.UserError} stays one, so the CLI words it), not wrapped.
     */
    static <T> T join(CompletableFuture<T> pending) {
        try {
            return pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
