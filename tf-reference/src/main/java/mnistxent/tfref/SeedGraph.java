package mnistxent.tfref;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.op.FrameworkOps;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyGradientDescent;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed script's graph (docs/SPEC.md §3-§5) in TensorFlow Java: placeholders, the four variables,
 * the forward pass, the loss, TF's symbolic gradients and the gated {@code ApplyGradientDescent}
 * updates. Shared by {@link TfReference} (the parity tests' reference, which starts the variables from
 * given values) and {@link TfMnistJob} (the whole job, which starts them from TF's
 * {@code random_normal}), so that both run one and the same graph.
 *
 * <p>How the variables get their first values is the caller's {@link InitialValues}: the graph only
 * adds one {@code Assign(variable, initialValue)} per variable, which {@link #initialise} runs once,
 * as {@code tf.global_variables_initializer()} does in the script.
 */
final class SeedGraph {

    static final int INPUTS = 784;   // SPEC §3: x[?,784]
    static final int HIDDEN = 30;    // SPEC §3: W2[784,30]
    static final int OUTPUTS = 10;   // SPEC §3: W3[30,10]
    static final String CROSS_ENTROPY = "sigmoid-cross-entropy-with-logits";
    static final String QUADRATIC = "quadratic";

    /** Where a variable's first value comes from: one operand of the variable's shape, per variable. */
    @FunctionalInterface
    interface InitialValues {
        Operand<TFloat32> of(Ops tf, String name, Shape shape);
    }

    /**
     * A trainable variable, in the script's creation order with its TF name. {@code read} is what the
     * model uses, like TF 1.x Python, where every use of a {@code tf.Variable} goes through its
     * {@code <name>/read} Identity snapshot; the gradients are taken with respect to the variable
     * itself, through that Identity, as {@code Optimizer.compute_gradients} does. (Ops applied directly
     * to the ref-typed variable also break some of TF's C++ gradient functions: Square's casts to the
     * input's type, float_ref, and TF crashes while building the gradient.)
     */
    record Parameter(String name, Variable<TFloat32> variable, Operand<TFloat32> read,
                     Operand<TFloat32> initialValue, Assign<TFloat32> assign, Shape shape) {
    }

    final Placeholder<TFloat32> x;
    final Placeholder<TFloat32> y;
    final List<Parameter> params;
    final Operand<TFloat32> a3;
    final Operand<TFloat32> loss;
    final List<ApplyGradientDescent<TFloat32>> updates;
    private final Ops tf;
    private Operand<TInt32> correct;

    /**
     * Builds the graph into {@code graph}.
     *
     * @param lossName     {@link #CROSS_ENTROPY} or {@link #QUADRATIC} (SPEC §4)
     * @param learningRate {@code GradientDescentOptimizer}'s rate (SPEC §5)
     * @param l2           0 for the script; otherwise SPEC §8's optional L2 term
     * @param hidden       the hidden layer's width (30 in the script)
     * @param outputs      the number of classes (10 in the script)
     */
    SeedGraph(Graph graph, String lossName, float learningRate, float l2, int hidden, int outputs,
              InitialValues initialValues) {
        tf = Ops.create(graph);

        // SPEC §3: x[?,784] -> z2 = x·W2 + b2 -> a2 = sigmoid(z2) -> z3 = a2·W3 + b3 -> a3 = sigmoid(z3).
        x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, INPUTS)));
        y = tf.withName("y_").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, outputs)));
        params = List.of(
                parameter(tf, "W_2", Shape.of(INPUTS, hidden), initialValues),
                parameter(tf, "b_2", Shape.of(hidden), initialValues),
                parameter(tf, "W_3", Shape.of(hidden, outputs), initialValues),
                parameter(tf, "b_3", Shape.of(outputs), initialValues));
        Operand<TFloat32> w2 = params.get(0).read();
        Operand<TFloat32> b2 = params.get(1).read();
        Operand<TFloat32> w3 = params.get(2).read();
        Operand<TFloat32> b3 = params.get(3).read();

        Operand<TFloat32> z2 = tf.math.add(tf.linalg.matMul(x, w2), b2);
        Operand<TFloat32> a2 = tf.math.sigmoid(z2);
        Operand<TFloat32> z3 = tf.math.add(tf.linalg.matMul(a2, w3), b3);
        a3 = tf.math.sigmoid(z3);

        Operand<TFloat32> cost = switch (lossName) {
            case CROSS_ENTROPY -> crossEntropy(tf, y, z3);
            case QUADRATIC -> quadratic(tf, y, a3);
            default -> throw new IllegalArgumentException(
                    "loss must be " + CROSS_ENTROPY + " or " + QUADRATIC + ", got " + lossName);
        };
        if (l2 != 0f) {
            // SPEC §8 / UpdaterSpec: loss + l2/2 * (sum(W2^2) + sum(W3^2)), weights only.
            Operand<TFloat32> squares = tf.math.add(sumAll(tf, tf.math.square(w2)), sumAll(tf, tf.math.square(w3)));
            cost = tf.math.add(cost, tf.math.mul(tf.constant(l2 / 2f), squares));
        }
        loss = tf.withName("loss").identity(cost);

        // TF's symbolic gradients of the loss with respect to every variable.
        Gradients grads = tf.gradients(loss, params.stream().map(Parameter::variable).toList());

        // SPEC §5: p <- p - lr * dLoss/dp. Every update waits for ALL gradients and for the loss
        // (TF 1.x's optimizer gates its updates the same way): otherwise W_3 could be updated before
        // the backward pass has used it to reach layer 2, and the loss could read updated values.
        List<Op> gate = new ArrayList<>();
        List<Operand<TFloat32>> deltas = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            var g = tf.withName("grad_" + params.get(i).name()).identity(grads.<TFloat32>dy(i));
            gate.add(g);
            deltas.add(g);
        }
        gate.add((Op) loss);
        Ops gated = tf.withControlDependencies(gate);
        Operand<TFloat32> rate = tf.constant(learningRate);
        List<ApplyGradientDescent<TFloat32>> applies = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            applies.add(gated.withName("apply_" + params.get(i).name())
                    .train.applyGradientDescent(params.get(i).variable(), rate, deltas.get(i)));
        }
        updates = List.copyOf(applies);
    }

    /**
     * SPEC §6, the script's test: {@code reduce_sum(cast(equal(argmax(a3, 1), argmax(y_, 1)), int32))},
     * the number of rows whose largest output is the label's (ArgMax: the first index wins a tie).
     * Built on first use, once: the script adds these ops again after every epoch, which changes
     * nothing but the graph's size.
     */
    Operand<TInt32> correctCount() {
        if (correct == null) {
            Operand<TInt32> axis = tf.constant(1);
            var hits = tf.math.equal(tf.math.argMax(a3, axis), tf.math.argMax(y, axis));
            correct = tf.withName("accuracy").sum(tf.dtypes.cast(hits, TInt32.class), tf.constant(0));
        }
        return correct;
    }

    /** Adds every variable's {@code Assign} to {@code runner} (its feeds, if any, are the caller's). */
    Session.Runner addInitialisers(Session.Runner runner) {
        params.forEach(p -> runner.addTarget(p.assign()));
        return runner;
    }

    /** Adds the four updates of one training step to {@code runner}. */
    Session.Runner addUpdates(Session.Runner runner) {
        updates.forEach(runner::addTarget);
        return runner;
    }

    /**
     * SPEC §4, the seed's cost: {@code reduce_mean(sigmoid_cross_entropy_with_logits(labels=y, logits=z3))}.
     * TF Java's framework provides the function (the same stable composite of ops as TF's Python
     * {@code tf.nn.sigmoid_cross_entropy_with_logits}: select, neg, exp, log1p on the logits);
     * {@code reduce_mean} with no axis averages over the batch and the outputs.
     */
    private static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> y, Operand<TFloat32> z3) {
        Operand<TFloat32> perElement = FrameworkOps.create(tf).nn.sigmoidCrossEntropyWithLogits(y, z3);
        return tf.math.mean(perElement, tf.constant(new int[]{0, 1}));
    }

    /**
     * SPEC §4, chapter 12's cost: {@code reduce_mean(norm(y - a3, axis=1)**2) / 2}. {@code tf.norm}'s
     * Euclidean case is {@code sqrt(reduce_sum(t * t, axis))}, and {@code **2} is {@code tf.pow(., 2)};
     * they are built from those same ops here so that the gradient goes through sqrt and pow as in
     * the script (not through a simplified {@code 0.5 * sum((y - a3)^2)}).
     */
    private static Operand<TFloat32> quadratic(Ops tf, Operand<TFloat32> y, Operand<TFloat32> a3) {
        Operand<TFloat32> diff = tf.math.sub(y, a3);
        Operand<TFloat32> norm = tf.math.sqrt(tf.sum(tf.math.mul(diff, diff), tf.constant(1)));
        Operand<TFloat32> squared = tf.math.pow(norm, tf.constant(2f));
        return tf.math.div(tf.math.mean(squared, tf.constant(0)), tf.constant(2f));
    }

    private static Sum<TFloat32> sumAll(Ops tf, Operand<TFloat32> t) {
        int[] axes = new int[t.shape().numDimensions()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return tf.sum(t, tf.constant(axes));
    }

    private static Parameter parameter(Ops tf, String name, Shape shape, InitialValues initialValues) {
        Variable<TFloat32> v = tf.withName(name).variable(shape, TFloat32.class);
        Operand<TFloat32> read = tf.withSubScope(name).withName("read").identity(v);
        Operand<TFloat32> init = initialValues.of(tf, name, shape);
        Assign<TFloat32> assign = tf.withName(name + "_assign").assign(v, init);
        return new Parameter(name, v, read, init, assign, shape);
    }
}
