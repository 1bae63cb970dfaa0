package mnistxent.engine;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ConfigOverrides;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.LabelledImages;
import mnistxent.data.TfBatcher;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfInitializer;
import mnistxent.random.SeededRandom;
import mnistxent.train.TrainingFixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs trained in lockstep by one multi-run engine are the same runs trained one at a time, bit for bit. */
class KernelRunsTest {

    private static final int IMAGES = 300;
    private static final int STEPS = 40;

    private static ImageSets synthetic() {
        SeededRandom random = new SeededRandom(5);
        byte[] pixels = new byte[IMAGES * 784];
        byte[] labels = new byte[IMAGES];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextDouble() < 0.8 ? 0 : (byte) (1 + random.nextInt(255));
        }
        for (int n = 0; n < IMAGES; n++) {
            labels[n] = (byte) random.nextInt(10);
        }
        LabelledImages all = LabelledImages.of(pixels, labels, 784);
        return new ImageSets(all, all.first(50), all.first(120));
    }

    @Test
    void threeRunsInLockstepEqualThreeRunsAlone() {
        ExperimentConfig base = new ConfigOverrides(null, 1, STEPS, null, null)
                .applyTo(ConfigLoader.load(TrainingFixtures.SEED_CONFIG));
        ImageSets images = synthetic();
        int batch = base.training().batchSize();
        List<List<LayerParameters>> initial = new ArrayList<>();
        int[] all = new int[3 * STEPS * batch];
        for (int r = 0; r < 3; r++) {
            ExperimentConfig c = base.withSeed(r + 11);
            initial.add(TfInitializer.initial(c));
            int[] mine = new int[STEPS * batch];
            new TfBatcher(50, IMAGES - 50, batch, r + 11).next(mine, STEPS);
            System.arraycopy(mine, 0, all, r * STEPS * batch, mine.length);
        }
        float[] together = new float[3 * STEPS];
        int[] testTogether;
        List<List<LayerParameters>> paramsTogether = new ArrayList<>();
        try (MultiRunEngine runs = Engines.createRuns(EngineKind.KERNEL, base, images, initial, 2)) {
            assertEquals(3, runs.runs());
            runs.train(all, STEPS, together);
            testTogether = runs.correctOnTest();
            for (int r = 0; r < 3; r++) {
                paramsTogether.add(runs.parameters(r));
            }
        }
        for (int r = 0; r < 3; r++) {
            try (KernelEngine alone = new KernelEngine(base, images, initial.get(r))) {
                float[] losses = new float[STEPS];
                alone.train(Arrays.copyOfRange(all, r * STEPS * batch, (r + 1) * STEPS * batch), STEPS, losses);
                assertArrayEquals(losses, Arrays.copyOfRange(together, r * STEPS, (r + 1) * STEPS), "run " + r);
                TrainingFixtures.assertBitwiseEqual(alone.parameters(), paramsTogether.get(r), "run " + r);
                assertEquals(alone.correctOnTest(), testTogether[r], "run " + r);
            }
        }
    }
}
