package mnistxent.engine.cuda;

import com.sun.jna.Pointer;
import mnistxent.config.Activation;
import mnistxent.config.LossKind;
import mnistxent.model.LayerParameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's network trained on an NVIDIA GPU: the kernels of {@code mlp.cu} (JIT-compiled by the driver
 * from the PTX resource for whatever GPU is there), their device memory, and the launches. Plain Java and
 * the driver binding only: it runs wherever a JRE and an NVIDIA driver are (README, Running on a GPU).
 *
 * <p>{@code runs} independent runs share one launch, one thread block each: the same network and images,
 * each with its own parameters, batches and losses (run 0 alone is a training run; many are a study).
 *
 * <p>What lives on the device: the training images (packed non-zero pixels, 4 bytes each: ~36 MB for
 * MNIST's 60,000), the test images (~6 MB), every run's parameters, and the batch indices of the steps of
 * one launch. The host sends the batch indices of a launch (an epoch: 5,000 x 10 x 4 bytes = 200 KB a run)
 * and reads back the launch's per-step losses (20 KB a run) and, when asked, parameters and counts.
 * Validation images are the first training images (SPEC §1): they are counted from the training buffers.
 */
public final class CudaMlp implements AutoCloseable {

    /**
     * Threads of a training block: 32 warps, so phase B's row updates spread over many warps (mlp.cu's
     * header). The system property {@code mnistxent.cuda.threads} (a multiple of 32, 64-1024) overrides it
     * for measurements.
     */
    public static final int TRAIN_THREADS = Integer.getInteger("mnistxent.cuda.threads", 1024);
    /**
     * The most blocks of a counting launch (any number counts the same images: each warp strides over them).
     * Unlimited by default; {@code mnistxent.cuda.countBlocks} caps it where blocks are expensive (the CPU
     * emulation of the tests, which runs every block's threads as OS threads).
     */
    private static final int COUNT_BLOCKS = Integer.getInteger("mnistxent.cuda.countBlocks", Integer.MAX_VALUE);

    private final CudaDriver cuda;
    private final int device;
    private final Pointer context;
    private final Pointer module;
    private final Pointer trainKernel;
    private final Pointer evalKernel;
    private final GpuInfo gpu;
    private final KernelLayout layout;
    private final int runs;
    private final int batch;
    private final long descriptor;
    private final long params;
    private final Images train;
    private final Images test;
    private final long correct;
    private long batches;
    private long losses;
    private int stepCapacity;
    private long gpuNanos;
    private boolean closed;

    /** Images on the device. */
    private record Images(long entries, long offsets, long labels, int count) {
    }

    /**
     * Opens GPU 0, compiles the kernels for it and uploads the images.
     *
     * @param train  the training images (batch indices point into them)
     * @param test   the test images
     * @throws CudaException               when the driver or a call fails
     * @throws UnsupportedConfigException  when the kernels cannot run this network (one line)
     */
    public CudaMlp(int[] layerSizes, Activation[] activations, LossKind loss, double learningRate, double l2,
                   int batch, int runs, KernelLayout.PackedImages train, KernelLayout.PackedImages test) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        this.cuda = CudaDriver.get();
        this.device = cuda.device(0);
        this.gpu = GpuProbe.read(cuda, device);
        this.layout = KernelLayout.of(layerSizes, activations, loss, learningRate, l2, batch,
                Math.max(train.maxNonZeros(), test.maxNonZeros()), gpu.sharedPerBlock(), TRAIN_THREADS);
        this.runs = runs;
        this.batch = batch;
        this.context = cuda.retainPrimaryContext(device);
        cuda.setCurrent(context);
        this.module = cuda.loadModule(ptx());
        this.trainKernel = cuda.function(module, KernelLayout.TRAIN_KERNEL);
        this.evalKernel = cuda.function(module, KernelLayout.EVAL_KERNEL);
        cuda.setFunctionAttribute(trainKernel, CudaDriver.FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES, layout.trainSharedBytes());
        cuda.setFunctionAttribute(evalKernel, CudaDriver.FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES, layout.evalSharedBytes());
        int[] d = layout.descriptor();
        this.descriptor = cuda.allocate((long) d.length * Integer.BYTES);
        cuda.copyToDevice(descriptor, d, d.length);
        this.params = cuda.allocate((long) runs * layout.paramStride() * Float.BYTES);
        this.train = upload(train);
        this.test = upload(test);
        this.correct = cuda.allocate((long) runs * Integer.BYTES);
    }

    /** The PTX the build generated from {@code mlp.cu} (NVRTC, ISA 7.6, {@code compute_50}). */
    static String ptx() {
        try (InputStream in = CudaMlp.class.getResourceAsStream(KernelLayout.PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the PTX resource " + KernelLayout.PTX_RESOURCE + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Images upload(KernelLayout.PackedImages images) {
        long entries = cuda.allocate((long) images.entries().length * Integer.BYTES);
        cuda.copyToDevice(entries, images.entries(), images.entries().length);
        long offsets = cuda.allocate((long) images.offsets().length * Integer.BYTES);
        cuda.copyToDevice(offsets, images.offsets(), images.offsets().length);
        long labels = cuda.allocate(images.labels().length);
        cuda.copyToDevice(labels, images.labels(), images.labels().length);
        return new Images(entries, offsets, labels, images.count());
    }

    public GpuInfo gpu() {
        return gpu;
    }

    public KernelLayout layout() {
        return layout;
    }

    public int runs() {
        return runs;
    }

    /** Replaces every run's parameters ({@code perRun.size() == runs()}). */
    public void setParameters(List<List<LayerParameters>> perRun) {
        if (perRun.size() != runs) {
            throw new IllegalArgumentException(runs + " runs, got parameters of " + perRun.size());
        }
        float[] all = layout.packParameters(perRun);
        cuda.setCurrent(context);
        cuda.copyToDevice(params, all, all.length);
    }

    /** Every run's current parameters, in TF layout. */
    public List<List<LayerParameters>> parameters() {
        float[] all = new float[runs * layout.paramStride()];
        cuda.setCurrent(context);
        cuda.copyToHost(all, params, all.length);
        List<List<LayerParameters>> out = new ArrayList<>(runs);
        for (int r = 0; r < runs; r++) {
            out.add(layout.unpackParameters(all, r));
        }
        return out;
    }

    /**
     * Runs {@code steps} SGD steps of every run in one launch: run r's step k trains on the training images
     * {@code batchIndices[(r * steps + k) * batch ..][0 .. batch)}; {@code lossesOut[r * steps + k]} gets
     * that step's loss before its update.
     */
    public void train(int[] batchIndices, int steps, float[] lossesOut) {
        if (steps < 1) {
            return;
        }
        int indices = runs * steps * batch;
        if (batchIndices.length < indices || lossesOut.length < runs * steps) {
            throw new IllegalArgumentException("batches for " + runs + " x " + steps + " steps of " + batch
                    + " do not fit the arrays given");
        }
        cuda.setCurrent(context);
        ensureStepCapacity(steps);
        long start = System.nanoTime();
        cuda.copyToDevice(batches, batchIndices, indices);
        cuda.launch(trainKernel, runs, 1, layout.trainThreads(), layout.trainSharedBytes(), descriptor, params,
                train.entries(), train.offsets(), train.labels(), train.count(), batches, losses, steps);
        cuda.copyToHost(lossesOut, losses, runs * steps);     // waits for the launch; its errors surface here
        gpuNanos += System.nanoTime() - start;
    }

    /** How many of the test images each run classifies correctly. */
    public int[] correctOnTest() {
        return count(test, test.count());
    }

    /** How many of the first {@code validation} training images (SPEC §1's validation set) each run gets right. */
    public int[] correctOnTrainingPrefix(int validation) {
        return count(train, validation);
    }

    private int[] count(Images images, int count) {
        int[] out = new int[runs];
        if (count == 0) {
            return out;
        }
        cuda.setCurrent(context);
        long start = System.nanoTime();
        cuda.fill(correct, 0, runs);
        cuda.launch(evalKernel, Math.min(COUNT_BLOCKS, layout.evalGridX(count)), runs, layout.evalBlockThreads(), layout.evalSharedBytes(),
                descriptor, params, images.entries(), images.offsets(), images.labels(), count, correct);
        cuda.copyToHost(out, correct, runs);
        gpuNanos += System.nanoTime() - start;
        return out;
    }

    /** Wall time spent in launches so far (uploads of batches, kernels, downloads of losses and counts). */
    public double gpuSeconds() {
        return gpuNanos / 1e9;
    }

    private void ensureStepCapacity(int steps) {
        if (steps <= stepCapacity) {
            return;
        }
        if (stepCapacity > 0) {
            cuda.free(batches);
            cuda.free(losses);
        }
        batches = cuda.allocate((long) runs * steps * batch * Integer.BYTES);
        losses = cuda.allocate((long) runs * steps * Float.BYTES);
        stepCapacity = steps;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cuda.setCurrent(context);
        for (long p : new long[]{descriptor, params, train.entries(), train.offsets(), train.labels(),
                test.entries(), test.offsets(), test.labels(), correct}) {
            cuda.free(p);
        }
        if (stepCapacity > 0) {
            cuda.free(batches);
            cuda.free(losses);
        }
        cuda.unloadModule(module);
        cuda.releasePrimaryContext(device);
    }
}
