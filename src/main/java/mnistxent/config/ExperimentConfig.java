package mnistxent.config;

import java.util.Objects;

/**
 * One experiment, as read from a YAML file and validated: immutable, every value in range.
 * {@link ConfigLoader} builds it; {@link NetworkFactory} turns it into a DL4J network.
 *
 * @param name    short name; run directories are named after it
 * @param seed    the run seed, or {@code null} for a fresh random one (like TF, which is unseeded);
 *                the seed actually used is always recorded with the run
 * @param network layer sizes and activations (SPEC §3)
 * @param init    distributions of the initial weights and biases (SPEC §3, §8)
 * @param loss    the cost (SPEC §4)
 * @param updater the optimiser (SPEC §5)
 */
public record ExperimentConfig(
        String name,
        Long seed,
        NetworkSpec network,
        InitSpec init,
        LossKind loss,
        UpdaterSpec updater,
        TrainingSpec training,
        DataSpec data,
        OutputSpec output) {

    public ExperimentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(updater, "updater");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(output, "output");
    }

    public boolean hasSeed() {
        return seed != null;
    }

    public ExperimentConfig withSeed(long newSeed) {
        return new ExperimentConfig(name, newSeed, network, init, loss, updater, training, data, output);
    }

    public ExperimentConfig withName(String newName) {
        return new ExperimentConfig(newName, seed, network, init, loss, updater, training, data, output);
    }

    public ExperimentConfig withTraining(TrainingSpec newTraining) {
        return new ExperimentConfig(name, seed, network, init, loss, updater, newTraining, data, output);
    }

    public ExperimentConfig withData(DataSpec newData) {
        return new ExperimentConfig(name, seed, network, init, loss, updater, training, newData, output);
    }

    public ExperimentConfig withOutput(OutputSpec newOutput) {
        return new ExperimentConfig(name, seed, network, init, loss, updater, training, data, newOutput);
    }
}
