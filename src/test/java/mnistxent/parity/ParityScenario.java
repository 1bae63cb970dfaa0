package mnistxent.parity;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LossKind;
import mnistxent.data.LabelledImages;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfInitializer;
import mnistxent.random.SeededRandom;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One parity experiment: a config (784-30-10 sigmoid, the loss under test, SGD) plus everything both
 * sides must share: synthetic "MNIST-like" data, the minibatch sequence and the initial parameters.
 * All of it is derived from {@code seed}, so a scenario is the same on every run and every machine.
 *
 * @param name         names the scenario directory (target/tf-parity/&lt;name&gt;)
 * @param loss         the cost (SPEC §4)
 * @param learningRate SGD's rate (SPEC §5)
 * @param l2           the optional L2 coefficient (SPEC §8), 0 = off
 * @param batchSize    examples per step
 * @param steps        number of updates
 * @param snapshots    after which steps the parameters are compared
 * @param examples     size of the synthetic data set
 * @param seed         the source of every random choice of the scenario
 */
public record ParityScenario(String name, LossKind loss, double learningRate, double l2, int batchSize, int steps,
                             int[] snapshots, int examples, long seed) {

    public static final int INPUTS = 784;
    public static final int HIDDEN = 30;
    public static final int OUTPUTS = 10;

    /** The seed script's setting (SPEC §3-§5): lr 3.0, batches of 10; 100 steps, compared after 1, 10, 100. */
    public static ParityScenario seedScript(String name, LossKind loss) {
        return new ParityScenario(name, loss, 3.0, 0.0, 10, 100, new int[]{1, 10, 100}, 200, 20_240_611L);
    }

    public ParityScenario withL2(double newL2) {
        return new ParityScenario(name, loss, learningRate, newL2, batchSize, steps, snapshots, examples, seed);
    }

    /** The experiment as a config file would state it, parsed by the application's own loader. */
    public ExperimentConfig config() {
        String yaml = String.format(Locale.ROOT, """
                name: %s
                seed: %d
                network:
                  inputs: %d
                  layers:
                    - {units: %d, activation: sigmoid}
                    - {units: %d, activation: sigmoid}
                init:
                  weights: {distribution: normal, mean: 0.0, std: 1.0}
                  biases: {distribution: normal, mean: 0.0, std: 1.0}
                loss: %s
                updater: {type: sgd, learning-rate: %s, l2: %s}
                training: {batch-size: %d, epochs: 1, steps-per-epoch: %d}
                """, name, seed, INPUTS, HIDDEN, OUTPUTS, loss.yamlName(), learningRate, l2, batchSize, steps);
        return ConfigLoader.parse(name + ".yaml", yaml);
    }

    /** The data, batches and initial parameters of the scenario (deterministic in {@code seed}). */
    public Data data() {
        SeededRandom random = new SeededRandom(SeededRandom.derive(seed, "parity-data"));
        // SPEC §1: pixels are bytes k scaled by (float) (1/255); MNIST is about 80% zero pixels.
        byte[] pixels = new byte[examples * INPUTS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextDouble() < 0.8 ? 0 : (byte) (1 + random.nextInt(255));
        }
        byte[] labels = new byte[examples];
        for (int e = 0; e < examples; e++) {
            labels[e] = (byte) random.nextInt(OUTPUTS);
        }
        // SPEC §2's next_batch: passes over a shuffled permutation, reshuffled when used up; a batch may
        // straddle two passes.
        int[] order = new int[examples];
        Arrays.setAll(order, i -> i);
        random.shuffle(order);
        int position = 0;
        int[] batches = new int[steps * batchSize];
        for (int k = 0; k < batches.length; k++) {
            if (position == examples) {
                random.shuffle(order);
                position = 0;
            }
            batches[k] = order[position++];
        }
        // SPEC §3: every tensor, biases included, from N(0,1).
        ExperimentConfig config = config();
        List<LayerParameters> initial = TfInitializer.draw(config.network(), config.init(),
                SeededRandom.derive(seed, "parity-init"));
        return new Data(LabelledImages.of(pixels, labels, INPUTS), batches, initial);
    }

    /**
     * @param images   the examples: pixel bytes (scaled by TF's 1/255 where used) and labels
     * @param batches  row-major [steps, batchSize]: row k holds the example indices of step k
     * @param initial  W_2, b_2, W_3, b_3 before the first step
     */
    public record Data(LabelledImages images, int[] batches, List<LayerParameters> initial) {

        /** The images as TF's float32 {@code x}, row-major [examples, 784]. */
        public float[] x() {
            float[] x = new float[images.count() * INPUTS];
            for (int n = 0; n < images.count(); n++) {
                images.copyScaled(n, x, n * INPUTS);
            }
            return x;
        }

        /** The labels as TF's one-hot {@code y}, row-major [examples, 10]. */
        public float[] y() {
            float[] y = new float[images.count() * OUTPUTS];
            for (int n = 0; n < images.count(); n++) {
                y[n * OUTPUTS + images.label(n)] = 1f;
            }
            return y;
        }

        /** Step k's example indices. */
        public int[] batch(int step, int batchSize) {
            return Arrays.copyOfRange(batches, step * batchSize, (step + 1) * batchSize);
        }
    }

    @Override
    public String toString() {
        return name + " (" + loss.yamlName() + ", lr " + learningRate + ", l2 " + l2 + ", batch " + batchSize + ", "
                + steps + " steps, snapshots " + Arrays.toString(snapshots) + ", N " + examples + ", seed " + seed + ")";
    }
}
