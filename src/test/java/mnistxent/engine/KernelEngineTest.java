package mnistxent.engine;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.LabelledImages;
import mnistxent.data.SyntheticImages;
import mnistxent.data.TfBatcher;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfInitializer;
import mnistxent.train.TrainingFixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel engine's epoch snapshot: the parameters it was taken with, counted later, on another thread. */
class KernelEngineTest {

    private static final int STEPS = 30;

    @Test
    void aSnapshotCountsItsParametersOnAnotherThreadWhileTheEngineTrainsOn() {
        ExperimentConfig config = ConfigLoader.load(TrainingFixtures.SEED_CONFIG).withSeed(3);
        LabelledImages all = SyntheticImages.of(400, config.network().inputs());
        ImageSets images = new ImageSets(all, all.first(60), all.first(150));
        int batch = config.training().batchSize();
        int[] batches = new int[2 * STEPS * batch];
        new TfBatcher(60, 340, batch, 3).next(batches, 2 * STEPS);
        try (KernelEngine engine = new KernelEngine(config, images, TfInitializer.initial(config))) {
            float[] losses = new float[STEPS];
            engine.train(batches, STEPS, losses);
            List<LayerParameters> then = engine.parameters();
            int testThen = engine.correctOnTest();
            int validationThen = engine.correctOnValidation();

            EpochSnapshot snapshot = engine.snapshot();
            assertTrue(snapshot.countsLater());
            engine.train(Arrays.copyOfRange(batches, STEPS * batch, 2 * STEPS * batch), STEPS, losses);
            assertFalse(Arrays.equals(then.get(0).weights(), engine.parameters().get(0).weights()), "the engine trained on");

            int[] counts = CompletableFuture.supplyAsync(
                    () -> new int[] {snapshot.correctOnTest(), snapshot.correctOnValidation()}).join();
            assertEquals(testThen, counts[0]);
            assertEquals(validationThen, counts[1]);
            TrainingFixtures.assertBitwiseEqual(then, snapshot.parameters(), "the snapshot's parameters");
        }
    }
}
