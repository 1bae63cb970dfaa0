package mnistxent.engine;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.model.LayerParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * R kernel-engine runs in lockstep on the CPU: each call trains every run's steps, the runs spread over
 * {@code threads} threads (a run stays on one thread per call; the images are shared, read-only).
 */
public final class KernelRuns implements MultiRunEngine {

    private final List<KernelEngine> runs;
    private final int batch;
    private final ExecutorService pool;

    public KernelRuns(ExperimentConfig config, ImageSets images, List<List<LayerParameters>> initial, int threads) {
        this.batch = config.training().batchSize();
        this.runs = new ArrayList<>(initial.size());
        for (List<LayerParameters> p : initial) {
            runs.add(new KernelEngine(config, images, p));
        }
        this.pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, initial.size())), r -> {
            Thread t = new Thread(r, "kernel-runs");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public EngineKind kind() {
        return EngineKind.KERNEL;
    }

    @Override
    public int runs() {
        return runs.size();
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public void train(int[] batches, int steps, float[] losses) {
        List<Future<?>> done = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            int run = r;
            done.add(pool.submit(() -> {
                int[] mine = java.util.Arrays.copyOfRange(batches, run * steps * batch, (run + 1) * steps * batch);
                float[] out = new float[steps];
                runs.get(run).train(mine, steps, out);
                System.arraycopy(out, 0, losses, run * steps, steps);
            }));
        }
        await(done);
    }

    @Override
    public int[] correctOnTest() {
        return count(true);
    }

    @Override
    public int[] correctOnValidation() {
        return count(false);
    }

    private int[] count(boolean test) {
        int[] out = new int[runs.size()];
        List<Future<?>> done = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            int run = r;
            done.add(pool.submit(() -> {
                out[run] = test ? runs.get(run).correctOnTest() : runs.get(run).correctOnValidation();
            }));
        }
        await(done);
        return out;
    }

    private static void await(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the runs trained", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public int testCount() {
        return runs.get(0).testCount();
    }

    @Override
    public int validationCount() {
        return runs.get(0).validationCount();
    }

    @Override
    public List<LayerParameters> parameters(int run) {
        return runs.get(run).parameters();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
