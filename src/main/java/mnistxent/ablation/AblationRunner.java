package mnistxent.ablation;

import mnistxent.UserError;
import mnistxent.io.FileTrees;
import mnistxent.train.ConsoleMute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Trains the runs of an ablation that are not finished yet, {@code parallel} at a time,
 * each on its own thread, and logs the overall progress: runs done of the total, and an ETA from
 * the pace of the runs trained so far in this invocation.
 *
 * <p>Resumable: finished runs ({@link RunStatus}) are skipped; an unfinished run's directory is
 * deleted and the run trained again from scratch. Ctrl-C simply ends the process (the JVM's
 * default): the runs in progress are unfinished and are redone by the next invocation.
 *
 * <p>The runs' own log lines stay off the console ({@link ConsoleMute}) and go to their
 * {@code train.log}; only this class's progress lines, and warnings, reach it.
 */
public final class AblationRunner {

    private static final Logger log = LoggerFactory.getLogger(AblationRunner.class);

    /** Trains one run into its directory (the real one: {@link Ablation#trainingRun}; tests stub it). */
    @FunctionalInterface
    public interface RunFunction {
        void train(PlannedRun run) throws Exception;

        /**
         * Called once on the caller's thread before the first run starts, and only if some run is to
         * be trained: e.g. to fetch and load MNIST with its progress on the console (run threads are muted).
         */
        default void prepare() {
        }
    }

    /** What an invocation did: how many runs it found finished, and how many it trained. */
    public record Outcome(int total, int skipped, int trained, double seconds) {
    }

    private final RunFunction runFunction;
    private final int parallel;
    private final LongSupplier nanoTime;

    public AblationRunner(RunFunction runFunction, int parallel) {
        this(runFunction, parallel, System::nanoTime);
    }

