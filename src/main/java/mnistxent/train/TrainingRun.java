package mnistxent.train;

import mnistxent.engine.Backend;
import mnistxent.engine.Dl4jEngine;
import mnistxent.engine.EngineKind;
import mnistxent.engine.KernelEngine;
import mnistxent.engine.TrainingEngine;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.run.TrainingState;

import mnistxent.UserError;
import mnistxent.config.DataSpec;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.Seeds;
import mnistxent.config.TrainingSpec;
import mnistxent.data.MnistData;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.data.MnistFile;
import mnistxent.data.TfBatcher;
import mnistxent.model.NetworkFactory;
import mnistxent.model.NpyParameters;
import mnistxent.random.SeededRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One training run, start to end (issue 4): backend, seed, data, network, engine, run directory,
 * listeners, the loop, Ctrl-C handling. The {@code train} command is a thin wrapper around it.
 */
public final class TrainingRun {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    /**
     * How to run.
     *
     * @param engine         {@code auto}, {@code kernel} or {@code dl4j}; {@code null}: auto for a fresh run, the
     *                       engine recorded in the zip for a resumed one (so that it continues bit for bit)
     * @param resumeFrom     the checkpoint/model zip to continue ({@link #resume}), or null
     * @param progressBar    draw a progress bar (on a terminal) rather than log lines
     * @param initFrom       a directory of W_2.npy, b_2.npy, W_3.npy, b_3.npy to start from instead of a random
     *                       draw ({@link #fresh} only), or null
     * @param stopAfterSteps stop as Ctrl-C would once the run has done this many steps in all (0: never); how
     *                       the tests stop a run at an exact step
     * @param runDirectory   where a fresh run writes its files; {@code null}: a new
     *                       {@code <output.dir>/<name>-<timestamp>/} ({@link RunDirectory#create})
     * @param shared         one of several runs training side by side in this JVM, each on its own
     *                       thread (the ablation, issue 6): its {@code train.log} takes only its own
     *                       thread's events, and Ctrl-C is left to the caller instead of stopping
     *                       this run with a checkpoint
     */
    public record Options(String engine, Path resumeFrom, boolean progressBar, Path initFrom, long stopAfterSteps,
                          Path runDirectory, boolean shared) {

        /** A run that has the JVM to itself, in a new timestamped run directory (the train command). */
        public Options(String engine, Path resumeFrom, boolean progressBar) {
            this(engine, resumeFrom, progressBar, null, 0, null, false);
        }

        public Options withInitFrom(Path dir) {
            return new Options(engine, resumeFrom, progressBar, dir, stopAfterSteps, runDirectory, shared);
        }

        public Options withStopAfterSteps(long steps) {
            return new Options(engine, resumeFrom, progressBar, initFrom, steps, runDirectory, shared);
        }

        /** One of several runs side by side in this JVM, into a chosen directory (see {@code shared}). */
        public Options sharedIn(Path directory) {
            return new Options(engine, resumeFrom, progressBar, initFrom, stopAfterSteps, directory, true);
        }
    }

    /**
     * What a resumed run may change in the saved config: more epochs (the total, to extend a run), and where
     * MNIST is (the data are the same wherever they are kept). Everything else is the saved run's.
     */
    public record ResumeChanges(Integer epochs, Path dataDir) {
        public static final ResumeChanges NONE = new ResumeChanges(null, null);
    }

    /** What the run produced. */
    public record Result(RunDirectory directory, TrainingState state, boolean stopped, ExperimentConfig config) {
    }

    private TrainingRun() {
    }

    /** Trains {@code config} from scratch (a fresh seed is drawn if it has none). */
    public static Result fresh(ExperimentConfig config, Options options, PrintStream stdout) {
        return fresh(config, options, null, stdout);
    }

