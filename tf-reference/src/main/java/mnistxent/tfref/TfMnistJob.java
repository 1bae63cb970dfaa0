package mnistxent.tfref;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The seed script's whole job (docs/SPEC.md §1-§6) in TensorFlow Java: the side-by-side speed
 * reference of our {@code bench} command. TF's runtime does all the math (initialisation,
 * forward and backward passes, updates, evaluation); Java only reads the files, draws the minibatch
 * order and copies each batch into its tensors, which is what the Python script leaves to NumPy.
 *
 * <p>Usage ({@code tf-reference/README.md}, "How we measure TensorFlow"):
 * <pre>
 * java -cp tf-reference/target/mnist-xent-tf-reference.jar:$(cat tf-reference/target/runtime.classpath) \
 *      mnistxent.tfref.TfMnistJob [--data DIR] [--loss sigmoid-cross-entropy-with-logits|quadratic]
 *      [--lr 3.0] [--seed N] [--epochs 30] [--steps 5000] [--batch 10] [--threads N]
 * </pre>
 * stdout: exactly the script's lines, {@code Epoch N: C / 10000} after each epoch (N from 0) and
 * {@code best: C / 10000}. stderr: TF's own messages, then one {@code TFJOB key=value ...} line.
 * Exit status 0 done, 2 bad arguments or data, 1 anything else.
 */
public final class TfMnistJob {

    private static final Path DEFAULT_DATA =
            Path.of(System.getProperty("user.home"), ".cache", "mnist-xent", "mnist");

    private TfMnistJob() {
    }

