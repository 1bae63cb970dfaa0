package mnistxent.ablation;

import mnistxent.config.ExperimentConfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One run of an ablation: a config at one seed, trained into its own directory
 * {@code <out>/<config name>/seed-<seed>/}. The path depends only on the config's name and the
 * seed, so a second invocation finds the runs of the first (resumability).
 *
 * @param config    the effective config: seeded, its output dir the ablation's
 * @param directory the run directory (config.yaml, metrics.csv, model-*.zip, train.log, stdout.txt)
 */
public record PlannedRun(ExperimentConfig config, Path directory) {

    public PlannedRun {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(directory, "directory");
        if (!config.hasSeed()) {
            throw new IllegalArgumentException("an ablation run needs a seed: " + config.name());
        }
    }

    public String configName() {
        return config.name();
    }

    public long seed() {
        return config.seed();
    }

    /** How log lines name the run. */
    public String label() {
        return config.name() + " seed " + config.seed();
    }
}
