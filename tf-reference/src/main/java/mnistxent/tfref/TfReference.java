package mnistxent.tfref;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.framework.op.FrameworkOps;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyGradientDescent;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The seed script's graph (docs/SPEC.md §3-§5), built with TensorFlow Java and trained on the
 * minibatches of a scenario directory; the reference the parity tests compare Deeplearning4j with.
 *
 * <p>Usage: {@code java -cp <tf classpath> mnistxent.tfref.TfReference <scenario dir>}. Reads the
 * scenario (README.md here), writes {@code <dir>/tf/loss.f32} and {@code <dir>/tf/step-<k>/<name>.f32}
 * for every requested snapshot k. Exit status 0 on success, 2 on a bad scenario, 1 on anything else.
 *
 * <p>What is TF's own and what is ours: the ops, their kernels, the symbolic gradients
 * ({@code Graph.addGradients}, TF's C++ gradient registry) and {@code ApplyGradientDescent} are TF's.
 * Ours are only the initial values (fed once into the variables instead of TF's RNG, so both sides
 * start from the same numbers) and the control dependencies that make each update wait for every
 * gradient, which is what TF 1.x's optimizer does by default.
 */
public final class TfReference {

    private TfReference() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TfReference <scenario dir>   (the file protocol: tf-reference/README.md)");
            System.exit(2);
        }
        Scenario scenario;
        try {
            scenario = Scenario.read(Path.of(args[0]));
        } catch (IOException | RuntimeException e) {
            System.err.println("TfReference: bad scenario " + args[0] + ": " + e);
            System.exit(2);
            return;
        }
        try {
            run(scenario);
        } catch (IOException | RuntimeException e) {
            System.err.println("TfReference: failed on " + scenario);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /**
     * A trainable variable, in the script's creation order with its TF name. {@code read} is what the
     * model uses, like TF 1.x Python, where every use of a {@code tf.Variable} goes through its
     * {@code <name>/read} Identity snapshot; the gradients are taken with respect to the variable
     * itself, through that Identity, as {@code Optimizer.compute_gradients} does. (Ops applied directly
     * to the ref-typed variable also break some of TF's C++ gradient functions: Square's casts to the
     * input's type, float_ref, and TF crashes while building the gradient.)
     */
    private record Parameter(String name, Variable<TFloat32> variable, Operand<TFloat32> read,
                             Placeholder<TFloat32> initialValue, Assign<TFloat32> assign, Shape shape,
                             float[] initial) {
    }

    static void run(Scenario s) throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);

            // SPEC §3: x[?,784] -> z2 = x·W2 + b2 -> a2 = sigmoid(z2) -> z3 = a2·W3 + b3 -> a3 = sigmoid(z3).
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, Scenario.INPUTS)));
            Placeholder<TFloat32> y = tf.withName("y_").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, s.outputs)));
            List<Parameter> params = List.of(
                    parameter(tf, "W_2", Shape.of(Scenario.INPUTS, s.hidden), s.w2),
                    parameter(tf, "b_2", Shape.of(s.hidden), s.b2),
                    parameter(tf, "W_3", Shape.of(s.hidden, s.outputs), s.w3),
                    parameter(tf, "b_3", Shape.of(s.outputs), s.b3));
            Operand<TFloat32> w2 = params.get(0).read();
            Operand<TFloat32> b2 = params.get(1).read();
            Operand<TFloat32> w3 = params.get(2).read();
            Operand<TFloat32> b3 = params.get(3).read();

            Operand<TFloat32> z2 = tf.math.add(tf.linalg.matMul(x, w2), b2);
            Operand<TFloat32> a2 = tf.math.sigmoid(z2);
            Operand<TFloat32> z3 = tf.math.add(tf.linalg.matMul(a2, w3), b3);
            Operand<TFloat32> a3 = tf.math.sigmoid(z3);

            Operand<TFloat32> loss = switch (s.loss) {
                case Scenario.CROSS_ENTROPY -> crossEntropy(tf, y, z3);
                case Scenario.QUADRATIC -> quadratic(tf, y, a3);
                default -> throw new IllegalStateException(s.loss);
            };
            if (s.l2 != 0f) {
                // SPEC §8 / UpdaterSpec: loss + l2/2 * (sum(W2^2) + sum(W3^2)), weights only.
                Operand<TFloat32> squares = tf.math.add(sumAll(tf, tf.math.square(w2)), sumAll(tf, tf.math.square(w3)));
                loss = tf.math.add(loss, tf.math.mul(tf.constant(s.l2 / 2f), squares));
            }
            loss = tf.withName("loss").identity(loss);

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
            Operand<TFloat32> learningRate = tf.constant(s.learningRate);
            List<ApplyGradientDescent<TFloat32>> updates = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                updates.add(gated.withName("apply_" + params.get(i).name())
                        .train.applyGradientDescent(params.get(i).variable(), learningRate, deltas.get(i)));
            }

            try (Session session = new Session(graph, singleThreaded())) {
                initialise(session, params);
                Path out = s.dir.resolve("tf");
                Files.createDirectories(out);
                writeInfo(out, s);
                if (s.snapshots.contains(0)) {
                    snapshot(session, params, out.resolve("step-0"));
                }
                float[] losses = new float[s.steps];
                for (int step = 0; step < s.steps; step++) {
                    try (TFloat32 xb = TFloat32.tensorOf(Shape.of(s.batchSize, Scenario.INPUTS),
                                 DataBuffers.of(s.rows(s.x, Scenario.INPUTS, step), true, false));
                         TFloat32 yb = TFloat32.tensorOf(Shape.of(s.batchSize, s.outputs),
                                 DataBuffers.of(s.rows(s.y, s.outputs, step), true, false))) {
                        Session.Runner runner = session.runner().feed(x, xb).feed(y, yb).fetch(loss);
                        updates.forEach(runner::addTarget);
                        try (Result result = runner.run()) {
                            losses[step] = ((TFloat32) result.get(0)).getFloat();
                        }
                    }
                    if (s.snapshots.contains(step + 1)) {
                        snapshot(session, params, out.resolve("step-" + (step + 1)));
                    }
                }
                Scenario.writeFloats(out.resolve("loss.f32"), losses);
            }
        }
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

    private static Parameter parameter(Ops tf, String name, Shape shape, float[] initial) {
        Variable<TFloat32> v = tf.withName(name).variable(shape, TFloat32.class);
        Operand<TFloat32> read = tf.withSubScope(name).withName("read").identity(v);
        Placeholder<TFloat32> init = tf.withName(name + "_initial").placeholder(TFloat32.class,
                Placeholder.shape(shape));
        Assign<TFloat32> assign = tf.withName(name + "_assign").assign(v, init);
        return new Parameter(name, v, read, init, assign, shape, initial);
    }

    /** Assigns the scenario's initial values (instead of {@code tf.random_normal}: SPEC preamble). */
    private static void initialise(Session session, List<Parameter> params) {
        Session.Runner runner = session.runner();
        List<TFloat32> tensors = new ArrayList<>();
        try {
            for (Parameter p : params) {
                TFloat32 t = TFloat32.tensorOf(p.shape(), DataBuffers.of(p.initial(), true, false));
                tensors.add(t);
                runner.feed(p.initialValue(), t).addTarget(p.assign());
            }
            runner.run().close();
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    private static void snapshot(Session session, List<Parameter> params, Path dir) throws IOException {
        Session.Runner runner = session.runner();
        params.forEach(p -> runner.fetch(p.variable()));
        try (Result result = runner.run()) {
            for (int i = 0; i < params.size(); i++) {
                TFloat32 t = (TFloat32) result.get(i);
                float[] values = new float[(int) t.size()];
                t.asRawTensor().data().asFloats().read(values);
                Scenario.writeFloats(dir.resolve(params.get(i).name() + ".f32"), values);
            }
        }
    }

    /**
     * One thread for the ops and one for scheduling: the machine is shared, and a single-threaded
     * run sums in one fixed order, so the reference is the same on every run.
     */
    private static ConfigProto singleThreaded() {
        return ConfigProto.newBuilder().setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
    }

    private static void writeInfo(Path out, Scenario s) throws IOException {
        Properties info = new Properties();
        info.setProperty("tensorflow_runtime", TensorFlow.version());
        info.setProperty("scenario", s.toString());
        try (var w = Files.newBufferedWriter(out.resolve("info.properties"))) {
            info.store(w, "written by mnistxent.tfref.TfReference");
        }
    }
}
