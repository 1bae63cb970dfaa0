package mnistxent.train;

import mnistxent.OneLine;
import mnistxent.Plural;
import mnistxent.UserError;
import mnistxent.config.ConfigOverrides;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.Seeds;
import mnistxent.data.ImageSets;
import mnistxent.data.MnistData;
import mnistxent.data.TfBatcher;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.engine.Backend;
import mnistxent.engine.EngineChoice;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import mnistxent.engine.KernelEngine;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.LayerParameters;
import mnistxent.model.NetworkFactory;
import mnistxent.model.NpyParameters;
import mnistxent.model.TfInitializer;
import mnistxent.model.TfParameters;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.run.TrainingState;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One training run, start to end: backend, seed, data, model, engine, run directory, listeners, the loop
 * ({@link Trainer}), Ctrl-C. A fresh run starts from the config's init (or given parameters); a resumed
 * one from a model zip, exactly where it stopped.
 */
public final class TrainingRun {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    /**
     * How to run.
     *
     * @param engine         {@code auto} or an engine's name; {@code null}: auto for a fresh run, the engine
     *                       recorded in the zip for a resumed one (so that it continues bit for bit)
     * @param resumeFrom     the checkpoint/model zip to continue ({@link #resume}), or null
     * @param progressBar    draw a progress bar (on a terminal) rather than log lines
     * @param initFrom       a directory of W_2.npy, b_2.npy, W_3.npy, b_3.npy to start from instead of a random
     *                       draw ({@link #fresh} only), or null
     * @param stopAfterSteps stop as Ctrl-C would once the run has done this many steps in all (0: never)
     * @param runDirectory   where a fresh run writes its files; {@code null}: a new
     *                       {@code <output.dir>/<name>-<timestamp>/} ({@link RunDirectory#create})
     * @param shared         one of several runs training side by side in this JVM, each on its own thread
     *                       (the ablation): its {@code train.log} takes only its own thread's events, and
     *                       Ctrl-C is left to the caller instead of stopping this run with a checkpoint
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
     * A resume that cannot add anything: the zip already holds {@code epochsCompleted} epochs and the run
     * was asked to reach {@code target} (its own total, or the one asked for) epochs.
     */
    public static final class NothingToResume extends RuntimeException {
        private final Path zip;
        private final int epochsCompleted;
        private final int target;
        private final boolean asked;

        NothingToResume(Path zip, int epochsCompleted, int target, boolean asked) {
            super(zip + " holds " + Plural.of(epochsCompleted, "epoch") + "; the run would end at " + target);
            this.zip = zip;
            this.epochsCompleted = epochsCompleted;
            this.target = target;
            this.asked = asked;
        }

        public Path zip() {
            return zip;
        }

        public int epochsCompleted() {
            return epochsCompleted;
        }

        public int target() {
            return target;
        }

        /** Whether {@link #target} was asked for (a new total), rather than the saved config's own. */
        public boolean asked() {
            return asked;
        }
    }

    /**
     * What the run produced.
     *
     * @param stopped  whether it was stopped before its last epoch (then {@code directory}'s checkpoint
     *                 continues it)
     * @param stopSignal the signal that stopped it ({@code "INT"}: Ctrl-C, {@code "TERM"}: kill, docker stop,
     *                 schedulers), or null
     */
    public record Result(RunDirectory directory, TrainingState state, boolean stopped, ExperimentConfig config,
                         String stopSignal) {
    }

    private TrainingRun() {
    }

    /** Trains {@code config} from scratch (a fresh seed is drawn if it has none). */
    public static Result fresh(ExperimentConfig config, Options options, PrintWriter stdout) {
        return fresh(config, options, null, stdout);
    }

