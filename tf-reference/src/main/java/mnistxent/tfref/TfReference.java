package mnistxent.tfref;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The seed script's graph (docs/SPEC.md §3-§5, built by {@link SeedGraph}, which {@link TfMnistJob}
 * shares), trained with TensorFlow Java on the minibatches of a scenario directory; the reference the
 * parity tests compare Deeplearning4j with.
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

    static void run(Scenario s) throws IOException {
        try (Graph graph = new Graph()) {
            // The scenario's initial values are fed through one placeholder per variable, instead of
            // tf.random_normal (SPEC preamble: both sides start from the same numbers).
            SeedGraph g = new SeedGraph(graph, s.loss, s.learningRate, s.l2, s.hidden, s.outputs,
                    (tf, name, shape) -> tf.withName(name + "_initial").placeholder(TFloat32.class,
                            Placeholder.shape(shape)));

            try (Session session = new Session(graph, singleThreaded())) {
                initialise(session, g, s);
                Path out = s.dir.resolve("tf");
                Files.createDirectories(out);
                writeInfo(out, s);
                if (s.snapshots.contains(0)) {
                    snapshot(session, g.params, out.resolve("step-0"));
                }
                float[] losses = new float[s.steps];
                for (int step = 0; step < s.steps; step++) {
                    try (TFloat32 xb = TFloat32.tensorOf(Shape.of(s.batchSize, SeedGraph.INPUTS),
                                 DataBuffers.of(s.rows(s.x, SeedGraph.INPUTS, step), true, false));
                         TFloat32 yb = TFloat32.tensorOf(Shape.of(s.batchSize, s.outputs),
                                 DataBuffers.of(s.rows(s.y, s.outputs, step), true, false))) {
                        Session.Runner runner = session.runner().feed(g.x, xb).feed(g.y, yb).fetch(g.loss);
                        try (Result result = g.addUpdates(runner).run()) {
                            losses[step] = ((TFloat32) result.get(0)).getFloat();
                        }
                    }
                    if (s.snapshots.contains(step + 1)) {
                        snapshot(session, g.params, out.resolve("step-" + (step + 1)));
                    }
                }
                Scenario.writeFloats(out.resolve("loss.f32"), losses);
            }
        }
    }

    /** Assigns the scenario's initial values (instead of {@code tf.random_normal}: SPEC preamble). */
    private static void initialise(Session session, SeedGraph g, Scenario s) {
        Session.Runner runner = session.runner();
        List<TFloat32> tensors = new ArrayList<>();
        try {
            for (SeedGraph.Parameter p : g.params) {
                float[] initial = switch (p.name()) {
                    case "W_2" -> s.w2;
                    case "b_2" -> s.b2;
                    case "W_3" -> s.w3;
                    case "b_3" -> s.b3;
                    default -> throw new IllegalStateException(p.name());
                };
                TFloat32 t = TFloat32.tensorOf(p.shape(), DataBuffers.of(initial, true, false));
                tensors.add(t);
                runner.feed(p.initialValue(), t);
            }
            g.addInitialisers(runner).run().close();
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    private static void snapshot(Session session, List<SeedGraph.Parameter> params, Path dir) throws IOException {
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
