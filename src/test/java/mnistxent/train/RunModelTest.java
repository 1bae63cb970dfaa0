package mnistxent.train;

import mnistxent.config.ExperimentConfig;
import mnistxent.engine.EngineChoice;
import mnistxent.engine.EngineKind;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfInitializer;
import mnistxent.model.TfParameters;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network a run's zips are written from, built on a thread of its own while the engine trains: it holds
 * the run's initial parameters, and what went wrong building it is thrown where it is first needed.
 */
class RunModelTest {

    private static final EngineChoice KERNEL = new EngineChoice(EngineKind.KERNEL, false, Optional.empty());

    @Test
    void theNetworkBuiltInTheBackgroundHoldsTheInitialParameters() throws Exception {
        ExperimentConfig config = TrainingFixtures.config(3, 1, 10, Path.of("unused"));
        List<LayerParameters> initial = TfInitializer.initial(config);
        RunModel model = RunModel.buildInBackground(KERNEL, config, initial);
        CompletableFuture<String> backend = new CompletableFuture<>();
        model.whenBackendStarted(b -> backend.complete(b.describe()));
        List<LayerParameters> held = TfParameters.read(model.network());
        for (int l = 0; l < initial.size(); l++) {
            assertArrayEquals(initial.get(l).weights(), held.get(l).weights(), "layer " + l);
            assertArrayEquals(initial.get(l).biases(), held.get(l).biases(), "layer " + l);
        }
        assertTrue(backend.get(1, TimeUnit.MINUTES).startsWith("backend: CPU"), backend.get());
    }

    @Test
    void whatFailsInTheBackgroundIsThrownWhenTheNetworkIsNeeded() {
        ExperimentConfig config = TrainingFixtures.config(3, 1, 10, Path.of("unused"));
        List<LayerParameters> wrong = List.of(new LayerParameters(2, 1, new float[2], new float[1]));
        RunModel model = RunModel.buildInBackground(KERNEL, config, wrong);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, model::network);
        assertEquals("the network has 2 layers, got 1", e.getMessage());
    }
}
