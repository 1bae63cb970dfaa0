package mnistxent.train;

import mnistxent.config.ExperimentConfig;
import mnistxent.model.TfParameters;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes model zips on a background thread, so that training does not wait for
 * {@code ModelSerializer} (50-100 ms a zip here, as long as a whole epoch of the kernel engine).
 *
 * <p>The training thread hands over a copy of the parameters (24k floats, a millisecond); the saver
 * writes them into its own shadow network and serializes that, so the live network can go on
 * changing. Zips are written in submission order; {@link #awaitAll()} waits for them and reports
 * the first failure. The updater is plain SGD (SPEC §5), which has no state to copy.
 */
final class AsyncModelSaver implements AutoCloseable {

    private final MultiLayerNetwork shadow;
    private final ExecutorService executor;
    private final List<Future<?>> pending = new java.util.ArrayList<>();

    AsyncModelSaver(MultiLayerNetwork template) {
        this.shadow = template.clone();
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "model-saver");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a save of {@code parameters} (a snapshot the caller will not modify) to {@code target}. */
    void save(Path target, List<TfParameters.Layer> parameters, ExperimentConfig config, TrainingState state,
              int testCorrect, EngineKind engine) {
        pending.removeIf(Future::isDone);
        pending.add(executor.submit(() -> {
            TfParameters.write(shadow, parameters);
            ModelFile.save(target, shadow, config, state, testCorrect, engine);
        }));
    }

    /** Waits until every queued zip is written; rethrows the first failure. */
    void awaitAll() {
        try {
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing model zips", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            pending.removeIf(Future::isDone);
        }
    }

    @Override
    public void close() {
        try {
            awaitAll();
        } finally {
            executor.shutdown();
        }
    }
}
