package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.config.ConfigOverrides;
import mnistxent.config.ExperimentConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * The options that replace a config's values for one run, as one typed {@link ConfigOverrides}: applied
 * with the schema's own range rules, so {@code --epochs 200000} is refused as the same key in a file is.
 */
final class RunOverrides {

    /** The option that sets each config key: how a broken rule is reported. */
    private static final Map<String, String> OPTION_OF_KEY = Map.of(
            "training.epochs", "--epochs", "training.steps-per-epoch", "--steps-per-epoch");

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

    /** The options as one value; a value out of range is one line naming the option. */
    ConfigOverrides overrides() {
        return checked(() -> new ConfigOverrides(seed, epochs, stepsPerEpoch, outputDir, dataDir));
    }

    /** {@code config} with the options' values. */
    ExperimentConfig applyTo(ExperimentConfig config) {
        return overrides().applyTo(config);
    }

    /** Makes overrides, wording a broken rule with the option that set the value. */
    static ConfigOverrides checked(java.util.function.Supplier<ConfigOverrides> make) {
        try {
            return make.get();
        } catch (ConfigOverrides.InvalidOverride e) {
            throw new UserError(OPTION_OF_KEY.getOrDefault(e.key(), e.key()) + " " + e.problem());
        }
    }

    /** A {@code --data-dir} only, for the commands that read MNIST but train nothing. */
    static final class DataDir {

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Where MNIST is (overrides data.dir).")
        Path dataDir;

        ExperimentConfig applyTo(ExperimentConfig config) {
            return new ConfigOverrides(null, null, null, null, dataDir).applyTo(config);
        }
    }
}