    AblationRunner(RunFunction runFunction, int parallel, LongSupplier nanoTime) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be >= 1, got " + parallel);
        }
        this.runFunction = runFunction;
        this.parallel = parallel;
        this.nanoTime = nanoTime;
    }

    /**
     * Brings every run to finished. Throws the first run's failure (a {@link UserError} keeps its
     * kind, prefixed with the run) after the runs already started have ended; runs not yet started
     * are not started.
     */
    public Outcome run(List<PlannedRun> runs) {
        long start = nanoTime.getAsLong();
        int total = runs.size();
        List<PlannedRun> todo = pending(runs);
        int skipped = total - todo.size();
        if (todo.isEmpty()) {
            log.info("ablation: all {} runs already finished", total);
        } else {
            log.info("ablation: {} runs, {} already finished, {} to train, {} at a time", total, skipped,
                    todo.size(), Math.min(parallel, todo.size()));
        }
        if (!todo.isEmpty()) {
            runFunction.prepare();
            trainAll(todo, total, skipped, start);
        }
        return new Outcome(total, skipped, todo.size(), (nanoTime.getAsLong() - start) / 1e9);
    }

    /**
     * The runs still to train: absent ones, and unfinished ones, whose directories are removed here so
     * that they start from scratch. Finished runs are left as they are.
     */
    public static List<PlannedRun> pending(List<PlannedRun> runs) {
        List<PlannedRun> todo = new ArrayList<>();
        for (PlannedRun run : runs) {
            RunStatus status = RunStatus.of(run);
            switch (status.state()) {
                case FINISHED -> log.debug("{}: finished ({}), skipped", run.label(), status.detail());
                case ABSENT -> todo.add(run);
                case UNFINISHED -> {
                    log.info("{}: unfinished ({}); training it again", run.label(), status.detail());
                    deleteRecursively(run.directory());
                    todo.add(run);
                }
            }
        }
        return todo;
    }

    private void trainAll(List<PlannedRun> todo, int total, int skipped, long start) {
        // Set by the worker whose run failed, before its task ends: a worker that takes the next queued
        // run sees it even before the main thread has cancelled the queue.
        AtomicBoolean failed = new AtomicBoolean();
        int slots = Math.min(parallel, todo.size());
        ExecutorService pool = Executors.newFixedThreadPool(slots, threads());
        Map<PlannedRun, Long> started = new ConcurrentHashMap<>();
        CompletionService<Finished> done = new ExecutorCompletionService<>(pool);
        List<Future<Finished>> futures = new ArrayList<>();
        try {
            for (PlannedRun run : todo) {
                futures.add(done.submit(() -> {
                    if (failed.get()) {
                        throw new CancellationException("an earlier run failed");
                    }
                    try {
                        return trainOne(run, started);
                    } catch (Exception | Error e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
            RuntimeException failure = null;
            int trained = 0;
            double secondsTrained = 0;
            for (int i = 0; i < todo.size(); i++) {
                Future<Finished> next = done.take();
                try {
                    Finished f = next.get();
                    trained++;
                    secondsTrained += f.seconds();
                    long now = nanoTime.getAsLong();
                    double[] ages = started.values().stream().mapToDouble(t -> (now - t) / 1e9).toArray();
                    int queued = todo.size() - trained - ages.length;
                    log.info(progressLine(skipped + trained, total, f,
                            etaSeconds(secondsTrained / trained, ages, queued, slots)));
                } catch (CancellationException e) {
                    // not started because an earlier run failed
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof CancellationException) {
                        continue;       // not started because an earlier run failed
                    }
                    if (failure == null) {
                        failure = asFailure(e.getCause());
                        futures.forEach(f -> f.cancel(false));
                        log.info("a run failed: waiting for the runs in progress to end, starting no more");
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new UserError("the ablation was interrupted; run it again to finish the remaining runs");
        } finally {
            pool.shutdown();
        }
    }

    /** One run, on a pool thread: its routine log lines stay off the console. */
    private Finished trainOne(PlannedRun run, Map<PlannedRun, Long> started) throws Exception {
        try (ConsoleMute.Scope ignored = ConsoleMute.muteThisThread()) {
            long t0 = nanoTime.getAsLong();
            started.put(run, t0);
            try {
                runFunction.train(run);
            } catch (Exception | Error e) {
                throw new RunFailure(run, e);
            } finally {
                started.remove(run);
            }
            RunStatus status = RunStatus.of(run);
            if (!status.finished()) {
                throw new RunFailure(run, new IllegalStateException("the run ended but is not finished: "
                        + status.detail()));
            }
            return new Finished(run, new RunSummary(run.configName(), run.seed(), status.history()),
                    (nanoTime.getAsLong() - t0) / 1e9);
        }
    }

    /** A run that ended, with its numbers. */
    record Finished(PlannedRun run, RunSummary summary, double seconds) {
    }

    /** The failure of one run, with the run it belongs to. */
    static final class RunFailure extends Exception {
        final PlannedRun run;

        RunFailure(PlannedRun run, Throwable cause) {
            super(run.label() + ": " + cause, cause);
            this.run = run;
        }
    }

    private static RuntimeException asFailure(Throwable t) {
        if (t instanceof RunFailure f) {
            Throwable cause = f.getCause();
            if (cause instanceof UserError u) {
                return new UserError(f.run.label() + ": " + u.getMessage(), u);
            }
            return new IllegalStateException("ablation run " + f.run.label() + " failed: " + cause, cause);
        }
        return new IllegalStateException("ablation failed: " + t, t);
    }

    /** {@code [5/12] tf12-quadratic seed 2: best 9512 (Epoch 27), final 9498, 21.3 s; ETA 1:05}. */
    static String progressLine(int done, int total, Finished f, double etaSeconds) {
        RunSummary s = f.summary();
        String eta = done == total ? "all done" : "ETA " + clock(Math.round(etaSeconds));
        return String.format(Locale.ROOT, "[%d/%d] %s: best %d (Epoch %d), final %d, %.1f s; %s", done, total,
                f.run().label(), s.bestCorrect(), s.bestEpoch(), s.finalCorrect(), f.seconds(), eta);
    }

    /**
     * Seconds until the last run ends, if every run takes {@code runSeconds} (the mean so far): what
     * is left of the runs in progress (aged {@code runningAges} seconds) plus the queued runs, shared
     * among {@code slots} threads. Never less than what the longest-running one still needs, nor than
     * one whole run while a run is still queued.
     */
    static double etaSeconds(double runSeconds, double[] runningAges, int queued, int slots) {
        double work = queued * runSeconds;
        double longest = 0;
        for (double age : runningAges) {
            double left = Math.max(0, runSeconds - age);
            work += left;
            longest = Math.max(longest, left);
        }
        return Math.max(Math.max(longest, queued > 0 ? runSeconds : 0), work / slots);
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "ablation-run-" + n.incrementAndGet());
            t.setDaemon(true);      // a run in progress never holds the JVM open once the ablation has returned
            return t;
        };
    }

    /** Removes an unfinished run's directory (only ever a planned run directory under the ablation's output). */
    static void deleteRecursively(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new UserError("cannot remove the unfinished run " + dir + " to train it again: " + e.getMessage());
        }
    }
}
