package mnistxent.neuron;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the single-neuron experiment of docs/SPEC.md §7: for every cost and every start, plain
 * gradient descent on the one example {@code (x, y)}, one DL4J {@code fit} per epoch, recording
 * w, b, a and the cost from epoch 0 (before any update) to the last epoch.
 */
public final class NeuronExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(NeuronExperiment.class);

    private NeuronExperiment() {
    }

    public static NeuronResults run(NeuronConfig config) {
        List<Trajectory> trajectories = new ArrayList<>();
        for (CostSpec cost : config.costs()) {
            for (Start start : config.starts()) {
                Trajectory t = train(cost, start, config.input(), config.target(), config.epochs());
                LOG.debug("{} lr={} from {}: C {} -> {} in {} epochs", cost.loss().yamlName(), cost.learningRate(),
                        start.label(), t.initialCost(), t.finalCost(), t.epochs());
                trajectories.add(t);
            }
        }
        return new NeuronResults(config, trajectories);
    }

    /** One curve: {@code epochs} updates of a fresh neuron from {@code start}. */
    public static Trajectory train(CostSpec cost, Start start, double x, double y, int epochs) {
        SingleNeuron neuron = SingleNeuron.create(cost, start);
        Gradient initialGradient = neuron.gradient(x, y);
        List<EpochState> states = new ArrayList<>(epochs + 1);
        states.add(state(0, neuron, x, y));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            neuron.step(x, y);
            states.add(state(epoch, neuron, x, y));
        }
        return new Trajectory(cost, start, x, y, initialGradient, states);
    }

    private static EpochState state(int epoch, SingleNeuron neuron, double x, double y) {
        return new EpochState(epoch, neuron.w(), neuron.b(), neuron.output(x), neuron.cost(x, y));
    }
}
