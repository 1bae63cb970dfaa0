package mnistxent.neuron;

import java.util.List;

/**
 * The slowdown map: for a grid of starting points (w, b) of the single neuron, how many epochs each cost
 * needs to halve the cost (SPEC §7 beyond the article's two starts). Where the quadratic cost's gradient
 * vanishes, the neuron saturated on the wrong side, the map shows a plateau; the cross-entropy's gradient
 * is the error itself, so it has none there.
 *
 * <p>With the article's input x = 1, w and b get the same gradient and the neuron sees only w + b: the map
 * is striped along w + b = constant, which is the one-dimensional truth of this experiment drawn over the
 * plane the article draws its starts in.
 *
 * @param range     the grid spans [-range, range] in w and in b
 * @param points    grid points per axis
 * @param maxEpochs the longest training tried; cells that need more are reported as -1
 * @param epochs    per cost (in the config's order), {@code epochs[cost][bi][wi]}, b rising with bi
 */
public record SlowdownMap(double range, int points, int maxEpochs, List<CostSpec> costs, int[][][] epochs) {

    /** The map of {@code config}'s costs, input and target. */
    public static SlowdownMap compute(NeuronConfig config, double range, int points, int maxEpochs) {
        if (points < 2 || !(range > 0) || maxEpochs < 1) {
            throw new IllegalArgumentException("a map needs 2+ points, a range > 0 and 1+ epochs");
        }
        int[][][] out = new int[config.costs().size()][points][points];
        for (int c = 0; c < config.costs().size(); c++) {
            ScalarNeuron neuron = new ScalarNeuron(config.costs().get(c), config.input(), config.target());
            int cost = c;
            java.util.stream.IntStream.range(0, points).parallel().forEach(bi -> {
                for (int wi = 0; wi < points; wi++) {
                    out[cost][bi][wi] = neuron.epochsToHalve(coordinate(range, points, wi),
                            coordinate(range, points, bi), maxEpochs);
                }
            });
        }
        return new SlowdownMap(range, points, maxEpochs, List.copyOf(config.costs()), out);
    }

    /** The value of grid index {@code i}: -range .. range in {@code points} even steps. */
    public static double coordinate(double range, int points, int i) {
        return -range + 2 * range * i / (points - 1);
    }

    public double coordinate(int i) {
        return coordinate(range, points, i);
    }
}
