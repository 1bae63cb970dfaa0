package mnistxent.inference;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.MnistData;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.LayerParameters;

import java.util.List;

/**
 * A model's score on the test set as the seed script counts it (SPEC §6): the test images whose
 * {@code argmax(a3)} equals their label, first index winning a tie.
 *
 * <p>Counted by a training engine's own {@code correctOnTest()}, the very computation that produced the
 * count a training run recorded: the kernel and DL4J compute the same float32 math but may sum in another
 * order, so on a near-tie their argmax can differ by an image. Evaluating with the engine that trained the
 * model reproduces its recorded count exactly.
 *
 * @param correct test images classified correctly
 * @param total   size of the test set (10,000)
 * @param engine  the engine that counted
 */
public record TestCount(int correct, int total, EngineKind engine) {

    /** Counts the correct test images of a model with these parameters, with an engine of {@code engine}. */
    public static TestCount of(List<LayerParameters> parameters, ExperimentConfig config, EngineKind engine,
                               MnistData data) {
        try (TrainingEngine counter = Engines.create(engine, config, ImageSets.of(data, 0), parameters)) {
            return new TestCount(counter.correctOnTest(), counter.testCount(), engine);
        }
    }

    /** The seed script's notation: {@code 9532 / 10000}. */
    public String scriptText() {
        return correct + " / " + total;
    }
}