    /** The command line; every default is the script's (SPEC §3-§6). */
    record Options(Path data, String loss, float learningRate, Long seed, int epochs, int steps, int batch,
                   Integer threads) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                int eq = a.indexOf('=');
                if (eq > 0) {
                    values.put(a.substring(2, eq), a.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    values.put(a.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException(a + " needs a value");
                }
            }
            Path data = Path.of(values.getOrDefault("data", DEFAULT_DATA.toString()));
            String loss = values.getOrDefault("loss", SeedGraph.CROSS_ENTROPY);
            if (!loss.equals(SeedGraph.CROSS_ENTROPY) && !loss.equals(SeedGraph.QUADRATIC)) {
                throw new IllegalArgumentException("--loss must be " + SeedGraph.CROSS_ENTROPY + " or "
                        + SeedGraph.QUADRATIC + ", got " + loss);
            }
            float lr = Float.parseFloat(values.getOrDefault("lr", "3.0"));
            Long seed = values.containsKey("seed") ? Long.valueOf(values.get("seed")) : null;
            int epochs = positive(values, "epochs", 30);
            int steps = positive(values, "steps", 5000);
            int batch = positive(values, "batch", 10);
            Integer threads = values.containsKey("threads") ? positive(values, "threads", 0) : null;
            values.keySet().removeAll(java.util.List.of("data", "loss", "lr", "seed", "epochs", "steps", "batch",
                    "threads"));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s) " + values.keySet());
            }
            return new Options(data, loss, lr, seed, epochs, steps, batch, threads);
        }

        private static int positive(Map<String, String> values, String key, int fallback) {
            int v = Integer.parseInt(values.getOrDefault(key, Integer.toString(fallback)));
            if (v < 1) {
                throw new IllegalArgumentException("--" + key + " must be positive, got " + v);
            }
            return v;
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (RuntimeException e) {
            usage(e.getMessage());
            return;
        }
        // The files are read on another thread while TF's native library loads (seconds here): that
        // shortens TF's start-up, which only makes it a harder reference to beat.
        CompletableFuture<MnistIdx> data = CompletableFuture.supplyAsync(() -> {
            try {
                return MnistIdx.read(options.data());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            run(options, data);
        } catch (CompletionException e) {
            usage("bad data in " + options.data() + ": " + e.getCause().getMessage());
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void usage(String problem) {
        System.err.println("TfMnistJob: " + problem);
        System.err.println("usage: TfMnistJob [--data DIR] [--loss " + SeedGraph.CROSS_ENTROPY + "|"
                + SeedGraph.QUADRATIC + "] [--lr 3.0] [--seed N] [--epochs 30] [--steps 5000] [--batch 10]"
                + " [--threads N]");
        System.exit(2);
    }

    static void run(Options o, CompletableFuture<MnistIdx> data) {
        try (Graph graph = new Graph()) {
            SeedGraph g = new SeedGraph(graph, o.loss(), o.learningRate(), 0f, SeedGraph.HIDDEN,
                    SeedGraph.OUTPUTS, randomNormal(o.seed()));
            Operand<TInt32> correct = g.correctCount();
            MnistIdx mnist = data.join();

            // SPEC §2: the minibatch order. Seeded with --seed as TF's RNG is; unseeded, like the script.
            NextBatch batches = new NextBatch(mnist.train.count(),
                    o.seed() == null ? new Random() : new Random(o.seed()));

            try (Session session = new Session(graph, config(o.threads()));
                 // The test set does not change between evaluations: its tensors are made once.
                 TFloat32 testX = images(mnist.test);
                 TFloat32 testY = labels(mnist.test)) {
                // tf.global_variables_initializer().run(): W_2, b_2, W_3, b_3 from random_normal.
                g.addInitialisers(session.runner()).run().close();

                int[] indices = new int[o.batch()];
                float[] xs = new float[o.batch() * MnistIdx.PIXELS];
                float[] ys = new float[o.batch() * MnistIdx.CLASSES];
                Shape xShape = Shape.of(o.batch(), MnistIdx.PIXELS);
                Shape yShape = Shape.of(o.batch(), MnistIdx.CLASSES);

                long firstStep = System.nanoTime();
                long trainNanos = 0;
                long evalNanos = 0;
                int best = 0;
                for (int epoch = 0; epoch < o.epochs(); epoch++) {
                    for (int step = 0; step < o.steps(); step++) {
                        long t0 = System.nanoTime();
                        // batch_xs, batch_ys = mnist.train.next_batch(10), copied as feed_dict copies them.
                        batches.next(indices);
                        for (int r = 0; r < indices.length; r++) {
                            mnist.train.scaledImage(indices[r], xs, r * MnistIdx.PIXELS);
                            mnist.train.oneHot(indices[r], ys, r * MnistIdx.CLASSES);
                        }
                        // sess.run(train_step, feed_dict=...): new tensors each step, nothing fetched.
                        try (TFloat32 xb = TFloat32.tensorOf(xShape, DataBuffers.of(xs, true, false));
                             TFloat32 yb = TFloat32.tensorOf(yShape, DataBuffers.of(ys, true, false))) {
                            g.addUpdates(session.runner().feed(g.x, xb).feed(g.y, yb)).run().close();
                        }
                        trainNanos += System.nanoTime() - t0;
                    }
                    long t0 = System.nanoTime();
                    int count;
                    try (Result r = session.runner().feed(g.x, testX).feed(g.y, testY).fetch(correct).run()) {
                        count = ((TInt32) r.get(0)).getInt();
                    }
                    evalNanos += System.nanoTime() - t0;
                    System.out.println("Epoch " + epoch + ": " + count + " / " + mnist.test.count());
                    // The script's best = (best, acc)[best <= acc]: the largest count.
                    best = Math.max(best, count);
                }
                System.out.println("best: " + best + " / " + mnist.test.count());
                System.out.flush();

                long steps = (long) o.epochs() * o.steps();
                double train = trainNanos / 1e9;
                System.err.println(String.format(Locale.ROOT,
                        "TFJOB total_s=%.3f startup_s=%.3f train_s=%.3f eval_s=%.3f steps=%d steps_per_s=%.1f"
                                + " peak_rss_mb=%.1f tf=%s",
                        sinceJvmStart(System.nanoTime()), sinceJvmStart(firstStep), train, evalNanos / 1e9, steps,
                        steps / train, peakRssMb(), TensorFlow.version()));
            }
        }
    }

    /**
     * SPEC §3: {@code tf.random_normal(shape)} = N(0, 1), built as TF Python builds it:
     * {@code RandomStandardNormal(shape) * stddev + mean}. With {@code --seed N}, every tensor gets op
     * seeds (N, k), k = 1..4 in the script's creation order, so that the run repeats and the four
     * tensors differ; without it both seeds are 0 and TF seeds itself at random, as in the script.
     */
    private static SeedGraph.InitialValues randomNormal(Long seed) {
        long[] next = {0};
        return (tf, name, shape) -> {
            Ops scope = tf.withSubScope(name + "_random_normal");
            long seed2 = seed == null ? 0 : ++next[0];
            var standard = scope.random.randomStandardNormal(scope.constant(shape.asArray()), TFloat32.class,
                    RandomStandardNormal.seed(seed == null ? 0L : seed), RandomStandardNormal.seed2(seed2));
            return scope.math.add(scope.math.mul(standard, scope.constant(1f)), scope.constant(0f));
        };
    }

    /**
     * Without {@code --threads}: TF's defaults, as the script's {@code InteractiveSession()} gets them
     * (both parallelism settings 0, which TF 2.18 turns into one thread per schedulable CPU for the
     * intra-op pool and for the inter-op pool; 2 each on the 2-core machine). With it: both set to N.
     */
    private static ConfigProto config(Integer threads) {
        ConfigProto.Builder b = ConfigProto.newBuilder();
        if (threads != null) {
            b.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
        }
        return b.build();
    }

    private static TFloat32 images(MnistIdx.Split split) {
        float[] all = new float[split.count() * MnistIdx.PIXELS];
        for (int i = 0; i < split.count(); i++) {
            split.scaledImage(i, all, i * MnistIdx.PIXELS);
        }
        return TFloat32.tensorOf(Shape.of(split.count(), MnistIdx.PIXELS), DataBuffers.of(all, true, false));
    }

    private static TFloat32 labels(MnistIdx.Split split) {
        float[] all = new float[split.count() * MnistIdx.CLASSES];
        for (int i = 0; i < split.count(); i++) {
            split.oneHot(i, all, i * MnistIdx.CLASSES);
        }
        return TFloat32.tensorOf(Shape.of(split.count(), MnistIdx.CLASSES), DataBuffers.of(all, true, false));
    }

    /**
     * Seconds from the process's start (the JVM's own start-up included) to {@code nanoTime}: Linux's
     * {@code /proc/uptime} minus the process's start time in {@code /proc/self/stat} (field 22, in clock
     * ticks of 1/100 s, the fixed USER_HZ of Linux's user ABI), so 10 ms resolution. Where /proc is not
     * there, from the JVM's own recorded start, which misses the few milliseconds before it.
     */
    private static double sinceJvmStart(long nanoTime) {
        double lag = (System.nanoTime() - nanoTime) / 1e9;
        try {
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: field 3 is [0].
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            double started = Long.parseLong(fields[22 - 3]) / 100.0;
            return uptime - started - lag;
        } catch (IOException | RuntimeException e) {
            long elapsedMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            return elapsedMillis / 1e3 - lag;
        }
    }

    /** VmHWM, the resident set's high-water mark, from /proc/self/status (Linux); -1 where unreadable. */
    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Reported as -1 below: the measurement is missing, the job itself is not affected.
        }
        return -1;
    }
}
