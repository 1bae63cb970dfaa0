package mnistxent.engine.cuda;

import mnistxent.config.Activation;
import mnistxent.config.LossKind;
import mnistxent.data.LabelledImages;
import mnistxent.data.TfPixels;
import mnistxent.model.LayerParameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything the host needs to run the CUDA kernels of {@code src/main/cuda/mlp.cu} (the PTX is the
 * classpath resource {@link #PTX_RESOURCE}): the net descriptor, launch sizes, and the device layout
 * of parameters and images. Pure Java (no ND4J, no CUDA bindings): it runs anywhere a JRE does.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * KernelLayout k = KernelLayout.of(sizes, activations, loss, lr, l2, batch,
 *         train.maxNonZeros(), maxSharedBytesPerBlockOptin, 1024);
 * PackedImages train = KernelLayout.packImages(pixels, labels, count, 784);
 * float[] params = k.packParameters(List.of(run0, run1, ...));      // R runs
 * // upload: descriptor(), params, train.entries(), train.offsets(), train.labels(), batches
 * // cuFuncSetAttribute(mlp_train, MAX_DYNAMIC_SHARED_SIZE_BYTES, k.trainSharedBytes()), then launch
 * //   mlp_train: grid (R,1,1), block (k.trainThreads(),1,1), shared k.trainSharedBytes(), TRAIN_ARGUMENTS
 * //   mlp_count_correct: grid (k.evalGridX(images), R, 1), block (k.evalBlockThreads(),1,1),
 * //                      shared k.evalSharedBytes(), EVAL_ARGUMENTS (zero `correct` first)
 * List<LayerParameters> trained = k.unpackParameters(paramsDownloaded, run);
 * }</pre>
 * {@code batches} is {@code int32[R][steps][batch]} (image indices, run-major) and {@code losses}
 * {@code float[R][steps]}; a launch of {@code steps} steps continues from the parameters it is given.
 *
 * <h2>Results</h2>
 * The kernels compute exactly MlpKernel's float32 operations in MlpKernel's order (see mlp.cu), so
 * parameters, losses and counts equal {@code mnistxent.engine.kernel.MlpKernel}'s bit for bit, for
 * images packed from the same bytes with the TF scale (SPEC §1); the L2 loss may differ in its last bit.
 *
 * <h2>Limits</h2>
 * At most {@value #MAX_LAYERS} layers, batches of at most {@value #MAX_BATCH} (one 64-bit mask per
 * pixel), blocks of 64..1024 threads, and the non-parameter buffers must fit the shared memory per
 * block; the parameters go into shared memory when they fit as well, else they stay in global
 * memory. Other configs throw {@link UnsupportedConfigException}.
 */
public final class KernelLayout {

    /** The training kernel's name in the PTX. */
    public static final String TRAIN_KERNEL = "mlp_train";
    /** The counting kernel's name in the PTX. */
    public static final String EVAL_KERNEL = "mlp_count_correct";
    /** The PTX (NVRTC 11.6, compute_50), as a classpath resource. */
    public static final String PTX_RESOURCE = "/mnistxent/engine/cuda/mlp.ptx";

    /** {@value #TRAIN_KERNEL}'s arguments, in order (device pointers unless noted). */
    public static final List<String> TRAIN_ARGUMENTS = List.of(
            "descriptor: int32[] (descriptor())",
            "params: float32[runs][paramStride()] (packParameters; read at the start, written back at the end)",
            "entries: int32[] (PackedImages.entries)",
            "offsets: int32[count + 1] (PackedImages.offsets)",
            "labels: uint8[count] (PackedImages.labels)",
            "imageCount: int (by value)",
            "batches: int32[runs][steps][batch] (image indices)",
            "losses: float32[runs][steps] (out: each step's loss before its update)",
            "steps: int (by value)");

    /** {@value #EVAL_KERNEL}'s arguments, in order (device pointers unless noted). */
    public static final List<String> EVAL_ARGUMENTS = List.of(
            "descriptor: int32[] (descriptor())",
            "params: float32[runs][paramStride()]",
            "entries: int32[] (PackedImages.entries)",
            "offsets: int32[count + 1] (PackedImages.offsets)",
            "labels: uint8[count] (PackedImages.labels)",
            "count: int (by value)",
            "correct: int32[runs] (in/out: atomically added to; zero it before the launch)");

    public static final int MAX_LAYERS = 8;
    public static final int MAX_BATCH = 64;
    public static final int MIN_THREADS = 64;
    public static final int MAX_THREADS = 1024;
    /** Threads per block of {@value #EVAL_KERNEL}: 8 warps, one image per warp at a time. */
    public static final int EVAL_THREADS = 256;

    // ---- the descriptor: mirrors the enum at the top of mlp.cu ----
    static final int D_MAGIC = 0;
    static final int D_LAYERS = 1;
    static final int D_BATCH = 2;
    static final int D_LOSS = 3;
    static final int D_LR = 4;
    static final int D_L2 = 5;
    static final int D_PIXEL_SCALE = 6;
    static final int D_DELTA_SCALE = 7;
    static final int D_TRAIN_THREADS = 8;
    static final int D_EXAMPLE_WARPS = 9;
    static final int D_PARAMS_SHARED = 10;
    static final int D_PARAM_STRIDE = 11;
    static final int D_INPUTS = 12;
    static final int D_MAX_NONZEROS = 13;
    static final int D_TRAIN_SMEM = 14;
    static final int D_EVAL_THREADS = 15;
    static final int D_EVAL_SMEM = 16;
    static final int D_EVAL_SCRATCH = 17;
    static final int D_SCRATCH_FLOATS = 18;
    static final int D_OUTPUTS = 19;
    static final int D_ENTRY_BYTES = 34;
    static final int S_PARAMS = 20;
    static final int S_ENTRIES = 21;
    static final int S_PIXELS = 22;
    static final int S_MASKS = 23;
    static final int S_TOUCHED = 24;
    static final int S_EXAMPLES = 25;
    static final int S_COUNTS = 26;
    static final int S_LOSS_IN = 27;
    static final int S_LOSS_LABELS = 28;
    static final int S_LOSS_TERMS = 29;
    static final int S_L2_PARTS = 30;
    static final int S_SCRATCH = 31;
    static final int S_SCALE_TABLE = 32;
    static final int S_EVAL_SCRATCH = 33;
    static final int D_LAYER_TABLE = 40;
    static final int F_NIN = 0;
    static final int F_NOUT = 1;
    static final int F_STRIDE = 2;
    static final int F_UPDATE_WIDTH = 3;
    static final int F_ACTIVATION = 4;
    static final int F_W = 5;
    static final int F_B = 6;
    static final int F_ACTS = 7;
    static final int F_DELTAS = 8;
    static final int LAYER_FIELDS = 10;
    static final int D_LENGTH = D_LAYER_TABLE + MAX_LAYERS * LAYER_FIELDS;
    static final int MAGIC = 0x4d4c5031;
    static final int LOSS_XENT = 0;
    static final int LOSS_QUADRATIC = 1;
    static final int L2_PARTS = 8;
    static final int SCRATCH_PITCH = 33;
    /** The descriptor's copy in shared memory (both kernels), then the 256-float pixel table. */
    static final int DESCRIPTOR_BYTES = 512;
    static final int TABLE_BYTES = 256 * 4;
    /** MlpKernel pads rows to its SIMD width (8 floats) and updates the padding too. */
    static final int MLP_KERNEL_LANES = 8;

    private final int[] sizes;
    private final int layers;
    private final int[] stride;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int paramStride;
    private final int threads;
    private final int exampleWarps;
    private final boolean paramsInShared;
    private final int trainShared;
    private final int evalShared;
    private final int[] descriptor;

    private KernelLayout(int[] sizes, Activation[] activations, LossKind loss, double learningRate, double l2,
                         int batch, int maxNonZeros, int sharedBytes, int threads) {
        this.sizes = sizes.clone();
        this.layers = activations.length;
        this.threads = threads;
        int inputs = sizes[0];
        int outputs = sizes[layers];
        this.stride = new int[layers];
        this.weightOffset = new int[layers];
        this.biasOffset = new int[layers];
        long offset = 0;
        int maxStride = 0;
        int widestDense = 0;
        for (int l = 0; l < layers; l++) {
            stride[l] = roundUp(sizes[l + 1], 32);
            maxStride = Math.max(maxStride, stride[l]);
            if (l > 0) {
                widestDense = Math.max(widestDense, sizes[l + 1]);
            }
            weightOffset[l] = (int) offset;
            offset += (long) sizes[l] * stride[l];
            biasOffset[l] = (int) offset;
            offset += stride[l];
            if (offset > Integer.MAX_VALUE / 8) {
                throw new UnsupportedConfigException("the cuda engine takes at most " + Integer.MAX_VALUE / 8
                        + " padded parameters per run (the config has more)");
            }
        }
        this.paramStride = (int) roundUp(offset, 32);

        // Example warps: leave about a quarter of the warps (at least one) to the loaders, then spread the
        // batch evenly: 10 examples over at most 6 warps take 2 rounds either way, so 5 warps suffice.
        int warps = threads / 32;
        int most = warps - Math.max(1, warps / 4);
        int rounds = (batch + most - 1) / most;
        int examples = (batch + rounds - 1) / rounds;
        int scratchFloats = layers > 1 ? SCRATCH_PITCH * Math.min(32, widestDense) : 0;

        // Shared memory of mlp_train. Entries are decoded to 8 bytes {row offset, value} when that fits,
        // else kept at 4 (the forward then looks the value up in a table); parameters in shared memory
        // matter more than wide entries, so the order of preference is: wide + parameters, compact +
        // parameters, wide alone, compact alone. As a last resort, fewer example warps (each has a
        // backprop scratch) with the parameters in global memory.
        boolean compactPossible = 4L * inputs * stride[0] < 1 << 23;   // a row's byte offset in 23 bits
        int[] d = null;
        long withoutParams = Long.MAX_VALUE;
        boolean inShared = false;
        int[][] tries = compactPossible ? new int[][]{{8, 1}, {4, 1}, {8, 0}, {4, 0}} : new int[][]{{8, 1}, {8, 0}};
        for (int[] t : tries) {
            int[] candidate = new int[D_LENGTH];
            long bytes = layoutShared(candidate, t[0], batch, maxNonZeros, inputs, examples, scratchFloats);
            if (bytes + (t[1] == 1 ? 4L * paramStride : 0) <= sharedBytes) {
                d = candidate;
                withoutParams = bytes;
                inShared = t[1] == 1;
                break;
            }
            withoutParams = Math.min(withoutParams, bytes);   // the least any layout needs, for the message
        }
        while (d == null && examples > 1) {
            rounds++;
            examples = (batch + rounds - 1) / rounds;
            int[] candidate = new int[D_LENGTH];
            long bytes = layoutShared(candidate, compactPossible ? 4 : 8, batch, maxNonZeros, inputs, examples,
                    scratchFloats);
            if (bytes <= sharedBytes) {
                d = candidate;
                withoutParams = bytes;
            }
            withoutParams = Math.min(withoutParams, bytes);
        }
        if (d == null) {
            throw new UnsupportedConfigException("the cuda engine needs " + withoutParams
                    + " bytes of shared memory per block for this network, batch " + batch + " and "
                    + maxNonZeros + " non-zero pixels per image (the GPU offers " + sharedBytes + ")");
        }
        this.exampleWarps = examples;
        this.paramsInShared = inShared;
        long at = withoutParams;
        if (paramsInShared) {
            d[S_PARAMS] = (int) at;
            at += 4L * paramStride;
        } else {
            d[S_PARAMS] = -1;
        }
        this.trainShared = (int) at;
        int evalScratch = 2 * maxStride;
        d[S_EVAL_SCRATCH] = DESCRIPTOR_BYTES + TABLE_BYTES;
        this.evalShared = DESCRIPTOR_BYTES + TABLE_BYTES + (EVAL_THREADS / 32) * evalScratch * 4;

        d[D_MAGIC] = MAGIC;
        d[D_LAYERS] = layers;
        d[D_BATCH] = batch;
        d[D_LOSS] = loss == LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS ? LOSS_XENT : LOSS_QUADRATIC;
        d[D_LR] = Float.floatToRawIntBits((float) learningRate);           // MlpKernel: (float) learningRate
        d[D_L2] = Float.floatToRawIntBits((float) l2);
        d[D_PIXEL_SCALE] = Float.floatToRawIntBits(TfPixels.SCALE);
        // MlpKernel.outputDelta: 1f / (batch * outs) for cross-entropy, 1f / batch for the quadratic cost
        d[D_DELTA_SCALE] = Float.floatToRawIntBits(loss == LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS
                ? 1f / (batch * outputs) : 1f / batch);
        d[D_TRAIN_THREADS] = threads;
        d[D_EXAMPLE_WARPS] = examples;
        d[D_PARAMS_SHARED] = paramsInShared ? 1 : 0;
        d[D_PARAM_STRIDE] = paramStride;
        d[D_INPUTS] = inputs;
        d[D_MAX_NONZEROS] = maxNonZeros;
        d[D_TRAIN_SMEM] = trainShared;
        d[D_EVAL_THREADS] = EVAL_THREADS;
        d[D_EVAL_SMEM] = evalShared;
        d[D_EVAL_SCRATCH] = evalScratch;
        d[D_SCRATCH_FLOATS] = scratchFloats;
        d[D_OUTPUTS] = outputs;
        for (int l = 0; l < layers; l++) {
            int t = D_LAYER_TABLE + l * LAYER_FIELDS;
            d[t + F_NIN] = sizes[l];
            d[t + F_NOUT] = sizes[l + 1];
            d[t + F_STRIDE] = stride[l];
            d[t + F_UPDATE_WIDTH] = roundUp(sizes[l + 1], MLP_KERNEL_LANES);
            d[t + F_ACTIVATION] = activationCode(activations[l]);
            d[t + F_W] = weightOffset[l];
            d[t + F_B] = biasOffset[l];
        }
        this.descriptor = d;
    }

    /** Fills the shared-memory offsets of mlp_train into {@code d}; returns the bytes without the parameters. */
    private long layoutShared(int[] d, int entryBytes, int batch, int maxNonZeros, int inputs, int exampleWarps,
                              int scratchFloats) {
        d[D_ENTRY_BYTES] = entryBytes;
        long at = DESCRIPTOR_BYTES + TABLE_BYTES;
        d[S_SCALE_TABLE] = DESCRIPTOR_BYTES;
        d[S_ENTRIES] = (int) at;
        at = roundUp(at + 2L * batch * maxNonZeros * entryBytes, 16);
        d[S_PIXELS] = (int) at;
        at = roundUp(at + 2L * batch * inputs, 16);
        d[S_MASKS] = (int) at;
        at = roundUp(at + 2L * inputs * 8, 16);
        d[S_TOUCHED] = (int) at;
        at = roundUp(at + 2L * inputs * 4, 16);
        d[S_EXAMPLES] = (int) at;
        at = roundUp(at + 2L * batch * 16, 16);
        d[S_COUNTS] = (int) at;
        at = roundUp(at + 4 * 4, 16);
        for (int l = 0; l < layers; l++) {
            int t = D_LAYER_TABLE + l * LAYER_FIELDS;
            d[t + F_ACTS] = -1;
            if (l < layers - 1) {
                d[t + F_ACTS] = (int) at;
                at = roundUp(at + 4L * batch * stride[l], 16);
            }
            d[t + F_DELTAS] = (int) at;
            at = roundUp(at + 4L * batch * stride[l], 16);
        }
        d[S_LOSS_IN] = (int) at;
        at = roundUp(at + 2L * 4 * batch * stride[layers - 1], 16);
        d[S_LOSS_LABELS] = (int) at;
        at = roundUp(at + 2L * 4 * batch, 16);
        d[S_LOSS_TERMS] = (int) at;
        at = roundUp(at + 32 * 8, 16);
        d[S_L2_PARTS] = (int) at;
        at = roundUp(at + 2L * L2_PARTS * 8, 16);
        d[S_SCRATCH] = (int) at;
        at = roundUp(at + 4L * exampleWarps * scratchFloats, 16);
        return at;
    }

    /**
     * The layout of one network on one GPU.
     *
     * @param layerSizes          {@code [inputs, units of layer 0, ..., outputs]} (as MlpKernel)
     * @param activations         one per layer
     * @param loss                the cost (SPEC §4)
     * @param learningRate        SGD step size (used as {@code (float) learningRate}, as MlpKernel does)
     * @param l2                  L2 coefficient on weights, 0 = off (SPEC §8)
     * @param batch               examples per step, 1..{@value #MAX_BATCH}
     * @param maxNonZerosPerImage the most non-zero pixels of any image the kernels will see
     *                            ({@link PackedImages#maxNonZeros()} of the training images)
     * @param sharedBytesPerBlock the dynamic shared memory a block may have (the device's opt-in
     *                            maximum: H100/H200 232,448, A100 166,912, most others 101,376 or 49,152)
     * @param blockThreads        threads per block of the training kernel, a multiple of 32 in 64..1024
     * @throws UnsupportedConfigException if the kernels cannot run this config (one-line message)
     */
    public static KernelLayout of(int[] layerSizes, Activation[] activations, LossKind loss, double learningRate,
                                  double l2, int batch, int maxNonZerosPerImage, int sharedBytesPerBlock,
                                  int blockThreads) {
        Objects.requireNonNull(layerSizes, "layerSizes");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(loss, "loss");
        if (activations.length != layerSizes.length - 1) {
            throw new IllegalArgumentException("one activation per layer: " + (layerSizes.length - 1) + " layers, "
                    + activations.length + " activations");
        }
        for (Activation a : activations) {
            Objects.requireNonNull(a, "activation");
        }
        int layers = activations.length;
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new UnsupportedConfigException("the cuda engine takes networks of 1 to " + MAX_LAYERS
                    + " layers (the config has " + layers + ")");
        }
        for (int size : layerSizes) {
            if (size < 1) {
                throw new UnsupportedConfigException("the cuda engine needs at least 1 unit per layer (the config has "
                        + size + ")");
            }
        }
        if ((long) layerSizes[0] * roundUp(layerSizes[1], 32) > Integer.MAX_VALUE / 2 || layerSizes[0] >= 1 << 23) {
            throw new UnsupportedConfigException("the cuda engine takes at most " + ((1 << 23) - 1)
                    + " inputs and a first weight matrix under 2^30 floats (the config has " + layerSizes[0] + " x "
                    + layerSizes[1] + ")");
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw new UnsupportedConfigException("the cuda engine takes batches of at most " + MAX_BATCH
                    + " (the config has " + batch + ")");
        }
        if (blockThreads < MIN_THREADS || blockThreads > MAX_THREADS || blockThreads % 32 != 0) {
            throw new UnsupportedConfigException("the cuda engine runs blocks of " + MIN_THREADS + " to " + MAX_THREADS
                    + " threads, a multiple of 32 (asked for " + blockThreads + ")");
        }
        if (maxNonZerosPerImage < 0 || maxNonZerosPerImage > layerSizes[0]) {
            throw new IllegalArgumentException("maxNonZerosPerImage must be 0.." + layerSizes[0] + ", got "
                    + maxNonZerosPerImage);
        }
        return new KernelLayout(layerSizes, activations, loss, learningRate, l2, batch, maxNonZerosPerImage,
                sharedBytesPerBlock, blockThreads);
    }

    /** The net descriptor ({@code int32[]}), the first argument of both kernels (a fresh copy). */
    public int[] descriptor() {
        return descriptor.clone();
    }

    /** Threads per block of {@value #TRAIN_KERNEL} (the {@code blockThreads} asked for). */
    public int trainThreads() {
        return threads;
    }

    /** Dynamic shared memory of {@value #TRAIN_KERNEL}, bytes (set it as the function's maximum first). */
    public int trainSharedBytes() {
        return trainShared;
    }

    /** Whether {@value #TRAIN_KERNEL} keeps the parameters in shared memory (else in global memory). */
    public boolean parametersInShared() {
        return paramsInShared;
    }

    /** Bytes per pixel entry in {@value #TRAIN_KERNEL}'s shared memory: 8 (decoded), or 4 when memory is short. */
    public int entryBytes() {
        return descriptor[D_ENTRY_BYTES];
    }

    /** Warps of a training block that run examples in phase A; the others load the next batch. */
    public int exampleWarps() {
        return exampleWarps;
    }

    /** Floats per run in the parameter array (a multiple of 32). */
    public int paramStride() {
        return paramStride;
    }

    /** Threads per block of {@value #EVAL_KERNEL}. */
    public int evalBlockThreads() {
        return EVAL_THREADS;
    }

    /** Dynamic shared memory of {@value #EVAL_KERNEL}, bytes. */
    public int evalSharedBytes() {
        return evalShared;
    }

    /** A good {@code gridDim.x} of {@value #EVAL_KERNEL} for {@code images} images (one warp each); any works. */
    public int evalGridX(int images) {
        int warps = EVAL_THREADS / 32;
        return Math.max(1, Math.min(65_535, (images + warps - 1) / warps));
    }

    /**
     * The parameters of R runs in the device layout, run after run: each layer's W as nIn rows of
     * {@code stride} floats (nOut rounded up to 32), then its biases padded to {@code stride}; padding 0.
     *
     * @param runs per run, its layers in TF layout (row-major W[nIn][nOut], as MlpKernel.setParameters)
     */
    public float[] packParameters(List<List<LayerParameters>> runs) {
        float[] all = new float[Math.multiplyExact(runs.size(), paramStride)];
        for (int r = 0; r < runs.size(); r++) {
            List<LayerParameters> params = runs.get(r);
            if (params.size() != layers) {
                throw new IllegalArgumentException("run " + r + ": expected " + layers + " layers, got " + params.size());
            }
            int base = r * paramStride;
            for (int l = 0; l < layers; l++) {
                LayerParameters p = params.get(l);
                int nIn = sizes[l];
                int nOut = sizes[l + 1];
                if (p.nIn() != nIn || p.nOut() != nOut) {
                    throw new IllegalArgumentException("run " + r + ", layer " + l + " is " + nIn + "x" + nOut
                            + ", got " + p.nIn() + "x" + p.nOut());
                }
                for (int i = 0; i < nIn; i++) {
                    System.arraycopy(p.weights(), i * nOut, all, base + weightOffset[l] + i * stride[l], nOut);
                }
                System.arraycopy(p.biases(), 0, all, base + biasOffset[l], nOut);
            }
        }
        return all;
    }

    /** Run {@code run}'s parameters out of the device layout, in TF layout (fresh arrays). */
    public List<LayerParameters> unpackParameters(float[] all, int run) {
        if (run < 0 || (long) (run + 1) * paramStride > all.length) {
            throw new IllegalArgumentException("no run " + run + " in " + all.length + " floats of " + paramStride
                    + " per run");
        }
        int base = run * paramStride;
        List<LayerParameters> out = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            float[] weights = new float[nIn * nOut];
            for (int i = 0; i < nIn; i++) {
                System.arraycopy(all, base + weightOffset[l] + i * stride[l], weights, i * nOut, nOut);
            }
            int b = base + biasOffset[l];
            out.add(new LayerParameters(nIn, nOut, weights, Arrays.copyOfRange(all, b, b + nOut)));
        }
        return out;
    }

    /**
     * Images as the kernels read them: the non-zero pixels of image n are
     * {@code entries[offsets[n] .. offsets[n+1])}, ascending, each {@code pixelIndex << 8 | pixelByte};
     * the kernels scale a byte by {@code (float) (1.0 / 255.0)} as {@code KernelImages.of} does.
     *
     * @param maxNonZeros the most non-zero pixels of any image (for {@link #of})
     */
    public record PackedImages(int[] entries, int[] offsets, byte[] labels, int maxNonZeros) {
        public int count() {
            return offsets.length - 1;
        }
    }

    /** Packs labelled images (their pixel bytes, TF-scaled by the kernels). */
    public static PackedImages packImages(LabelledImages images) {
        return packImages(images.pixels(), images.labels(), images.count(), images.width());
    }

    /** Packs {@code count} images of {@code width} bytes each (row-major pixels, e.g. 784) and their labels. */
    public static PackedImages packImages(byte[] pixels, byte[] labels, int count, int width) {
        if (width < 1 || width >= 1 << 23) {
            throw new IllegalArgumentException("image width must be 1.." + ((1 << 23) - 1) + ", got " + width);
        }
        if ((long) count * width > pixels.length || count > labels.length) {
            throw new IllegalArgumentException(count + " images of " + width + " pixels need " + (long) count * width
                    + " bytes and " + count + " labels, got " + pixels.length + " and " + labels.length);
        }
        int[] offsets = new int[count + 1];
        int total = 0;
        int most = 0;
        for (int n = 0; n < count; n++) {
            int lit = 0;
            for (int p = 0; p < width; p++) {
                if (pixels[n * width + p] != 0) {
                    lit++;
                }
            }
            total = Math.addExact(total, lit);
            offsets[n + 1] = total;
            most = Math.max(most, lit);
        }
        int[] entries = new int[total];
        int k = 0;
        for (int n = 0; n < count; n++) {
            for (int p = 0; p < width; p++) {
                int b = pixels[n * width + p] & 0xFF;
                if (b != 0) {
                    entries[k++] = p << 8 | b;
                }
            }
        }
        return new PackedImages(entries, offsets, Arrays.copyOf(labels, count), most);
    }

    /** mlp.cu's ACT_* codes. */
    private static int activationCode(Activation a) {
        return switch (a) {
            case SIGMOID -> 0;
            case TANH -> 1;
            case RELU -> 2;
        };
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
