package mnistxent.neuron;

import mnistxent.config.LossKind;
import mnistxent.model.NetworkFactory;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The article's one sigmoid neuron {@code a = sigmoid(w*x + b)} (docs/SPEC.md §7), built as a DL4J
 * network so that the experiment exercises the same loss classes, float32 arithmetic and SGD update
 * as the MNIST training: a {@link MultiLayerNetwork} whose only layer is an {@link OutputLayer}
 * with 1 input, 1 sigmoid output and the cost's TF-exact loss. With one output and one example,
 * {@code TfQuadraticLoss} is exactly {@code C = (a-y)^2/2} and {@code TfSigmoidCrossEntropyLoss} is
 * exactly {@code C = -[y ln a + (1-y) ln(1-a)]}.
 *
 * <p>Mutable: every {@link #step} changes w and b. Not thread-safe.
 */
public final class SingleNeuron {

    /** DL4J's parameter keys: layer 0's weight matrix (1x1 here) and bias row (1x1). */
    static final String WEIGHT = "0_W";
    static final String BIAS = "0_b";

    private final CostSpec cost;
    private final MultiLayerNetwork network;

    private SingleNeuron(CostSpec cost, MultiLayerNetwork network) {
        this.cost = cost;
        this.network = network;
    }

    /** A neuron with the cost's loss and learning rate, starting at {@code start}. */
    public static SingleNeuron create(CostSpec cost, Start start) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(cost));
        network.init();
        SingleNeuron neuron = new SingleNeuron(cost, network);
        neuron.set(start.w(), start.b());
        return neuron;
    }

    /** One input, one sigmoid output, float32, plain SGD: SPEC §3 and §5 applied to one neuron. */
    static MultiLayerConfiguration configuration(CostSpec cost) {
        return new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .updater(new Sgd(cost.learningRate()))          // w <- w - lr * dC/dw, nothing else
                .list()
                .layer(new OutputLayer.Builder(lossFunction(cost.loss()))
                        .nIn(1).nOut(1)
                        .activation(Activation.SIGMOID)
                        .weightInit(WeightInit.ZERO)            // overwritten by set(w, b)
                        .biasInit(0.0)
                        .build())
                .build();
    }

    /** The same loss classes as the MNIST network (one mapping, in NetworkFactory). */
    static ILossFunction lossFunction(LossKind kind) {
        return NetworkFactory.loss(kind);
    }

    /** Sets the weight and the bias (stored as float32, like every parameter of the network). */
    public void set(double w, double b) {
        network.setParam(WEIGHT, Nd4j.create(new float[][]{{(float) w}}));
        network.setParam(BIAS, Nd4j.create(new float[][]{{(float) b}}));
    }

    public CostSpec cost() {
        return cost;
    }

    /** The underlying DL4J network (for inspection; training goes through {@link #step}). */
    public MultiLayerNetwork network() {
        return network;
    }

    public double w() {
        return network.getParam(WEIGHT).getDouble(0);
    }

    public double b() {
        return network.getParam(BIAS).getDouble(0);
    }

    /** The neuron's output {@code a = sigmoid(w*x + b)}. */
    public double output(double x) {
        return network.output(column(x), false).getDouble(0);
    }

    /** The cost of the one example, as DL4J's loss computes it. */
    public double cost(double x, double y) {
        return network.score(example(x, y), false);
    }

    /** {@code dC/dw} and {@code dC/db} at the current parameters, from DL4J's backpropagation. */
    public Gradient gradient(double x, double y) {
        network.setInput(column(x));
        network.setLabels(column(y));
        network.computeGradientAndScore();
        // read the values now: the gradient arrays are views DL4J reuses on the next pass
        double dw = network.gradient().getGradientFor(WEIGHT).getDouble(0);
        double db = network.gradient().getGradientFor(BIAS).getDouble(0);
        network.clear();
        return new Gradient(dw, db);
    }

    /** One epoch: one gradient-descent update on the single example (one {@code fit}). */
    public void step(double x, double y) {
        network.fit(example(x, y));
    }

    private static DataSet example(double x, double y) {
        return new DataSet(column(x), column(y));
    }

    private static INDArray column(double v) {
        return Nd4j.create(new float[][]{{(float) v}});
    }
}
