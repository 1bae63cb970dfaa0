package mnistxent.model;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LossKind;
import mnistxent.random.SeededRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Locale;

import static mnistxent.model.TfSigmoidCrossEntropyLossTest.crossEntropy;
import static mnistxent.model.TfSigmoidCrossEntropyLossTest.sigmoid;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The losses inside a whole DL4J network: the score the network reports is TF's {@code reduce_mean}
 * (SPEC §4), and one SGD step moves every parameter by exactly {@code lr * dLoss/dp} with TF's
 * reduction (DL4J's own division by the minibatch size included, SPEC §5). The reference is a
 * forward and backward pass written out here in double precision.
 */
class NetworkLossReductionTest {

    private static final int BATCH = 10;
    private static final int IN = 784;
    private static final int HID = 30;
    private static final int OUT = 10;

    static ExperimentConfig config(LossKind loss, double learningRate, double l2) {
        return ConfigLoader.parse("reduction.yaml", String.format(Locale.ROOT, """
                name: reduction
                seed: 7
                network:
                  inputs: 784
                  layers: [{units: 30, activation: sigmoid}, {units: 10, activation: sigmoid}]
                init:
                  weights: {distribution: normal, mean: 0.0, std: 1.0}
                  biases: {distribution: normal, mean: 0.0, std: 1.0}
                loss: %s
                updater: {type: sgd, learning-rate: %s, l2: %s}
                training: {batch-size: %d, epochs: 1, steps-per-epoch: 1}
                """, loss.yamlName(), learningRate, l2, BATCH));
    }

    /** A batch of MNIST-like images (80% zero pixels, k/255) with random one-hot labels. */
    static DataSet batch(long seed) {
        SeededRandom r = new SeededRandom(seed);
        float[] x = new float[BATCH * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < 0.8 ? 0f : (1 + r.nextInt(255)) * (float) (1.0 / 255.0);
        }
        float[] y = new float[BATCH * OUT];
        for (int e = 0; e < BATCH; e++) {
            y[e * OUT + r.nextInt(OUT)] = 1f;
        }
        return new DataSet(Nd4j.create(x, new long[]{BATCH, IN}, 'c'), Nd4j.create(y, new long[]{BATCH, OUT}, 'c'));
    }

    /** Loss and gradients of TF's definitions, in double, from the network's float parameters. */
    record Reference(double loss, double[] gW2, double[] gb2, double[] gW3, double[] gb3) {

        static Reference of(List<LayerParameters> p, DataSet data, LossKind kind, double l2) {
            float[] w2 = p.get(0).weights();
            float[] b2 = p.get(0).biases();
            float[] w3 = p.get(1).weights();
            float[] b3 = p.get(1).biases();
            INDArray xs = data.getFeatures();
            INDArray ys = data.getLabels();
            double[] gW2 = new double[IN * HID];
            double[] gb2 = new double[HID];
            double[] gW3 = new double[HID * OUT];
            double[] gb3 = new double[OUT];
            double loss = 0;
            for (int e = 0; e < BATCH; e++) {
                double[] x = new double[IN];
                for (int i = 0; i < IN; i++) {
                    x[i] = xs.getDouble(e, i);
                }
                double[] a2 = new double[HID];
                for (int h = 0; h < HID; h++) {
                    double z = b2[h];
                    for (int i = 0; i < IN; i++) {
                        z += x[i] * w2[i * HID + h];
                    }
                    a2[h] = sigmoid(z);
                }
                double[] d3 = new double[OUT];
                double sumOfSquares = 0;
                for (int o = 0; o < OUT; o++) {
                    double z = b3[o];
                    for (int h = 0; h < HID; h++) {
                        z += a2[h] * w3[h * OUT + o];
                    }
                    double y = ys.getDouble(e, o);
                    double a = sigmoid(z);
                    if (kind == LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS) {
                        loss += crossEntropy(z, y) / (BATCH * OUT);          // reduce_mean over batch AND outputs
                        d3[o] = (a - y) / (BATCH * OUT);
                    } else {
                        sumOfSquares += (y - a) * (y - a);
                        d3[o] = (a - y) * a * (1 - a) / BATCH;              // mean over the batch only
                    }
                }
                if (kind == LossKind.QUADRATIC) {
                    double norm = Math.sqrt(sumOfSquares);
                    loss += norm * norm / BATCH / 2;
                }
                for (int o = 0; o < OUT; o++) {
                    gb3[o] += d3[o];
                    for (int h = 0; h < HID; h++) {
                        gW3[h * OUT + o] += a2[h] * d3[o];
                    }
                }
                for (int h = 0; h < HID; h++) {
                    double back = 0;
                    for (int o = 0; o < OUT; o++) {
                        back += w3[h * OUT + o] * d3[o];
                    }
                    double d2 = back * a2[h] * (1 - a2[h]);
                    gb2[h] += d2;
                    for (int i = 0; i < IN; i++) {
                        gW2[i * HID + h] += x[i] * d2;
                    }
                }
            }
            if (l2 > 0) {
                double squares = 0;
                for (float w : w2) {
                    squares += (double) w * w;
                }
                for (float w : w3) {
                    squares += (double) w * w;
                }
                loss += l2 / 2 * squares;
                for (int i = 0; i < w2.length; i++) {
                    gW2[i] += l2 * w2[i];
                }
                for (int i = 0; i < w3.length; i++) {
                    gW3[i] += l2 * w3[i];
                }
            }
            return new Reference(loss, gW2, gb2, gW3, gb3);
        }
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void networkScoreIsTfMean(LossKind kind) {
        MultiLayerNetwork net = NetworkFactory.create(config(kind, 3.0, 0));
        DataSet data = batch(11);
        Reference ref = Reference.of(TfParameters.read(net), data, kind, 0);
        double score = net.score(data);
        assertEquals(ref.loss(), score, 1e-6 * ref.loss(), kind + ": network score vs TF's loss");
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void oneStepMovesEveryParameterByLrTimesTfGradient(LossKind kind) {
        assertOneStep(kind, 0);
    }

    /** SPEC §8's L2 extra: loss + l2/2 sum(W^2), gradient + l2 W, on weights only. */
    @ParameterizedTest
    @EnumSource(LossKind.class)
    void oneStepWithL2(LossKind kind) {
        assertOneStep(kind, 0.01);
    }

    private static void assertOneStep(LossKind kind, double l2) {
        double lr = 0.5;
        MultiLayerNetwork net = NetworkFactory.create(config(kind, lr, l2));
        DataSet data = batch(12);
        List<LayerParameters> before = TfParameters.read(net);
        Reference ref = Reference.of(before, data, kind, l2);
        net.fit(data);
        assertEquals(ref.loss(), net.score(), 1e-6 * ref.loss(), kind + ": the score of fit is the pre-update loss");
        List<LayerParameters> after = TfParameters.read(net);
        assertMoved("W_2", before.get(0).weights(), after.get(0).weights(), ref.gW2(), lr);
        assertMoved("b_2", before.get(0).biases(), after.get(0).biases(), ref.gb2(), lr);
        assertMoved("W_3", before.get(1).weights(), after.get(1).weights(), ref.gW3(), lr);
        assertMoved("b_3", before.get(1).biases(), after.get(1).biases(), ref.gb3(), lr);
    }

    private static void assertMoved(String name, float[] before, float[] after, double[] gradient, double lr) {
        for (int i = 0; i < before.length; i++) {
            double expected = before[i] - lr * gradient[i];
            // float32 rounding of p - lr*g: one ulp of |p| <= ~5 plus the float gradient's own rounding
            assertEquals(expected, after[i], 1e-6, name + "[" + i + "]: before " + before[i] + ", gradient " + gradient[i]);
        }
    }
}
