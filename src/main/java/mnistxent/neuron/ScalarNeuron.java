package mnistxent.neuron;

import mnistxent.config.LossKind;

/**
 * The single neuron of SPEC §7 as three float32 numbers, for maps of many thousands of trainings where the
 * DL4J network ({@link SingleNeuron}) would take hours: the same forward pass, gradient and SGD update,
 * written out. {@code z = w x + b}, {@code a = sigmoid(z)}; the quadratic cost's {@code dC/dz = (a - y)
 * a (1 - a)}, the cross-entropy's {@code dC/dz = a - y}; {@code w -= lr x dC/dz}, {@code b -= lr dC/dz}.
 * The map's test checks it against the DL4J neuron where the article's curves start.
 */
final class ScalarNeuron {

    private final LossKind loss;
    private final float learningRate;
    private final float x;
    private final float y;

    ScalarNeuron(CostSpec cost, double x, double y) {
        this.loss = cost.loss();
        this.learningRate = (float) cost.learningRate();
        this.x = (float) x;
        this.y = (float) y;
    }

    /**
     * The first epoch after which the cost is below half its initial value (the measure of
     * {@link Trajectory#epochCostHalved()}), or -1 if that takes more than {@code maxEpochs}.
     */
    int epochsToHalve(double w0, double b0, int maxEpochs) {
        float w = (float) w0;
        float b = (float) b0;
        double half = cost(w * x + b) / 2;
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            float z = w * x + b;
            float a = sigmoid(z);
            float dz = loss == LossKind.QUADRATIC ? (a - y) * (a * (1f - a)) : a - y;
            w -= learningRate * (dz * x);
            b -= learningRate * dz;
            if (cost(w * x + b) < half) {
                return epoch;
            }
        }
        return -1;
    }

    /** The cost at logit {@code z}, in double: TF's stable cross-entropy, or half the squared error. */
    double cost(float z) {
        if (loss == LossKind.QUADRATIC) {
            double d = sigmoid(z) - y;
            return d * d / 2;
        }
        return Math.max(z, 0) - z * (double) y + Math.log1p(Math.exp(-Math.abs(z)));
    }

    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
}
