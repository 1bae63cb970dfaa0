package mnistxent.train;

import mnistxent.config.ExperimentConfig;
import mnistxent.engine.EngineKind;
import mnistxent.model.LayerParameters;
import mnistxent.model.NetworkFactory;
import mnistxent.run.ModelFile;
import mnistxent.run.TrainingState;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a run's model zips are written from: the network's DL4J configuration and the engine's parameters,
 * without ND4J ({@link ModelFile}: the bytes DL4J's serialiser writes). So the kernel and CUDA engines never
 * start ND4J, and the dl4j engine's checkpoints need no second network beside the one it trains.
 *
 * <p>Why (README, Performance, "Start-up"): starting ND4J took ~1 s of a core beside the first epoch, and its
 * thread pool, woken by each checkpoint's copy into a network, spun beside the steps; on two cores a whole
 * job was ~0.4 s faster without it. The configuration's JSON (DL4J's classes and Jackson's first use, ~0.3 s)
 * is made on a thread of its own from the run's start, ready long before the first checkpoint needs it, after
 * epoch 0; whatever went wrong making it is thrown there, as it was thrown.
 */
public final class RunModel {

    private final CompletableFuture<String> configurationJson;

    private RunModel(CompletableFuture<String> configurationJson) {
        this.configurationJson = configurationJson;
    }

    /** The zips of {@code config}'s network; its configuration made now, on a daemon thread. */
    public static RunModel of(ExperimentConfig config) {
        CompletableFuture<String> json = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                json.complete(NetworkFactory.configuration(config).toJson());
            } catch (Throwable e) {
                json.completeExceptionally(e);
            }
        }, "model-configuration");
        t.setDaemon(true);
        t.start();
        return new RunModel(json);
    }

    /** Saves a model zip ({@link ModelFile}) of the network holding {@code parameters}. */
    public void save(Path file, List<LayerParameters> parameters, ExperimentConfig config, TrainingState state,
                     int testCorrect, EngineKind engine) {
        ModelFile.save(file, Futures.join(configurationJson), parameters, config, state, testCorrect, engine);
    }
}