    /**
     * Trains {@code config} from scratch on MNIST already in memory ({@code null}: located, verified and
     * loaded here, on a background thread). Runs side by side share one copy: {@link MnistData} is never
     * modified. An engine that trains without ND4J (kernel, cuda) starts as soon as the data is there, and
     * writes its zips without ND4J, which never starts ({@link RunModel}; README, Performance, "Start-up").
     */
    public static Result fresh(ExperimentConfig config, Options options, MnistData loaded, PrintWriter stdout) {
        ExperimentConfig resolved = Seeds.resolve(config);
        CompletableFuture<MnistData> pendingData = loaded != null ? CompletableFuture.completedFuture(loaded)
                : loadInBackground(resolved, !EngineKind.DL4J.cliName().equals(options.engine()));
        EngineChoice choice = Engines.choose(options.engine(), Optional.empty());
        log.info("config {}: seed {}{}", resolved.name(), resolved.seed(), config.hasSeed() ? "" : " (drawn)");
        RunModel model = RunModel.of(resolved);
        // The dl4j engine trains in ND4J; any other engine trains, and writes its zips, without it (RunModel).
        if (choice.engine() == EngineKind.DL4J) {
            Engines.startBackend(choice);
        }
        // --init's files are read before anything is created: a bad file must not leave an empty run directory.
        List<LayerParameters> initial = options.initFrom() != null
                ? NpyParameters.read(options.initFrom(), resolved.network()) : TfInitializer.initial(resolved);
        MnistData data = await(pendingData);
        TfBatcher batcher = TfBatcher.forTraining(resolved);
        RunDirectory run = options.runDirectory() != null ? RunDirectory.createAt(options.runDirectory(), resolved)
                : RunDirectory.create(resolved, LocalDateTime.now());
        return execute(resolved, choice, options, data, model, initial, batcher, TrainingState.initial(batcher.state()),
                run, stdout);
    }

    /** Continues the run saved in a model zip (checkpoint.zip or model-*.zip) to its last epoch. */
    public static Result resume(Options options, PrintWriter stdout) {
        return resume(options, ConfigOverrides.NONE, stdout);
    }

    /**
     * Continues the run saved in a model zip to its last epoch (or to {@code changes.epochs()}), exactly as
     * if it had never stopped (1 + 1 epochs equal 2 epochs, parameter for parameter): the zip holds the
     * parameters, the batcher's permutation, position and random state, the epoch's loss sum and the
     * history, and the engine that trained it is used again unless another is asked for.
     *
     * <p>Resuming a run directory's own {@code checkpoint.zip} continues in that directory (its metrics.csv
     * is rewritten from the saved history, its zips replaced as the run goes on). Any other zip
     * ({@code model-best.zip}, {@code model-final.zip}, a copy) starts a new run directory with the same
     * history, so that the later results of the original run are never overwritten.
     *
     * @param changes what may change in the saved config: a new total of epochs (to extend a run) and where
     *                MNIST is (the data are the same wherever they are kept); nothing else
     * @throws NothingToResume when the zip already holds the epochs the run would end at
     */
    public static Result resume(Options options, ConfigOverrides changes, PrintWriter stdout) {
        // A run directory's own checkpoint continues in place: the directory is taken before the checkpoint is
        // read, so that a second resume of the same run stops here instead of redoing (and overwriting) the
        // epochs the first one is training.
        RunDirectory inPlace = ownRunDirectory(options.resumeFrom());
        try {
            return resume(options, changes, inPlace, stdout);
        } finally {
            if (inPlace != null) {
                inPlace.release();
            }
        }
    }

    private static Result resume(Options options, ConfigOverrides changes, RunDirectory inPlace, PrintWriter stdout) {
        Engines.Prepared prepared = Engines.prepare(options.engine(), ModelFile.recordedEngine(options.resumeFrom()));
        ModelFile.Loaded saved = ModelFile.load(options.resumeFrom());
        ExperimentConfig config = saved.requireConfig();
        TrainingState state = saved.requireState();
        config = applyChanges(config, changes, state, options.resumeFrom());
        EngineKind kind = prepared.engine();
        log.info("resuming {} (seed {}) at epoch {}, step {} of {}; engine {}{}", config.name(), config.seed(),
                state.epochsCompleted(), state.stepInEpoch(), config.training().stepsPerEpoch(), kind.cliName(),
                options.engine() == null ? " (as recorded in the zip)" : "");
        if (saved.recordedEngine().isPresent() && saved.recordedEngine().get() != kind) {
            log.warn("the zip was trained with the {} engine; continuing with {} is exact math but not bit for bit "
                    + "the same run", saved.recordedEngine().get().cliName(), kind.cliName());
        }
        MnistData data = await(loadInBackground(config, kind == EngineKind.KERNEL));
        TfBatcher batcher = TfBatcher.restore(state.batcher());
        RunDirectory run = resumeDirectory(options.resumeFrom(), config, inPlace);
        return execute(config, prepared.choice(), options, data, RunModel.of(config),
                TfParameters.read(saved.network()), batcher, state, run, stdout);
    }

    private static ExperimentConfig applyChanges(ExperimentConfig config, ConfigOverrides changes,
                                                 TrainingState state, Path zip) {
        if (!changes.equals(changes.forResume())) {
            throw new IllegalArgumentException("a resumed run keeps its seed, steps and output directory");
        }
        ExperimentConfig changed = changes.applyTo(config);
        int target = changed.training().epochs();
        if (target <= state.epochsCompleted()) {
            throw new NothingToResume(zip, state.epochsCompleted(), target, changes.epochs() != null);
        }
        return changed;
    }

