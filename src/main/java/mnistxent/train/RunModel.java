package mnistxent.train;

import mnistxent.config.ExperimentConfig;
import mnistxent.engine.Backend;
import mnistxent.engine.EngineChoice;
import mnistxent.engine.Engines;
import mnistxent.model.LayerParameters;
import mnistxent.model.NetworkFactory;
import mnistxent.run.ModelFile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The DL4J network a run's zips are written from, and the ND4J backend under it: ready from the start,
 * or still being built on a thread of its own while the engine trains.
 *
 * <p>Why a thread of its own (README, Performance, "Start-up"): the kernel and CUDA engines train in plain
 * Java or on the GPU and need ND4J only to write zips, yet starting ND4J and building the network took
 * ~1.1-1.4 s, a fifth of the whole job, before the first step. Built in the background, they are first
 * needed by the checkpoint after epoch 0, on the checkpoint writer's thread, which waits for them there;
 * whatever went wrong while building them is thrown there as it was thrown.
 */
public final class RunModel {

    private final CompletableFuture<Backend> backend;
    private final CompletableFuture<MultiLayerNetwork> network;

    private RunModel(CompletableFuture<Backend> backend, CompletableFuture<MultiLayerNetwork> network) {
        this.backend = backend;
        this.network = network;
    }

    /** A network already built over a started backend. */
    public static RunModel ready(Backend backend, MultiLayerNetwork network) {
        return new RunModel(CompletableFuture.completedFuture(backend), CompletableFuture.completedFuture(network));
    }

    /**
     * Starts ND4J where {@code choice} says, then builds {@code config}'s network holding {@code initial},
     * then warms up the model-zip writer, all on a daemon thread. Nothing else may touch ND4J meanwhile
     * ({@link Engines#startBackend} must come first).
     */
    public static RunModel buildInBackground(EngineChoice choice, ExperimentConfig config,
                                             List<LayerParameters> initial) {
        CompletableFuture<Backend> backend = new CompletableFuture<>();
        CompletableFuture<MultiLayerNetwork> network = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            MultiLayerNetwork built;
            try {
                backend.complete(Engines.startBackend(choice));
                built = NetworkFactory.create(config, initial);
            } catch (Throwable e) {
                backend.completeExceptionally(e);
                network.completeExceptionally(e);
                return;
            }
            // the zip writer's first use compiles it (~0.4 s): done here, before the first checkpoint needs it
            ModelFile.warmUp(built, config);
            network.complete(built);
        }, "model-builder");
        t.setDaemon(true);
        t.start();
        return new RunModel(backend, network);
    }

    /** The network, once built (waits for it). */
    public MultiLayerNetwork network() {
        return Futures.join(network);
    }

    /** Runs {@code action} with the backend once it has started: now, or later on the thread starting it. */
    public void whenBackendStarted(Consumer<Backend> action) {
        backend.thenAccept(action);
    }
}
