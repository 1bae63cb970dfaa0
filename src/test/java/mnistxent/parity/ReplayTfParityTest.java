package mnistxent.parity;

import mnistxent.cli.Main;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ConfigWriter;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.MnistShape;
import mnistxent.data.LabelledImages;
import mnistxent.data.MnistData;
import mnistxent.model.LayerParameters;
import mnistxent.model.NpyParameters;
import mnistxent.model.TfInitializer;
import mnistxent.npy.NpyArrays;
import mnistxent.random.SeededRandom;
import mnistxent.replay.Replay;
import mnistxent.train.TrainingFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The acceptance test of {@code replay}: what a TensorFlow user would do. TF itself (the parity reference,
 * tf-reference/) runs 100 steps of the seed script on real MNIST training images chosen by a batches array
 * B; {@code replay} gets the same parameters as .npy files and the same B, and its W_2/b_2/W_3/b_3.npy and
 * loss.csv must equal TF's within the parity tolerances (every parameter within 1e-5, every loss within 1e-6
 * relative; 1e-5 from the saturating start), for both CPU engines, both costs of SPEC §4, and two starts: N(0,1) as the seed draws it, and a
 * saturating one (the output layer's parameters scaled up, so most outputs start badly wrong and flat: the
 * article's slow-learning case).
 *
 * <p>Each TensorFlow run is left in {@value #RECORDINGS} ({@code config.yaml}, {@code init/}, {@code B.npy},
 * {@code tf/}), where the GPU check's bundle takes it from: the GPU machine has no TensorFlow for Java.
 */
class ReplayTfParityTest {

    /** Where the TensorFlow runs are kept for the GPU check (scripts/gpu-bundle.sh). */
    static final String RECORDINGS = "target/tf-recordings";
    private static final int STEPS = 100;
    private static final int BATCH = 10;
    private static final long SEED = 20_250_505L;
    /**
     * The saturating start: W_3 and b_3 of the N(0,1) draw times this, so the output layer's logits start
     * twice as wide and most output units start saturated (sigmoid' small): the article's slow case. Wider
     * starts (x3) make two correct float32 implementations drift apart by more than 1e-5 within 100 steps
     * (measured: the kernel 5.7e-5 from TF, stock DL4J 2.3e-3), so the bar could no longer tell right from wrong.
     */
    static final float SATURATING_SCALE = 2f;
    /**
     * From the saturating start the losses are sums of larger terms, which TF adds in float32 and the engines
     * in double: their relative bar is the parameters' 1e-5 (measured: up to 1.5e-6 for stock DL4J).
     */
    static final double SATURATING_LOSS_TOLERANCE = 1e-5;
    private static final Map<String, TfReferenceRunner.TfRun> TF = new ConcurrentHashMap<>();

    private static MnistData mnist;
    private static int[] batches;
    private static List<LayerParameters> normal;

    @BeforeAll
    static void scenario() {
        mnist = MnistData.load(TrainingFixtures.mnistDir());
        // B: indices anywhere in the 60,000 training images, validation ones included (file order, no split)
        SeededRandom random = new SeededRandom(SeededRandom.derive(SEED, "replay-batches"));
        batches = new int[STEPS * BATCH];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = random.nextInt(mnist.trainImageCount());
        }
        ExperimentConfig c = ConfigLoader.load(TrainingFixtures.SEED_CONFIG);
        normal = TfInitializer.draw(c.network(), c.init(), SeededRandom.derive(SEED, "replay-init"));
    }

    /** The start of a scenario: {@code normal} or {@code saturating}. */
    static List<LayerParameters> start(String kind) {
        if (kind.equals("normal")) {
            return normal;
        }
        LayerParameters out = normal.get(normal.size() - 1);
        float[] w = out.weights().clone();
        float[] b = out.biases().clone();
        for (int i = 0; i < w.length; i++) {
            w[i] *= SATURATING_SCALE;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] *= SATURATING_SCALE;
        }
        List<LayerParameters> s = new ArrayList<>(normal.subList(0, normal.size() - 1));
        s.add(new LayerParameters(out.nIn(), out.nOut(), w, b));
        return s;
    }

    /** TF's run, recorded: x = the images B selects, in B's order, so that TF's step k takes rows 10k..10k+9. */
    private static TfReferenceRunner.TfRun tensorflow(ExperimentConfig config, String startKind) {
        String name = config.name() + "-" + startKind;
        return TF.computeIfAbsent(name, key -> {
            byte[] pixels = new byte[batches.length * MnistShape.PIXELS];
            byte[] labels = new byte[batches.length];
            int[] rows = new int[batches.length];
            for (int r = 0; r < batches.length; r++) {
                System.arraycopy(mnist.trainPixels(), batches[r] * MnistShape.PIXELS, pixels, r * MnistShape.PIXELS,
                        MnistShape.PIXELS);
                labels[r] = (byte) mnist.trainLabel(batches[r]);
                rows[r] = r;
            }
            LabelledImages selected = LabelledImages.of(pixels, labels, MnistShape.PIXELS);
            ParityScenario s = new ParityScenario("replay-" + name, config.loss(), config.updater().learningRate(),
                    0.0, BATCH, STEPS, new int[]{STEPS}, batches.length, SEED);
            try {
                TfReferenceRunner.TfRun run = TfReferenceRunner.run(s, new ParityScenario.Data(selected, rows,
                        start(startKind)), Path.of("target", "tf-parity", s.name()));
                record(Path.of(RECORDINGS, name), config, startKind, run);
                return run;
            } catch (IOException e) {
                throw new AssertionError("could not run the TF reference: " + e, e);
            }
        });
    }

    /** A TF run as the replay command and the GPU check read it. */
    private static void record(Path dir, ExperimentConfig config, String startKind, TfReferenceRunner.TfRun run)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"), ConfigWriter.toYaml(config.withName(config.name() + "-"
                + startKind), "TensorFlow's run of " + STEPS + " steps from the " + startKind + " start"));
        NpyParameters.write(dir.resolve("init"), start(startKind));
        NpyArrays.writeInt32(dir.resolve("B.npy"), batches, STEPS, BATCH);
        NpyParameters.write(dir.resolve("tf"), run.snapshots().get(STEPS));
        StringBuilder csv = new StringBuilder("step,loss\n");
        for (int k = 0; k < STEPS; k++) {
            csv.append(k).append(',').append(Float.toString(run.losses()[k])).append('\n');
        }
        Files.writeString(dir.resolve("tf").resolve(Replay.LOSS_FILE), csv.toString());
    }

    @ParameterizedTest(name = "{0} from the {1} start with the {2} engine")
    @CsvSource({"config/tf14-cross-entropy.yaml, normal, kernel", "config/tf14-cross-entropy.yaml, normal, dl4j",
            "config/tf12-quadratic.yaml, normal, kernel", "config/tf12-quadratic.yaml, normal, dl4j",
            "config/tf14-cross-entropy.yaml, saturating, kernel", "config/tf14-cross-entropy.yaml, saturating, dl4j",
            "config/tf12-quadratic.yaml, saturating, kernel", "config/tf12-quadratic.yaml, saturating, dl4j"})
    void replayEqualsTensorFlow(String configFile, String startKind, String engine) throws IOException {
        ExperimentConfig config = ConfigLoader.load(Path.of(configFile));
        TfReferenceRunner.TfRun tf = tensorflow(config, startKind);
        Path recording = Path.of(RECORDINGS, config.name() + "-" + startKind);
        Path out = Files.createTempDirectory("replay-" + engine);
        int code = Main.run("replay", "--config", recording.resolve("config.yaml").toString(), "--init",
                recording.resolve("init").toString(), "--batches", recording.resolve("B.npy").toString(),
                "--out", out.toString(), "--engine", engine, "--data-dir", TrainingFixtures.mnistDir().toString());
        assertEquals(0, code, "replay's exit code");

        List<String> failures = new ArrayList<>();
        double lossTolerance = startKind.equals("normal") ? AbstractTfParityTest.LOSS_TOLERANCE
                : SATURATING_LOSS_TOLERANCE;
        List<String> lines = Files.readAllLines(out.resolve(Replay.LOSS_FILE));
        assertEquals("step,loss", lines.get(0));
        assertEquals(STEPS + 1, lines.size());
        double worstLoss = 0;
        for (int k = 0; k < STEPS; k++) {
            String[] f = lines.get(k + 1).split(",");
            assertEquals(Integer.toString(k), f[0]);
            double ours = Float.parseFloat(f[1]);
            double rel = Math.abs(ours - tf.losses()[k]) / Math.abs(tf.losses()[k]);
            worstLoss = Math.max(worstLoss, rel);
            if (!(rel <= lossTolerance)) {
                failures.add(String.format(Locale.ROOT, "step %d: loss %s, TF %s (relative %.3g)", k, f[1],
                        tf.losses()[k], rel));
            }
        }
        List<LayerParameters> ours = NpyParameters.read(out, config.network());
        List<LayerParameters> theirs = tf.snapshots().get(STEPS);
        double worst = 0;
        for (int i = 0; i < ours.size(); i++) {
            worst = Math.max(worst, compare(LayerParameters.weightName(i), ours.get(i).weights(),
                    theirs.get(i).weights(), failures));
            worst = Math.max(worst, compare(LayerParameters.biasName(i), ours.get(i).biases(), theirs.get(i).biases(),
                    failures));
        }
        System.out.printf(Locale.ROOT, "replay (%s, %s start, %s) vs TensorFlow %s on real MNIST: after %d steps "
                        + "max|dp| %.3g, max loss rel. difference %.3g%n", config.loss().yamlName(), startKind, engine,
                tf.runtime(), STEPS, worst, worstLoss);
        if (!failures.isEmpty()) {
            fail("replay differs from TensorFlow:\n  " + String.join("\n  ",
                    failures.subList(0, Math.min(12, failures.size()))));
        }
    }

    private static double compare(String name, float[] ours, float[] tf, List<String> failures) {
        assertEquals(tf.length, ours.length, name);
        double worst = 0;
        for (int j = 0; j < tf.length; j++) {
            double d = Math.abs((double) ours[j] - tf[j]);
            if (!(d <= worst)) {
                worst = d;
            }
            if (!(d <= AbstractTfParityTest.PARAMETER_TOLERANCE)) {
                failures.add(String.format(Locale.ROOT, "%s[%d] = %s, TF %s", name, j, ours[j], tf[j]));
            }
        }
        return worst;
    }
}