    /**
     * Trains {@code config} from scratch on MNIST already in memory ({@code null}: located, verified
     * and loaded here, on a background thread while ND4J initialises). Runs side by side share one
     * copy: {@link MnistData} is never modified.
     */
    public static Result fresh(ExperimentConfig config, Options options, Data loaded, PrintStream stdout) {
        ExperimentConfig resolved = Seeds.resolve(config);
        CompletableFuture<Data> pendingData = loaded != null ? CompletableFuture.completedFuture(loaded)
                : loadDataInBackground(resolved, !EngineKind.DL4J.cliName().equals(options.engine()));
        Backend backend = Backend.detect();
        log.info(backend.describe());
        log.info("config {}: seed {}{}", resolved.name(), resolved.seed(), config.hasSeed() ? "" : " (drawn)");
        MultiLayerNetwork network;
        if (options.initFrom() != null) {
            // Read before anything is created: a bad file must not leave an empty run directory behind.
            network = NetworkFactory.create(resolved, NpyParameters.read(options.initFrom(), resolved.network()));
        } else {
            network = NetworkFactory.create(resolved);
        }
        EngineKind kind = parseEngine(options.engine() == null ? "auto" : options.engine(), backend);
        Data data = await(pendingData);
        TfBatcher batcher = newBatcher(resolved);
        RunDirectory run = options.runDirectory() != null ? RunDirectory.createAt(options.runDirectory(), resolved)
                : RunDirectory.create(resolved, LocalDateTime.now());
        return execute(resolved, backend, kind, options, data, network, batcher,
                TrainingState.initial(batcher.state()), run, stdout);
    }

    /** Continues the run saved in a model zip (checkpoint.zip or model-*.zip) to its last epoch. */
    public static Result resume(Options options, PrintStream stdout) {
        return resume(options, ResumeChanges.NONE, stdout);
    }

    /**
     * Continues the run saved in a model zip to its last epoch (or to {@code changes.epochs()}), exactly as
     * if it had never stopped (issue 5: 1 + 1 epochs equal 2 epochs, parameter for parameter): the zip holds
     * the parameters, the batcher's permutation, position and random state, the epoch's loss sum and the
     * history, and the engine that trained it is used again unless another is asked for.
     *
     * <p>Resuming a run directory's own {@code checkpoint.zip} continues in that directory (its metrics.csv
     * is rewritten from the saved history, its zips replaced as the run goes on). Any other zip
     * ({@code model-best.zip}, {@code model-final.zip}, a copy) starts a new run directory with the same
     * history, so that the later results of the original run are never overwritten.
     */
    public static Result resume(Options options, ResumeChanges changes, PrintStream stdout) {
        Backend backend = Backend.detect();
        log.info(backend.describe());
        ModelFile.Loaded saved = ModelFile.load(options.resumeFrom());
        ExperimentConfig config = saved.requireConfig();
        TrainingState state = saved.requireState();
        config = applyChanges(config, changes, state, options.resumeFrom());
        EngineKind kind = options.engine() != null ? parseEngine(options.engine(), backend)
                : saved.recordedEngine().orElseGet(() -> EngineKind.auto(backend));
        log.info("resuming {} (seed {}) at epoch {}, step {} of {}; engine {}{}", config.name(), config.seed(),
                state.epochsCompleted(), state.stepInEpoch(), config.training().stepsPerEpoch(), kind.cliName(),
                options.engine() == null ? " (as recorded in the zip)" : "");
        if (saved.recordedEngine().isPresent() && saved.recordedEngine().get() != kind) {
            log.warn("the zip was trained with the {} engine; continuing with {} is exact math but not bit for bit "
                    + "the same run", saved.recordedEngine().get().cliName(), kind.cliName());
        }
        Data data = await(loadDataInBackground(config, kind == EngineKind.KERNEL));
        TfBatcher batcher = TfBatcher.restore(state.batcher());
        RunDirectory run = resumeDirectory(options.resumeFrom(), config);
        return execute(config, backend, kind, options, data, saved.network(), batcher, state, run, stdout);
    }

