package mnistxent.neuron;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The single-neuron experiment (docs/SPEC.md §7), as read from {@code config/neuron.yaml} by
 * {@link NeuronConfigLoader}: every cost is trained from every start for {@code epochs} epochs of
 * plain gradient descent on the one example {@code (input, target)}.
 */
public record NeuronConfig(String name, int epochs, double input, double target, List<Start> starts,
                           List<CostSpec> costs, Path outputDir) {

    public NeuronConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outputDir, "outputDir");
        starts = List.copyOf(starts);
        costs = List.copyOf(costs);
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (!Double.isFinite(input)) {
            throw new IllegalArgumentException("input must be finite, got " + input);
        }
        if (!(target >= 0 && target <= 1)) {
            throw new IllegalArgumentException("target must be in [0, 1], got " + target);
        }
        if (starts.isEmpty() || costs.isEmpty()) {
            throw new IllegalArgumentException("at least one start and one cost are needed");
        }
        if (new HashSet<>(starts).size() != starts.size()) {
            throw new IllegalArgumentException("starts repeat: " + starts);
        }
        if (costs.stream().map(CostSpec::loss).distinct().count() != costs.size()) {
            throw new IllegalArgumentException("a loss appears twice: " + costs);
        }
    }

    /** The same experiment writing to another directory (the command's {@code --out}). */
    public NeuronConfig withOutputDir(Path dir) {
        return new NeuronConfig(name, epochs, input, target, starts, costs, dir);
    }
}
