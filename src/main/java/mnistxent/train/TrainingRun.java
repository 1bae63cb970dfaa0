package mnistxent.train;

import mnistxent.UserError;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.Seeds;
import mnistxent.data.MnistData;
import mnistxent.data.MnistFetcher;
import mnistxent.data.MnistFile;
import mnistxent.data.TfBatcher;
import mnistxent.model.NetworkFactory;
import mnistxent.random.SeededRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

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
     * How to run: which engine, and where to start from (fresh, or a checkpoint to resume).
     *
     * @param runDirectory where a fresh run writes its files; {@code null}: a new
     *                     {@code <output.dir>/<name>-<timestamp>/} ({@link RunDirectory#create})
     * @param shared       one of several runs training side by side in this JVM, each on its own
     *                     thread (the ablation, issue 6): its {@code train.log} takes only its own
     *                     thread's events, and Ctrl-C is left to the caller instead of stopping
     *                     this run with a checkpoint
     */
    public record Options(String engine, Path resumeFrom, boolean progressBar, Path runDirectory, boolean shared) {

        /** A run that has the JVM to itself, in a new timestamped run directory (the train command). */
        public Options(String engine, Path resumeFrom, boolean progressBar) {
            this(engine, resumeFrom, progressBar, null, false);
        }
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
                : loadDataInBackground(resolved, options);
        Backend backend = Backend.detect();
        log.info(backend.describe());
        log.info("config {}: seed {}{}", resolved.name(), resolved.seed(), config.hasSeed() ? "" : " (drawn)");
        MultiLayerNetwork network = NetworkFactory.create(resolved);
        Data data = await(pendingData);
        TfBatcher batcher = newBatcher(resolved);
        RunDirectory run = options.runDirectory() != null ? RunDirectory.createAt(options.runDirectory(), resolved)
                : RunDirectory.create(resolved, LocalDateTime.now());
        return execute(resolved, backend, options, data, network, batcher, TrainingState.initial(batcher.state()),
                run, stdout);
    }

    /** Continues the run saved in a model zip (checkpoint.zip or model-*.zip) to its last epoch. */
    public static Result resume(Options options, PrintStream stdout) {
        Backend backend = Backend.detect();
        log.info(backend.describe());
        ModelFile.Loaded saved = ModelFile.load(options.resumeFrom());
        ExperimentConfig config = saved.requireConfig();
        TrainingState state = saved.requireState();
        log.info("resuming {} (seed {}) at epoch {}, step {} of {}", config.name(), config.seed(),
                state.epochsCompleted(), state.stepInEpoch(), config.training().stepsPerEpoch());
        Data data = await(loadDataInBackground(config, options));
        TfBatcher batcher = TfBatcher.restore(state.batcher());
        Path parent = options.resumeFrom().toAbsolutePath().getParent();
        RunDirectory run = parent != null && Files.isRegularFile(parent.resolve(RunDirectory.CONFIG))
                ? RunDirectory.existing(parent) : RunDirectory.create(config, LocalDateTime.now());
        return execute(config, backend, options, data, saved.network(), batcher, state, run, stdout);
    }

    private static Result execute(ExperimentConfig config, Backend backend, Options options, Data data,
                                  MultiLayerNetwork network, TfBatcher batcher, TrainingState start,
                                  RunDirectory run, PrintStream stdout) {
        try (RunLog ignored = options.shared() ? RunLog.attachForThisThread(run.log()) : RunLog.attach(run.log())) {
            log.debug("{}", backend.describe());
            log.debug("effective config: {}", run.config());
            EngineKind kind = parseEngine(options.engine(), backend);
            TrainingEngine engine = createEngine(kind, network, config, data);
            log.info("engine: {}; {} epochs x {} steps of {}; run directory {}", kind.cliName(),
                    config.training().epochs(), config.training().stepsPerEpoch(), config.training().batchSize(),
                    run.path());
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(new ProgressReporter(config.training(), options.progressBar(), System.err));
            listeners.add(new MetricsCsv(run.metrics()));
            Trainer.Outcome outcome;
            try (CheckpointWriter checkpoints = new CheckpointWriter(run, config, engine)) {
                listeners.add(checkpoints);
                Trainer trainer = new Trainer(config.training(), engine, batcher, listeners, stdout);
                // Signal handlers are per process: runs side by side would replace each other's.
                SignalHandler previous = options.shared() ? null : installStopOnInterrupt(trainer);
                try {
                    outcome = trainer.run(start);
                } finally {
                    restoreInterruptHandler(previous);
                }
            }
            if (outcome.stopped()) {
                log.info("stopped at epoch {}, step {}: checkpoint written; resume with: "
                                + "mvn exec:java -Dexec.args=\"train --resume {}\"",
                        outcome.state().epochsCompleted(), outcome.state().stepInEpoch(), run.checkpoint());
            }
            log.info("run directory: {}", run.path());
            return new Result(run, outcome.state(), outcome.stopped(), config);
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
    private static CompletableFuture<Data> loadDataInBackground(ExperimentConfig config, Options options) {
        if (!EngineKind.DL4J.cliName().equals(options.engine())) {
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