    /** The run directory whose own checkpoint {@code zip} is, held for this process; null for any other zip. */
    private static RunDirectory ownRunDirectory(Path zip) {
        Path absolute = zip.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent != null && absolute.getFileName().toString().equals(RunDirectory.CHECKPOINT)
                && Files.isRegularFile(parent.resolve(RunDirectory.CONFIG))) {
            return RunDirectory.own(parent);
        }
        return null;
    }

    /** The run directory's own checkpoint continues in place ({@code inPlace}); anything else gets a new directory. */
    private static RunDirectory resumeDirectory(Path zip, ExperimentConfig config, RunDirectory inPlace) {
        if (inPlace != null) {
            RunDirectory run = inPlace;
            Path parent = run.path();
            try {
                run.writeConfig(config);    // the effective config, which a new total of epochs may have changed
            } catch (IOException e) {
                throw new UserError("cannot write " + run.config() + " (" + OneLine.reason(e)
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

    private static Result execute(ExperimentConfig config, EngineChoice choice, Options options, MnistData data,
                                  RunModel model, List<LayerParameters> initial, TfBatcher batcher,
                                  TrainingState start, RunDirectory run, PrintWriter stdout) {
        try {
            return train(config, choice, options, data, model, initial, batcher, start, run, stdout);
        } finally {
            run.release();
        }
    }

    private static Result train(ExperimentConfig config, EngineChoice choice, Options options, MnistData data,
                                RunModel model, List<LayerParameters> initial, TfBatcher batcher,
                                TrainingState start, RunDirectory run, PrintWriter stdout) {
        EngineKind kind = choice.engine();
        try (RunLog ignored = options.shared() ? RunLog.attachForThisThread(run.log()) : RunLog.attach(run.log());
             TrainingEngine engine = Engines.create(kind, config, ImageSets.of(data, config.data().validationSize()),
                     initial)) {
            log.debug("{}", Backend.ifStarted().map(Backend::describe)
                    .orElse("ND4J: not started (this engine trains and writes its model zips without it)"));
            choice.gpu().ifPresent(gpu -> log.debug("GPU: {}", gpu.describe()));
            log.debug("effective config: {}", run.config());
            if (options.initFrom() != null && start.stepsDone() == 0) {
                log.info("initial parameters from {} (the config's init section is not used)",
                        options.initFrom().toAbsolutePath());
            }
            log.info("engine: {}; {} x {} of {}; run directory {}", kind.cliName(),
                    Plural.of(config.training().epochs(), "epoch"), Plural.of(config.training().stepsPerEpoch(), "step"),
                    config.training().batchSize(), run.path());
            List<TrainingListener> listeners = new ArrayList<>();
            CheckpointWriter checkpoints = new CheckpointWriter(run, config, engine, model);
            listeners.add(checkpoints.barrier());     // an epoch's line waits for the previous checkpoint
            listeners.add(new ScriptLines(stdout));
            listeners.add(new ProgressReporter(config.training(), options.progressBar(), System.err));
            listeners.add(new MetricsCsv(run.metrics()));
            listeners.add(checkpoints);
            Trainer trainer = new Trainer(config.training(), engine, batcher, listeners, options.stopAfterSteps());
            // Signal handlers are per process: runs side by side would replace each other's.
            StopSignals signals = options.shared() ? null : StopSignals.install(trainer);
            Trainer.Outcome outcome;
            try {
                outcome = trainer.run(start);
            } finally {
                if (signals != null) {
                    signals.restore();
                }
            }
            log.info("run directory: {}", run.path());
            return new Result(run, outcome.state(), outcome.stopped(), config,
                    signals == null ? null : signals.received());
        }
    }

    /**
     * Loads MNIST on a background thread and, unless the stock DL4J engine was asked for, warms up the
     * kernel's JIT on another.
     */
    private static CompletableFuture<MnistData> loadInBackground(ExperimentConfig config, boolean warmUpKernel) {
        if (warmUpKernel) {
            KernelEngine.warmUpInBackground(config);
        }
        return CompletableFuture.supplyAsync(() -> MnistFetcher.load(config.data()), r -> {
            Thread t = new Thread(r, "data-loader");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The data, or the data layer's own exception as it was thrown. */
    private static MnistData await(CompletableFuture<MnistData> pending) {
        return Futures.join(pending);
    }
}
