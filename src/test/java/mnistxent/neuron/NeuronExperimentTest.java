package mnistxent.neuron;

import mnistxent.config.LossKind;
import mnistxent.model.TfQuadraticLoss;
import mnistxent.model.TfSigmoidCrossEntropyLoss;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

import java.nio.file.Path;
import java.util.List;

import static mnistxent.config.LossKind.QUADRATIC;
import static mnistxent.config.LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The article's claims (docs/SPEC.md §7), checked on the numbers the DL4J neuron produces. Each
 * test that involves a gradient also fails if the two costs' loss classes were swapped: the
 * closed forms and the curve shapes below are those of the named cost, not of the other one.
 */
class NeuronExperimentTest {

    private static final Start NORMAL = new Start(0.6, 0.9);
    private static final Start SATURATED = new Start(2.0, 2.0);
    private static final double X = 1.0;
    private static final double Y = 0.0;
    /** The network computes in float32: a few units in the 7th significant digit. */
    private static final double FLOAT_TOLERANCE = 2e-6;

    private static NeuronResults results;

    @BeforeAll
    static void runTheShippedExperiment() {
        results = NeuronExperiment.run(NeuronConfigLoader.load(Path.of("config/neuron.yaml")));
    }

    private static Trajectory curve(LossKind loss, Start start) {
        return results.get(loss, start);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** dC/dz of the named cost for one sigmoid neuron, written out by hand (the article's algebra). */
    private static double dCdz(LossKind loss, double a, double y) {
        return switch (loss) {
            case QUADRATIC -> (a - y) * a * (1 - a);              // (a - y) * sigma'(z)
            case SIGMOID_CROSS_ENTROPY_WITH_LOGITS -> a - y;      // sigma'(z) cancels
        };
    }

    private static double cost(LossKind loss, double a, double y) {
        return switch (loss) {
            case QUADRATIC -> (a - y) * (a - y) / 2;
            case SIGMOID_CROSS_ENTROPY_WITH_LOGITS -> -(y * Math.log(a) + (1 - y) * Math.log(1 - a));
        };
    }

    // ------------------------------------------------------------------ the network itself

    @Test
    void theNeuronIsAOneInputOneSigmoidOutputDl4jNetwork() {
        for (CostSpec cost : List.of(new CostSpec(QUADRATIC, 0.15), new CostSpec(SIGMOID_CROSS_ENTROPY_WITH_LOGITS, 0.005))) {
            MultiLayerNetwork net = SingleNeuron.create(cost, SATURATED).network();
            assertEquals(1, net.getnLayers());
            OutputLayer layer = assertInstanceOf(OutputLayer.class, net.getLayerWiseConfigurations().getConf(0).getLayer());
            assertEquals(1, layer.getNIn());
            assertEquals(1, layer.getNOut());
            assertInstanceOf(ActivationSigmoid.class, layer.getActivationFn());
            Class<?> lossClass = cost.loss() == QUADRATIC ? TfQuadraticLoss.class : TfSigmoidCrossEntropyLoss.class;
            assertEquals(lossClass, layer.getLossFn().getClass());
            Sgd sgd = assertInstanceOf(Sgd.class, layer.getIUpdater());
            assertEquals(cost.learningRate(), sgd.getLearningRate());
            assertEquals(DataType.FLOAT, net.params().dataType());
            assertEquals(2, net.numParams());
            assertEquals(2.0, net.getParam("0_W").getDouble(0));
            assertEquals(2.0, net.getParam("0_b").getDouble(0));
        }
    }

    @Test
    void recordsEpochZeroToTheLastEpoch() {
        assertEquals(4, results.trajectories().size());
        for (Trajectory t : results.trajectories()) {
            assertEquals(300, t.epochs());
            assertEquals(301, t.states().size());
            assertEquals(t.start().w(), t.at(0).w(), 1e-7, "epoch 0 is the start, before any update");
            assertEquals(t.start().b(), t.at(0).b(), 1e-7);
            for (EpochState s : t.states()) {
                assertEquals(sigmoid(s.w() * X + s.b()), s.a(), FLOAT_TOLERANCE, "a = sigmoid(w x + b)");
                assertEquals(cost(t.cost().loss(), s.a(), Y), s.cost(), 1e-5 * Math.max(1, s.cost()),
                        "the recorded cost is the named cost of the recorded output, epoch " + s.epoch());
            }
        }
    }

    // ------------------------------------------------------------------ the article's numbers

    @Test
    void theStartsGiveTheArticlesOutputs() {
        for (LossKind loss : LossKind.values()) {
            assertEquals(0.82, curve(loss, NORMAL).initialOutput(), 0.005, "w=0.6, b=0.9: output 0.82");
            assertEquals(0.98, curve(loss, SATURATED).initialOutput(), 0.005, "w=b=2.0: output 0.98");
        }
    }

    @Test
    void initialGradientsEqualTheClosedForms() {
        for (Trajectory t : results.trajectories()) {
            double a = t.initialOutput();
            double expected = switch (t.cost().loss()) {
                case QUADRATIC -> (a - Y) * a * (1 - a) * X;
                case SIGMOID_CROSS_ENTROPY_WITH_LOGITS -> (a - Y) * X;
            };
            assertEquals(expected, t.initialGradient().dw(), FLOAT_TOLERANCE, t.cost() + " from " + t.start());
            assertEquals(expected / X, t.initialGradient().db(), FLOAT_TOLERANCE);
        }
        // the article's explanation in numbers: sigma'(z) makes the saturated quadratic gradient tiny
        assertEquals(0.0173, curve(QUADRATIC, SATURATED).initialGradient().dw(), 5e-5);
        assertEquals(0.1219, curve(QUADRATIC, NORMAL).initialGradient().dw(), 5e-5);
        assertEquals(0.9820, curve(SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SATURATED).initialGradient().dw(), 5e-5);
        assertTrue(curve(SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SATURATED).initialGradient().dw()
                > curve(SIGMOID_CROSS_ENTROPY_WITH_LOGITS, NORMAL).initialGradient().dw(),
                "cross-entropy: the larger the error, the larger the gradient");
    }

    @Test
    void theGradientCarriesTheInputForAnyExample() {
        // x != 1 and y != 0 separate dC/dw = dC/dz * x from dC/db = dC/dz
        double x = 0.5;
        double y = 1.0;
        for (LossKind loss : LossKind.values()) {
            SingleNeuron neuron = SingleNeuron.create(new CostSpec(loss, 0.1), new Start(-1.5, 0.25));
            double a = sigmoid(neuron.w() * x + neuron.b());
            Gradient g = neuron.gradient(x, y);
            assertEquals(dCdz(loss, a, y) * x, g.dw(), FLOAT_TOLERANCE, loss + " dC/dw");
            assertEquals(dCdz(loss, a, y), g.db(), FLOAT_TOLERANCE, loss + " dC/db");
        }
    }

    @Test
    void oneEpochIsOneHandComputedGradientStep() {
        for (Trajectory t : results.trajectories()) {
            EpochState before = t.at(0);
            EpochState after = t.at(1);
            double lr = t.cost().learningRate();
            double delta = dCdz(t.cost().loss(), before.a(), Y);
            assertEquals(before.w() - lr * delta * X, after.w(), FLOAT_TOLERANCE, t.cost() + " w after one epoch");
            assertEquals(before.b() - lr * delta, after.b(), FLOAT_TOLERANCE, t.cost() + " b after one epoch");
        }
        // and at a point where the two costs' steps differ in every digit
        double x = 0.5;
        double y = 1.0;
        for (LossKind loss : LossKind.values()) {
            SingleNeuron neuron = SingleNeuron.create(new CostSpec(loss, 0.1), new Start(-1.5, 0.25));
            double w = neuron.w();
            double b = neuron.b();
            double delta = dCdz(loss, sigmoid(w * x + b), y);
            neuron.step(x, y);
            assertEquals(w - 0.1 * delta * x, neuron.w(), FLOAT_TOLERANCE, loss + " w");
            assertEquals(b - 0.1 * delta, neuron.b(), FLOAT_TOLERANCE, loss + " b");
        }
    }

    @Test
    void quadraticCostFromASaturatedStartLearnsSlowly() {
        Trajectory saturated = curve(QUADRATIC, SATURATED);
        Trajectory normal = curve(QUADRATIC, NORMAL);
        // the slowdown: after 50 epochs the saturated neuron has lost less than 10% of its cost...
        assertTrue(saturated.at(50).cost() >= 0.9 * saturated.initialCost(),
                "w=b=2: C(50)/C(0) = " + saturated.at(50).cost() / saturated.initialCost());
        // ...while the normal start has not
        assertTrue(normal.at(50).cost() < 0.9 * normal.initialCost(),
                "w=0.6, b=0.9: C(50)/C(0) = " + normal.at(50).cost() / normal.initialCost());
        // "到第100次时就很低了": low by epoch 100, almost 0 by 300
        assertTrue(normal.at(100).cost() < 0.1 * normal.initialCost());
        assertTrue(normal.finalCost() < 0.01);
        // "200次迭代后损失依然很高": still more than half after 150 epochs; the last 100 recover
        assertTrue(saturated.at(150).cost() > 0.5 * saturated.initialCost());
        int halved = saturated.epochCostHalved().orElseThrow();
        assertTrue(halved > 150 && halved < 250, "w=b=2 halves its cost at epoch " + halved);
        assertTrue(normal.epochCostHalved().orElseThrow() < 50);
        assertTrue(saturated.finalCost() < 0.1 * saturated.initialCost(), "normal learning resumes by epoch 300");
    }

    @Test
    void quadraticCostFromASaturatedStartSpeedsUpAsItLeavesSaturation() {
        // the opposite of "fastest where the error is largest": the per-epoch decrease grows
        double[] perEpoch = meanDecreasePerWindow(curve(QUADRATIC, SATURATED), 10);
        for (int w = 1; w < 15; w++) {
            assertTrue(perEpoch[w] > perEpoch[w - 1], "window " + w + " of the first 150 epochs");
        }
    }

    @Test
    void crossEntropyFromASaturatedStartFallsFastestAtTheStart() {
        Trajectory t = curve(SIGMOID_CROSS_ENTROPY_WITH_LOGITS, SATURATED);
        // the decrease per epoch, averaged over 10-epoch windows (to average out float32 rounding of
        // C ~ 4), is largest in the first window and shrinks window after window
        double[] perEpoch = meanDecreasePerWindow(t, 10);
        for (int w = 1; w < perEpoch.length; w++) {
            assertTrue(perEpoch[w] < perEpoch[w - 1], "window " + w + ": " + perEpoch[w] + " vs " + perEpoch[w - 1]);
        }
        assertTrue(perEpoch[0] > 0.009, "falls from the first epoch on: " + perEpoch[0] + " per epoch");
        // and epoch by epoch: the single largest decrease of all 300 is one of the first epochs
        double[] c = t.costs();
        int largest = 1;
        for (int e = 2; e < c.length; e++) {
            if (c[e - 1] - c[e] > c[largest - 1] - c[largest]) {
                largest = e;
            }
        }
        assertTrue(largest <= 10, "largest single-epoch decrease at epoch " + largest);
        // no plateau: unlike the quadratic cost, it has lost >10% of its cost by epoch 50
        assertTrue(t.at(50).cost() < 0.9 * t.initialCost());
    }

    @Test
    void theCostFallsEveryEpoch() {
        for (Trajectory t : results.trajectories()) {
            double[] c = t.costs();
            for (int e = 1; e < c.length; e++) {
                assertTrue(c[e] <= c[e - 1], t.cost() + " from " + t.start() + " rose at epoch " + e);
            }
        }
    }

    @Test
    void halvingIsNeverWhenItDoesNotHappen() {
        Trajectory short_ = NeuronExperiment.train(new CostSpec(QUADRATIC, 0.15), SATURATED, X, Y, 20);
        assertEquals(20, short_.epochs());
        assertFalse(short_.epochCostHalved().isPresent());
    }

    /** {@code (C(start) - C(end)) / size} for the consecutive windows [0,10], [10,20], ... */
    private static double[] meanDecreasePerWindow(Trajectory t, int size) {
        double[] c = t.costs();
        double[] out = new double[t.epochs() / size];
        for (int w = 0; w < out.length; w++) {
            out[w] = (c[w * size] - c[(w + 1) * size]) / size;
        }
        return out;
    }
}