    private static ExperimentConfig applyChanges(ExperimentConfig config, ResumeChanges changes, TrainingState state,
                                                 Path zip) {
        if (changes.epochs() != null) {
            if (changes.epochs() <= state.epochsCompleted()) {
                throw new UserError(zip + " already holds " + state.epochsCompleted() + " epochs; --epochs is the "
                        + "total to reach, so give more than " + state.epochsCompleted());
            }
            TrainingSpec t = config.training();
            config = config.withTraining(new TrainingSpec(t.batchSize(), changes.epochs(), t.stepsPerEpoch()));
        } else if (state.epochsCompleted() >= config.training().epochs()) {
            throw new UserError(zip + " holds a finished run (" + state.epochsCompleted() + " of "
                    + config.training().epochs() + " epochs); to train it further give the new total: --epochs "
                    + (state.epochsCompleted() + 1) + " or more");
        }
        if (changes.dataDir() != null) {
            DataSpec d = config.data();
            config = config.withData(new DataSpec(changes.dataDir(), d.validationSize(), d.mirrors()));
        }
        return config;
    }

    /** The run directory's own checkpoint continues in place; anything else gets a new directory. */
    private static RunDirectory resumeDirectory(Path zip, ExperimentConfig config) {
        Path absolute = zip.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent != null && absolute.getFileName().toString().equals(RunDirectory.CHECKPOINT)
                && Files.isRegularFile(parent.resolve(RunDirectory.CONFIG))) {
            RunDirectory run = RunDirectory.existing(parent);
            try {
                run.writeConfig(config);    // the effective config, which --epochs may have changed
            } catch (IOException e) {
                throw new UserError("cannot write " + run.config() + " (" + e.getMessage()
                        + "); resuming continues in the checkpoint's run directory, which must be writable");
            }
            log.info("continuing in {}", parent);
            return run;
        }
        RunDirectory run = RunDirectory.create(config, LocalDateTime.now());
        log.info("{} is not a run directory's {}: the continued run goes to the new directory {}", zip,
                RunDirectory.CHECKPOINT, run.path());
        return run;
    }

    private static Result execute(ExperimentConfig config, Backend backend, EngineKind kind, Options options,
                                  Data data, MultiLayerNetwork network, TfBatcher batcher, TrainingState start,
                                  RunDirectory run, PrintStream stdout) {
        try (RunLog ignored = options.shared() ? RunLog.attachForThisThread(run.log()) : RunLog.attach(run.log())) {
            log.debug("{}", backend.describe());
            log.debug("effective config: {}", run.config());
            if (options.initFrom() != null && start.stepsDone() == 0) {
                log.info("initial parameters from {} (the config's init section is not used)",
                        options.initFrom().toAbsolutePath());
            }
            TrainingEngine engine = createEngine(kind, network, config, data);
            ModelFile.warmUpInBackground(config);
            log.info("engine: {}; {} epochs x {} steps of {}; run directory {}", kind.cliName(),
                    config.training().epochs(), config.training().stepsPerEpoch(), config.training().batchSize(),
                    run.path());
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(new ProgressReporter(config.training(), options.progressBar(), System.err));
            listeners.add(new MetricsCsv(run.metrics()));
            StopAfterSteps stopAfter = options.stopAfterSteps() > 0 ? new StopAfterSteps(options.stopAfterSteps())
                    : null;
            if (stopAfter != null) {
                listeners.add(stopAfter);
            }
            Trainer.Outcome outcome;
            listeners.add(new CheckpointWriter(run, config, engine));
            Trainer trainer = new Trainer(config.training(), engine, batcher, listeners, stdout);
            if (stopAfter != null) {
                stopAfter.trainer = trainer;
            }
            // Signal handlers are per process: runs side by side would replace each other's.
            SignalHandler previous = options.shared() ? null : installStopOnInterrupt(trainer);
            try {
                outcome = trainer.run(start);
            } finally {
                restoreInterruptHandler(previous);
            }
            if (outcome.stopped()) {
                log.info("stopped at epoch {}, step {} of {}: checkpoint written; resume with: {}",
                        outcome.state().epochsCompleted(), outcome.state().stepInEpoch(),
                        config.training().stepsPerEpoch(), resumeCommand(run.checkpoint()));
            }
            log.info("run directory: {}", run.path());
            return new Result(run, outcome.state(), outcome.stopped(), config);
        }
    }

    /** The command line that continues a stopped run from {@code checkpoint}. */
    public static String resumeCommand(Path checkpoint) {
        return "mvn exec:java -Dexec.args=\"train --resume " + checkpoint + "\"";
    }

    /** Stops the run, as Ctrl-C does, once it has done {@code steps} steps in all. */
    private static final class StopAfterSteps implements TrainingListener {
        private final long steps;
        private long done;
        private Trainer trainer;

        StopAfterSteps(long steps) {
            this.steps = steps;
        }

        @Override
        public void onStart(TrainingState state) {
            done = state.stepsDone();
            if (done >= steps) {
                trainer.requestStop();
            }
        }

        @Override
        public void onStep(int epoch, int stepInEpoch, float loss) {
            if (++done >= steps) {
                trainer.requestStop();
            }
        }
    }

    public static TrainingEngine createEngine(EngineKind kind, MultiLayerNetwork network, ExperimentConfig config,
                                              Data data) {
        return switch (kind) {
            case DL4J -> new Dl4jEngine(network, config, data.images(), data.dir());
            case KERNEL -> new KernelEngine(network, config, data.images());
        };
    }

    public static EngineKind parseEngine(String name, Backend backend) {
        try {
            return EngineKind.parse(name, backend);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The batch stream of SPEC §2 over the training pool (the images after the validation ones). */
    public static TfBatcher newBatcher(ExperimentConfig config) {
        int validation = config.data().validationSize();
        return new TfBatcher(validation, MnistFile.TRAIN_IMAGES.count() - validation, config.training().batchSize(),
                SeededRandom.derive(config.seed(), "batches"));
    }

    /** MNIST in memory, and the verified directory it came from (DataVec reads it again for DL4J). */
    public record Data(Path dir, MnistData images) {
    }

    /**
     * Loads MNIST on a background thread and, unless the stock DL4J engine was asked for, warms up
     * the kernel's JIT on another.
     */
    private static CompletableFuture<Data> loadDataInBackground(ExperimentConfig config, boolean warmUpKernel) {
        if (warmUpKernel) {
            KernelEngine.warmUpInBackground(config);
        }
        return CompletableFuture.supplyAsync(() -> loadData(config), r -> {
            Thread t = new Thread(r, "data-loader");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The data, or the data layer's own exception (a {@link UserError}) as it was thrown. */
    private static Data await(CompletableFuture<Data> pending) {
        try {
            return pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Locates MNIST (fetching it if absent, SPEC §1), verifies and loads it. */
    public static Data loadData(ExperimentConfig config) {
        Path dir = MnistFetcher.prepare(config.data());
        return new Data(dir, MnistData.load(dir));
    }

    /**
     * Ctrl-C asks the trainer to stop after the current step; it then writes a checkpoint and the
     * resume command. A second Ctrl-C falls back to the JVM's default (immediate exit).
     */
    private static SignalHandler installStopOnInterrupt(Trainer trainer) {
        try {
            Signal interrupt = new Signal("INT");
            SignalHandler[] previous = new SignalHandler[1];
            previous[0] = Signal.handle(interrupt, sig -> {
                log.info("interrupt: stopping after this step and writing a checkpoint (Ctrl-C again to quit now)");
                trainer.requestStop();
                Signal.handle(interrupt, previous[0]);
            });
            return previous[0];
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.debug("cannot handle SIGINT here: {}", e.toString());
            return null;
        }
    }

    private static void restoreInterruptHandler(SignalHandler previous) {
        if (previous != null) {
            try {
                Signal.handle(new Signal("INT"), previous);
            } catch (IllegalArgumentException | UnsupportedOperationException ignored) {
                // nothing was installed
            }
        }
    }
}
