package mnistxent.cli;

import mnistxent.Plural;
import mnistxent.UserError;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ConfigOverrides;
import mnistxent.run.RunDirectory;
import mnistxent.train.ProgressReporter;
import mnistxent.train.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code train}: runs a config (the seed's script by default), or resumes a saved run. */
@Command(name = "train",
        header = "Train a config (the seed script by default) and print its Epoch and best lines.", mixinStandardHelpOptions = true,
        description = {
                "Trains the network of a config and prints the seed script's lines on stdout:",
                "  Epoch N: C / 10000 ... best: C / 10000",
                "Everything else goes to stderr and to the run directory runs/<name>-<timestamp>/."})
public final class TrainCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(TrainCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = ConfigLoader.DEFAULT_CONFIG,
            description = "Experiment config (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--resume", paramLabel = "ZIP",
            description = {"Continue the run saved in this checkpoint/model zip, exactly as if it had not stopped "
                    + "(its own config, seed and engine are used; --epochs N extends it to N epochs in all).",
                    "A run directory's checkpoint.zip continues in that directory; any other zip in a new one."})
    Path resume;

    @Option(names = "--init", paramLabel = "DIR",
            description = "Start from W_2.npy, b_2.npy, W_3.npy, b_3.npy in DIR (float32, the seed script's "
                    + "shapes; e.g. saved from a TF session or by 'export') instead of a random draw.")
    Path init;

    @Option(names = "--engine", paramLabel = "NAME", converter = EngineName.class, completionCandidates = EngineName.class,
            description = {"auto (kernel; cuda in the -Pcuda build), kernel (fast, exact, on the CPU), cuda (the "
                    + "same step on an NVIDIA GPU), dl4j (stock MultiLayerNetwork.fit).",
                    "Default: auto; with --resume, the engine recorded in the zip."})
    String engine;

    @Mixin
    RunOverrides overrides;

    @Option(names = "--no-progress", description = "Plain progress lines even on a terminal.")
    boolean noProgress;

    /** Acts like Ctrl-C once the run has done N steps in all: how the tests stop a run at an exact step. */
    @Option(names = "--stop-after-steps", paramLabel = "N", hidden = true)
    long stopAfterSteps;

    @Override
    public Integer call() {
        if (stopAfterSteps < 0) {
            throw new UserError("--stop-after-steps must be >= 0");
        }
        TrainingRun.Options options = new TrainingRun.Options(engine, resume,
                !noProgress && ProgressReporter.onTerminal()).withInitFrom(init).withStopAfterSteps(stopAfterSteps);
        PrintWriter stdout = spec.commandLine().getOut();
        TrainingRun.Result result;
        if (resume != null) {
            ConfigOverrides o = overrides.overrides();
            boolean explicitConfig = spec.commandLine().getParseResult().hasMatchedOption("--config");
            if (o.seed() != null || o.stepsPerEpoch() != null || o.outputDir() != null || init != null
                    || explicitConfig) {
                throw new UserError("--resume continues a saved run with its own config, seed and parameters; "
                        + "drop --config/--seed/--steps-per-epoch/--output-dir/--init (--epochs, --data-dir and "
                        + "--engine may be given)");
            }
            try {
                result = TrainingRun.resume(options, o.forResume(), stdout);
            } catch (TrainingRun.NothingToResume e) {
                throw new UserError(e.asked()
                        ? e.zip() + " already holds " + Plural.of(e.epochsCompleted(), "epoch") + "; --epochs is the total to "
                                + "reach, so give more than " + e.epochsCompleted()
                        : e.zip() + " holds a finished run (" + e.epochsCompleted() + " of " + e.target()
                                + " epochs); to train it further give the new total: --epochs "
                                + (e.epochsCompleted() + 1) + " or more");
            }
        } else {
            result = TrainingRun.fresh(overrides.applyTo(ConfigLoader.load(config)), options, stdout);
        }
        if (result.stopped()) {
            log.info("stopped at epoch {}, step {} of {}: checkpoint written; resume with: {}",
                    result.state().epochsCompleted(), result.state().stepInEpoch(),
                    result.config().training().stepsPerEpoch(), resumeCommand(result.directory()));
            return "TERM".equals(result.stopSignal()) ? Main.EXIT_TERMINATED : Main.EXIT_INTERRUPTED;
        }
        return 0;
    }

    /** The command line that continues a stopped run from its directory's checkpoint. */
    static String resumeCommand(RunDirectory run) {
        return CommandHints.app("train", "--resume", run.checkpoint().toString());
    }
}
