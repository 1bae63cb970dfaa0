package mnistxent.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Values that replace a config's own for one run (a command line's {@code --seed}, {@code --epochs}, ...);
 * {@code null} keeps the config's value. They are checked with the schema's own rules ({@link ConfigRules})
 * when the record is made, so an override can never make a config the loader would refuse.
 */
public record ConfigOverrides(Long seed, Integer epochs, Integer stepsPerEpoch, Path outputDir, Path dataDir) {

    public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, null, null);

    /** @throws InvalidOverride when a value breaks the rule of the key it replaces */
    public ConfigOverrides {
        if (epochs != null) {
            check("training.epochs", ConfigRules.epochs(epochs));
        }
        if (stepsPerEpoch != null) {
            check("training.steps-per-epoch", ConfigRules.stepsPerEpoch(stepsPerEpoch));
        }
    }

    /** Only a new total of epochs and a data directory: what a resumed run may change. */
    public ConfigOverrides forResume() {
        return new ConfigOverrides(null, epochs, null, null, dataDir);
    }

    /** An override that breaks a rule: {@code key} is the config key it replaces (e.g. {@code training.epochs}). */
    public static final class InvalidOverride extends RuntimeException {
        private final String key;
        private final String problem;

        InvalidOverride(String key, String problem) {
            super(key + " " + problem);
            this.key = key;
            this.problem = problem;
        }

        public String key() {
            return key;
        }

        public String problem() {
            return problem;
        }
    }

    /** Whether any value is set. */
    public boolean any() {
        return seed != null || epochs != null || stepsPerEpoch != null || outputDir != null || dataDir != null;
    }

    /** {@code config} with these values in place of its own. */
    public ExperimentConfig applyTo(ExperimentConfig config) {
        ExperimentConfig c = config;
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (epochs != null || stepsPerEpoch != null) {
            TrainingSpec t = c.training();
            c = c.withTraining(new TrainingSpec(t.batchSize(), epochs != null ? epochs : t.epochs(),
                    stepsPerEpoch != null ? stepsPerEpoch : t.stepsPerEpoch()));
        }
        if (outputDir != null) {
            c = c.withOutput(new OutputSpec(outputDir));
        }
        if (dataDir != null) {
            c = c.withData(c.data().withDir(dataDir));
        }
        return c;
    }

    private static void check(String key, Optional<String> problem) {
        if (problem.isPresent()) {
            throw new InvalidOverride(key, problem.get());
        }
    }
}
