package mnistxent.parity;

import mnistxent.cli.Main;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.MnistShape;
import mnistxent.data.LabelledImages;
import mnistxent.data.MnistData;
import mnistxent.model.LayerParameters;
import mnistxent.model.NpyParameters;
import mnistxent.model.TfInitializer;
import mnistxent.model.TfParameters;
import mnistxent.npy.NpyArrays;
import mnistxent.random.SeededRandom;
import mnistxent.replay.Replay;
import mnistxent.train.TrainingFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
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
 * The acceptance test of {@code replay}: what a TensorFlow user would do. TF itself (the parity
 * reference, tf-reference/) runs 100 steps of the seed script on real MNIST training images chosen by a
 * batches array B, from N(0,1) parameters; {@code replay} gets the same parameters as .npy files and the same
 * B, and its W_2/b_2/W_3/b_3.npy and loss.csv must equal TF's within the parity tolerances (every parameter
 * within 1e-5, every loss within 1e-6 relative), for both engines and both costs of SPEC §4.
 */
class ReplayTfParityTest {

    private static final int STEPS = 100;
    private static final int BATCH = 10;
    private static final long SEED = 20_250_505L;
    private static final Map<String, TfReferenceRunner.TfRun> TF = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    private static MnistData mnist;
    private static int[] batches;
    private static List<LayerParameters> initial;

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
        initial = TfInitializer.draw(c.network(), c.init(), SeededRandom.derive(SEED, "replay-init"));
    }

    /** TF's run: x = the images B selects, in B's order, so that TF's step k takes rows 10k..10k+9. */
    private static TfReferenceRunner.TfRun tensorflow(ExperimentConfig config) {
        return TF.computeIfAbsent(config.name(), name -> {
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
                return TfReferenceRunner.run(s, new ParityScenario.Data(selected, rows, initial),
                        Path.of("target", "tf-parity", s.name()));
            } catch (IOException e) {
                throw new AssertionError("could not run the TF reference: " + e, e);
            }
        });
    }

    @ParameterizedTest(name = "{0} with the {1} engine")
    @CsvSource({"config/tf14-cross-entropy.yaml, kernel", "config/tf14-cross-entropy.yaml, dl4j",
            "config/tf12-quadratic.yaml, kernel", "config/tf12-quadratic.yaml, dl4j"})
    void replayEqualsTensorFlow(String configFile, String engine) throws IOException {
        ExperimentConfig config = ConfigLoader.load(Path.of(configFile));
        TfReferenceRunner.TfRun tf = tensorflow(config);

        Path init = tmp.resolve("init");
        NpyParameters.write(init, initial);
        Path b = tmp.resolve("B.npy");
        NpyArrays.writeInt32(b, batches, STEPS, BATCH);
        Path out = tmp.resolve("out");
        int code = Main.run("replay", "--config", configFile, "--init", init.toString(), "--batches", b.toString(),
                "--out", out.toString(), "--engine", engine, "--data-dir", TrainingFixtures.mnistDir().toString());
        assertEquals(0, code, "replay's exit code");

        List<String> failures = new ArrayList<>();
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
            if (!(rel <= AbstractTfParityTest.LOSS_TOLERANCE)) {
                failures.add(String.format(Locale.ROOT, "step %d: loss %s, TF %s (relative %.3g)", k, f[1],
                        tf.losses()[k], rel));
            }
        }
        List<LayerParameters> ours = NpyParameters.read(out, config.network());
        List<LayerParameters> theirs = tf.snapshots().get(STEPS);
        double worst = 0;
        for (int i = 0; i < ours.size(); i++) {
            worst = Math.max(worst, compare(TfParameters.weightName(i), ours.get(i).weights(), theirs.get(i).weights(),
                    failures));
            worst = Math.max(worst, compare(TfParameters.biasName(i), ours.get(i).biases(), theirs.get(i).biases(),
                    failures));
        }
        System.out.printf(Locale.ROOT, "replay (%s, %s) vs TensorFlow %s on real MNIST: after %d steps max|dp| %.3g, "
                + "max loss rel. difference %.3g%n", config.loss().yamlName(), engine, tf.runtime(), STEPS, worst, worstLoss);
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
