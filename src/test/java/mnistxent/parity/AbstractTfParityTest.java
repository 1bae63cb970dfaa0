package mnistxent.parity;

import mnistxent.config.ExperimentConfig;
import mnistxent.config.LossKind;
import mnistxent.data.ImageSets;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.LayerParameters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The parity tests, for any {@link TrainingEngine}: from the same initial parameters, on the same
 * minibatches, the engine must train exactly like TensorFlow itself (docs/SPEC.md preamble: "every
 * update equals TensorFlow's to float32 rounding").
 *
 * <p>Tolerances are the project's parity bar and are not to be loosened: every parameter within
 * {@value #PARAMETER_TOLERANCE} (absolute) of TF's after 1, 10 and 100 steps, and every step's
 * pre-update loss within {@value #LOSS_TOLERANCE} (relative). Two correct float32 implementations
 * stay ~1e-6 apart over 100 steps from N(0,1) init (README, How "exactly" is proven), while one wrong detail (a
 * reduction, the learning rate, the bias init) moves them by 1e-3 or more after one step.
 *
 * <p>An engine gets these tests by extending this class and implementing {@link #engine}.
 */
public abstract class AbstractTfParityTest {

    public static final double PARAMETER_TOLERANCE = 1e-5;
    public static final double LOSS_TOLERANCE = 1e-6;

    /** The engine under test, over {@code images}, starting from {@code initial}. */
    protected abstract TrainingEngine engine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial);

    /** The seed script's cost (SPEC §4): {@code reduce_mean(sigmoid_cross_entropy_with_logits(y, z3))}. */
    @Test
    void crossEntropyMatchesTensorFlow() {
        assertParity(ParityScenario.seedScript("cross-entropy", LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS));
    }

    /** Chapter 12's cost (SPEC §4): {@code reduce_mean(norm(y - a3, axis=1)**2) / 2}. */
    @Test
    void quadraticMatchesTensorFlow() {
        assertParity(ParityScenario.seedScript("quadratic", LossKind.QUADRATIC));
    }

    /**
     * SPEC §8's optional L2 term, {@code + l2/2 * sum(W^2)} over the weights, with the seed's cost. 1e-4
     * is about chapter 16's lambda/n; it moves the weights by lr * l2 * W, ~1e-3, in the first step.
     */
    @Test
    void crossEntropyWithL2MatchesTensorFlow() {
        assertParity(ParityScenario.seedScript("cross-entropy-l2", LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS)
                .withL2(1e-4));
    }

    protected void assertParity(ParityScenario scenario) {
        TfReferenceRunner.TfRun tf = TfReferenceRunner.reference(scenario);
        ParityScenario.Data data = scenario.data();
        TrainingEngine engine = engine(scenario.config(), ImageSets.trainingOnly(data.images()), data.initial());

        List<String> failures = new ArrayList<>();
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "%s vs TensorFlow %s on %s:",
                getClass().getSimpleName(), tf.runtime(), scenario.name()));
        double worstLoss = 0;
        int b = scenario.batchSize();
        for (int k = 0; k < scenario.steps(); k++) {
            double loss = engine.step(data.batch(k, b));
            double expected = tf.losses()[k];
            double rel = Math.abs(loss - expected) / Math.abs(expected);
            worstLoss = Math.max(worstLoss, rel);
            if (!(rel <= LOSS_TOLERANCE)) {
                failures.add(String.format(Locale.ROOT, "step %d: loss %.9g, TF %.9g (relative difference %.3g > %.0e)",
                        k + 1, loss, expected, rel, LOSS_TOLERANCE));
            }
            List<LayerParameters> tfParams = tf.snapshots().get(k + 1);
            if (tfParams != null) {
                summary.append(String.format(Locale.ROOT, " step %d max|dp| %.3g;", k + 1,
                        compare(k + 1, engine.parameters(), tfParams, failures)));
            }
        }
        summary.append(String.format(Locale.ROOT, " max loss rel. difference %.3g", worstLoss));
        System.out.println(summary);
        if (!failures.isEmpty()) {
            fail(scenario + " differs from TensorFlow in " + failures.size() + " check(s); first ones:\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(12, failures.size())))
                    + "\n(scenario directory: target/tf-parity/" + scenario.name() + ")");
        }
    }

    /** Adds a failure per tensor with a parameter off by more than the tolerance; returns the largest difference. */
    private static double compare(int step, List<LayerParameters> ours, List<LayerParameters> tf,
                                  List<String> failures) {
        assertEquals(tf.size(), ours.size(), "number of layers");
        double worst = 0;
        for (int i = 0; i < tf.size(); i++) {
            worst = Math.max(worst, compare(step, LayerParameters.weightName(i), ours.get(i).weights(),
                    tf.get(i).weights(), failures));
            worst = Math.max(worst, compare(step, LayerParameters.biasName(i), ours.get(i).biases(),
                    tf.get(i).biases(), failures));
        }
        return worst;
    }

    private static double compare(int step, String name, float[] ours, float[] tf, List<String> failures) {
        assertEquals(tf.length, ours.length, name + " size");
        double worst = 0;
        int worstAt = -1;
        int over = 0;
        for (int j = 0; j < tf.length; j++) {
            double d = Math.abs((double) ours[j] - tf[j]);
            if (!(d <= PARAMETER_TOLERANCE)) {
                over++;
            }
            if (!(d <= worst)) {     // also catches NaN
                worst = d;
                worstAt = j;
            }
        }
        if (over > 0) {
            failures.add(String.format(Locale.ROOT, "after step %d: %d of %d values of %s differ by more than %.0e; "
                            + "worst %s[%d] = %.9g, TF %.9g (difference %.3g)", step, over, tf.length, name,
                    PARAMETER_TOLERANCE, name, worstAt, ours[worstAt], tf[worstAt], worst));
        }
        return worst;
    }
}
