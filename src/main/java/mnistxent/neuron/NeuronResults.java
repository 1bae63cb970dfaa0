package mnistxent.neuron;

import mnistxent.config.LossKind;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/** Every curve of one run of the experiment, costs outer and starts inner, in config order. */
public record NeuronResults(NeuronConfig config, List<Trajectory> trajectories) {

    public NeuronResults {
        Objects.requireNonNull(config, "config");
        trajectories = List.copyOf(trajectories);
    }

    /** The curves of one cost, in the config's start order (one chart panel). */
    public List<Trajectory> of(LossKind loss) {
        return trajectories.stream().filter(t -> t.cost().loss() == loss).toList();
    }

    public Trajectory get(LossKind loss, Start start) {
        return trajectories.stream()
                .filter(t -> t.cost().loss() == loss && t.start().equals(start))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no curve for " + loss.yamlName() + " from " + start));
    }
}
