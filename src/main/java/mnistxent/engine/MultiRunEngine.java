package mnistxent.engine;

import mnistxent.model.LayerParameters;

import java.util.List;

/**
 * Trains R independent runs of one config in lockstep: each run with its own parameters, batches and
 * losses, each computed exactly as a single run of the same engine would (the runs never mix). On a GPU
 * the R runs share every launch (a thread block each), which is how a study of hundreds of seeds fills a
 * GPU that one 784-30-10 run leaves nearly idle; on the CPU they share the cores.
 *
 * <p>Arrays are run-major: run r's step k trains on {@code batches[(r * steps + k) * batchSize() ..]} and
 * leaves its loss in {@code losses[r * steps + k]}.
 */
public interface MultiRunEngine extends AutoCloseable {

    EngineKind kind();

    /** R. */
    int runs();

    int batchSize();

    /** {@code steps} steps of every run (arrays run-major, see the class comment). */
    void train(int[] batches, int steps, float[] losses);

    /** Each run's count of correct test images. */
    int[] correctOnTest();

    /** Each run's count of correct validation images. */
    int[] correctOnValidation();

    int testCount();

    int validationCount();

    /** Run {@code run}'s parameters. */
    List<LayerParameters> parameters(int run);

    @Override
    default void close() {
    }
}
