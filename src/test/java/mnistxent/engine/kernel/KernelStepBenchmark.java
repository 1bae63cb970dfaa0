package mnistxent.engine.kernel;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.MnistData;
import mnistxent.data.TfBatcher;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.engine.KernelEngine;
import mnistxent.model.LayerParameters;
import mnistxent.model.TfInitializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH harness for the kernel's training step on real MNIST batches (README, Performance): the kernel
 * ({@code kernel=current}) side by side with the one it replaced ({@link BaselineMlpKernel},
 * {@code kernel=baseline}), in the same run. Each invocation is {@value #STEPS} steps, as the engine
 * calls it; parameters restart from the seed's init every iteration, so both kernels do the same work.
 *
 * <p>Run: {@code mvn -q -Pjmh test-compile exec:exec} (arguments to JMH: {@code -Djmh.args="..."}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 9, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class KernelStepBenchmark {

    static final int STEPS = 256;
    /** Distinct batches cycled through: 10 passes over the 55,000 training images at batch 10. */
    private static final int BATCHES = 55_000;

    @Param({"current", "baseline"})
    public String kernel;

    private ExperimentConfig config;
    private List<LayerParameters> initial;
    private KernelImages train;
    private BaselineMlpKernel.Images trainAsBefore;
    private int[] batches;
    private int batchSize;
    private int next;
    private final float[] losses = new float[STEPS];
    private MlpKernel current;
    private BaselineMlpKernel baseline;

    @Setup(Level.Trial)
    public void load() {
        config = ConfigLoader.load(Path.of(ConfigLoader.DEFAULT_CONFIG)).withSeed(1);
        MnistData data = MnistFetcher.load(config.data());
        train = KernelImages.of(ImageSets.of(data, config.data().validationSize()).train());
        trainAsBefore = BaselineMlpKernel.Images.of(train);
        initial = TfInitializer.initial(config);
        batchSize = config.training().batchSize();
        batches = new int[BATCHES * batchSize];
        TfBatcher.forTraining(config).next(batches, BATCHES);
        current = KernelEngine.kernelFor(config);
        baseline = new BaselineMlpKernel(config.network().sizes(), config.network().activations(), config.loss(),
                config.updater().learningRate(), config.updater().l2(), batchSize);
    }

    @Setup(Level.Iteration)
    public void restart() {
        current.setParameters(initial);
        baseline.setParameters(initial);
        next = 0;
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public float step() {
        float sum = 0;
        if (next + STEPS > BATCHES) {
            next = 0;
        }
        if (kernel.equals("current")) {
            current.steps(train, batches, next, STEPS, losses);
            for (float l : losses) {
                sum += l;
            }
        } else {
            for (int k = 0; k < STEPS; k++) {
                sum += baseline.step(trainAsBefore, batches, (next + k) * batchSize);
            }
        }
        next += STEPS;
        return sum;
    }
}
