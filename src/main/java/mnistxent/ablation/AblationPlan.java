package mnistxent.ablation;

import mnistxent.config.ExperimentConfig;
import mnistxent.config.OutputSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * What an ablation trains: every config at each of {@code seeds} seeds
 * {@code firstSeed, firstSeed+1, ...}, each run in {@code <out>/<config name>/seed-<seed>/}.
 * Config names must differ, since they name the directories.
 */
public record AblationPlan(List<ExperimentConfig> configs, long firstSeed, int seeds, Path out) {

    public AblationPlan {
        configs = List.copyOf(configs);
        Objects.requireNonNull(out, "out");
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("an ablation needs at least one config");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("an ablation needs at least one seed, got " + seeds);
        }
        if (firstSeed < 0 || firstSeed > Long.MAX_VALUE - seeds) {
            throw new IllegalArgumentException("seeds must lie in 0.." + Long.MAX_VALUE + ", first " + firstSeed);
        }
        Set<String> names = new HashSet<>();
        for (ExperimentConfig c : configs) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("two configs are named '" + c.name() + "'");
            }
        }
    }

    public List<Long> seedList() {
        return LongStream.range(firstSeed, firstSeed + seeds).boxed().toList();
    }

    /** Config by config, seed by seed: the order runs are started in and reported. */
    public List<PlannedRun> runs() {
        List<PlannedRun> runs = new ArrayList<>();
        for (ExperimentConfig c : configs) {
            for (long seed : seedList()) {
                runs.add(new PlannedRun(c.withSeed(seed).withOutput(new OutputSpec(out)), runDirectory(c.name(), seed)));
            }
        }
        return runs;
    }

    public Path runDirectory(String configName, long seed) {
        return out.resolve(configName).resolve("seed-" + seed);
    }

    public int size() {
        return configs.size() * seeds;
    }
}
