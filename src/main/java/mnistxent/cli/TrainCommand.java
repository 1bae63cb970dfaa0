package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.config.ConfigLoader;
import mnistxent.config.DataSpec;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.OutputSpec;
import mnistxent.config.TrainingSpec;
import mnistxent.train.ProgressReporter;
import mnistxent.train.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code train}: runs a config (the seed's script by default), or resumes a saved run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
                "Trains the network of a config and prints the seed script's lines on stdout:",
                "  Epoch N: C / 10000 ... best: C / 10000",
                "Everything else goes to stderr and to the run directory runs/<name>-<timestamp>/."})
public final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/tf14-cross-entropy.yaml",
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

    @Option(names = "--engine", paramLabel = "NAME",
            description = {"auto (kernel on CPU, dl4j on CUDA), kernel (fast, exact), dl4j (stock "
                    + "MultiLayerNetwork.fit).", "Default: auto; with --resume, the engine recorded in the zip."})
    String engine;

    @Option(names = "--seed", paramLabel = "N", description = "Override the config's seed.")
    Long seed;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Override training.epochs (with --resume: the total number of epochs to reach).")
    Integer epochs;

    @Option(names = "--steps-per-epoch", paramLabel = "N", description = "Override training.steps-per-epoch.")
    Integer stepsPerEpoch;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Override output.dir (where run directories go).")
    Path outputDir;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Override data.dir (where MNIST is kept).")
    Path dataDir;

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
        TrainingRun.Result result;
        if (resume != null) {
            boolean explicitConfig = spec.commandLine().getParseResult().hasMatchedOption("--config");
            if (seed != null || stepsPerEpoch != null || outputDir != null || init != null || explicitConfig) {
                throw new UserError("--resume continues a saved run with its own config, seed and parameters; "
                        + "drop --config/--seed/--steps-per-epoch/--output-dir/--init (--epochs, --data-dir and "
                        + "--engine may be given)");
            }
            if (epochs != null && epochs < 1) {
                throw new UserError("--epochs must be >= 1");
            }
            result = TrainingRun.resume(options, new TrainingRun.ResumeChanges(epochs, dataDir), System.out);
        } else {
            result = TrainingRun.fresh(withOverrides(ConfigLoader.load(config)), options, System.out);
        }
        return result.stopped() ? Main.EXIT_INTERRUPTED : 0;
    }

    private ExperimentConfig withOverrides(ExperimentConfig c) {
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (epochs != null || stepsPerEpoch != null) {
            int e = epochs != null ? epochs : c.training().epochs();
            int s = stepsPerEpoch != null ? stepsPerEpoch : c.training().stepsPerEpoch();
            if (e < 1 || s < 1) {
                throw new UserError("--epochs and --steps-per-epoch must be >= 1");
            }
            c = c.withTraining(new TrainingSpec(c.training().batchSize(), e, s));
        }
        if (outputDir != null) {
            c = c.withOutput(new OutputSpec(outputDir));
        }
        if (dataDir != null) {
            c = c.withData(new DataSpec(dataDir, c.data().validationSize(), c.data().mirrors()));
        }
        return c;
    }
}
