package mnistxent.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import mnistxent.config.Activation;
import mnistxent.config.LossKind;
import mnistxent.model.LayerParameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The seed's training step, written out by hand in float32: the same math as the DL4J network
 * and TensorFlow (SPEC §3-§5), without their per-op overhead.
 *
 * <p>Why it exists: a step of this 784-30-10 network at batch 10 is ~0.5 MFLOP. ND4J spends
 * 30-60 µs of fixed overhead on each of the ~41 ops of a step (README, Performance), so stock DL4J runs
 * ~400-800 steps/s, far below what the arithmetic needs. Here a step is one pass over flat
 * arrays with no allocation:
 * <ul>
 *   <li>the input layer is evaluated sparsely ({@link KernelImages}): MNIST's zero pixels
 *       contribute exactly nothing to {@code x·W2} or to {@code xᵀ·delta2}, so skipping them is
 *       exact; only the rows of W2 touched by the batch's non-zero pixels change;</li>
 *   <li>each weight row is padded to whole SIMD vectors (30 hidden units -> rows of 32);</li>
 *   <li>every gradient is computed before any parameter changes, as TF's
 *       {@code GradientDescentOptimizer} does (all gradients are inputs of the apply ops).</li>
 * </ul>
 * Results equal TF's to float32 rounding (summation order differs): see the parity tests.
 *
 * <p><b>The arithmetic is fixed</b>; mlp.cu repeats it operation for operation and the CUDA tests hold
 * the two equal bit for bit. Per element, in this order: the input layer's {@code z = b}, then
 * {@code z = fma(W[p], x_p, z)} over the image's non-zero pixels in ascending order; a dense layer's
 * {@code z = b}, then {@code z = fma(W[i], a_i, z)} for i ascending; the sigmoid in double
 * ({@link ExactExp}); backpropagation {@code acc = 0f; acc = acc + delta_j * W[i][j]} for j ascending
 * (multiply, then add), times the activation's derivative; a dense gradient {@code g = 0f;
 * g = fma(delta_e, a_e, g)} for the examples in order, and its update {@code w = w - lr * g}; the input
 * layer's gradient row {@code delta_e * x} for the first example lighting the pixel, then
 * {@code fma(delta_e, x, g)}, and its update {@code w = fma(g, -lr, w)}; biases {@code g = 0f;
 * g = delta_e + g}, {@code b = b - lr * g}. Each of these is lane-wise (no sum runs across SIMD lanes), so
 * the result does not depend on the vector width: {@code VectorWidthTest} runs the kernel at 128, 256
 * and 512 bits and compares bits.
 *
 * <p>How it is fast (README, Performance, the profile): for batches of up to 10 (the seed's), the input
 * layer runs as a block ({@link #blockRows}, {@link #blockUpdate}): each row of W0 the batch touches is
 * read once per pass and applied to every example at once, their sums or deltas in registers, the dark
 * pixels adding zeros; this reads ~380 rows a step in order where the sparse sums read ~1,500 in the
 * order of the images' pixels, and it is bound by the FMA units. It reads each example's pixels straight
 * from the images' bytes and finds the touched rows by OR-ing the images' bit sets ({@link KernelImages}):
 * nothing is written per lit pixel. Otherwise (larger batches, L2, and any
 * step the block form cannot take exactly) the sparse sums: the forward pass two images at a time, so
 * that four independent FMA chains hide the FMA latency; the gradient from rows of {@code -0f}, which
 * makes the first example's {@code fma(delta, x, -0f)} exactly its product; the update over the touched
 * rows only, grouped by how many examples light them (so that the loop over a row's examples is
 * predictable). The dense layers keep their sums in registers, four rows or examples at a time so that
 * four chains hide the FMA's latency, and fuse gradient and update, W[l]ᵀ moving with W[l] rather than
 * being copied; the exponentials are vectorised ({@link ExactExp}), and a sigmoid output layer's run with
 * the loss's over its logits packed end to end ({@link #packedSigmoidCrossEntropy}).
 *
 * <p>Not thread-safe; one kernel per training run. {@link #countCorrect} may run on another thread
 * between steps only if the caller orders it with them: it reads the parameters, and in the block form
 * it uses the step's scratch.
 */
public final class MlpKernel {

    /**
     * The SIMD width: the machine's widest, since results do not depend on it (above);
     * {@code -Dmnistxent.kernel.vectorBits=128|256|512} chooses one (for the tests and measurements).
     */
    static final VectorSpecies<Float> SPECIES = species(Integer.getInteger("mnistxent.kernel.vectorBits", 0));
    private static final int LANES = SPECIES.length();
    /** Images evaluated per forward pass in {@link #countCorrect}. */
    private static final int EVAL_CHUNK = 64;
    /**
     * The most examples a step may have for its input layer to run as a block ({@link #blockRows}): one
     * register pair per example's sums, 20 of AVX-512's 32 vector registers. The seed's batch is 10.
     */
    static final int BLOCK = 10;

    private final int layers;
    private final int[] nIn;
    private final int[] nOut;
    private final int[] stride;
    private final Activation[] activation;
    private final LossKind loss;
    /** A sigmoid output layer under the sigmoid cross-entropy: {@link #packedSigmoidCrossEntropy}. */
    private final boolean sigmoidCrossEntropy;
    /** Its logits, labels (1f, 0f) and sigmoids packed end to end, in whole vectors. */
    private final float[] packedLogits;
    private final float[] packedLabels;
    private final float[] packedSigmoids;
    private final float learningRate;
    private final float l2;
    private final int batch;

    private final float[][] w;
    /** {@code wT[l]} (l >= 1): W[l] transposed, {@code nOut} rows of {@code stride[l-1]}: backpropagation's rows. */
    private final float[][] wT;
    private final float[][] b;
    /** {@code realUnits[l][i]}: 1f for the units of layer l, 0f for its padding. */
    private final float[][] realUnits;

    // step scratch, allocated once
    private final float[][] z;
    private final float[][] a;
    private final float[][] delta;
    /** The input layer's gradient for batches of more than 64 ({@link #inputUpdateByExample}); -0f when unused. */
    private final float[] gradW0;
    private final float[] gradB;
    /**
     * Per pixel (row of W0), the examples of the step that light it, one bit each (example {@code e} is bit
     * {@code e % 64}); set by the forward pass, cleared as the row is updated.
     */
    private final long[] litBy;
    /**
     * {@code litValue[p * litCapacity + e]}: the value of pixel p in example e, where that example lights it
     * (the float itself, not its byte: one load fewer per example in the update, which waits on them).
     */
    private final float[] litValue;
    private final int litCapacity;
    private final int[] touchedRows;
    /** The touched rows grouped by how many examples light them: group c at {@code c * nIn[0]}. */
    private final int[] rowsByCount;
    /** {@code rowExamples[i]}: the {@link #litBy} bits of the row {@code rowsByCount[i]}, moved there. */
    private final long[] rowExamples;
    private final int[] rowCounts;
    /** Whether the input layer may run as a block ({@link #blockForward}): batches of up to 10, no L2. */
    private final boolean blocks;
    /** No parameter is -0f: the block form's other condition ({@link #blockRows}). */
    private boolean noNegativeZero;
    /** Steps whose input layer ran as a block (for the tests: the block form is the one measured). */
    private long stepsInBlock;
    /**
     * {@code exampleBase[e]}: where example e's bytes start in the images' {@link KernelImages#pixels}; for the
     * examples past the batch, example 0's (their sums are dropped and their deltas are zero).
     */
    private final int[] exampleBase;
    /** How many rows of W0 the step's examples touch: {@code touchedRows[0 .. touched)}, ascending. */
    private int touched;
    /** {@link #readAhead}'s loads end here, so that the JIT keeps them. */
    private int readAheadSink;
    private final int[] batchImages;
    private final int[] batchLabels;
    private final double[] lossTerms;
    private final double[] sigmoids;
    private final float[] labelOnes;

    // evaluation scratch
    private final float[][] evalZ;
    private final float[][] evalA;
    private final int[] evalImages;
    private final double[] evalSigmoids;
    /** {@link #sparseForward}'s record of the evaluation's lit pixels: written, never read. */
    private final long[] evalLit;
    private final float[] evalLitValue;

    /**
     * @param layerSizes   {@code [inputs, units of layer 0, ..., outputs]}
     * @param activations  one per layer
     * @param learningRate SGD step size (SPEC §5)
     * @param l2           L2 coefficient on weights (0 = off)
     * @param batch        examples per step
     */
    public MlpKernel(int[] layerSizes, Activation[] activations, LossKind loss, double learningRate, double l2,
                     int batch) {
        if (activations.length != layerSizes.length - 1) {
            throw new IllegalArgumentException("one activation per layer");
        }
        this.layers = activations.length;
        this.nIn = new int[layers];
        this.nOut = new int[layers];
        this.stride = new int[layers];
        this.activation = activations.clone();
        this.loss = loss;
        this.sigmoidCrossEntropy = loss == LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS
                && activations[activations.length - 1] == Activation.SIGMOID;
        int packed = (batch * layerSizes[layerSizes.length - 1] + 2 * LANES - 1) / LANES * LANES;
        this.packedLogits = new float[packed];
        this.packedLabels = new float[packed];
        this.packedSigmoids = new float[packed];
        this.learningRate = (float) learningRate;
        this.l2 = (float) l2;
        this.batch = batch;
        this.w = new float[layers][];
        this.wT = new float[layers][];
        this.b = new float[layers][];
        this.realUnits = new float[layers][];
        this.z = new float[layers][];
        this.a = new float[layers][];
        this.delta = new float[layers][];
        this.evalZ = new float[layers][];
        this.evalA = new float[layers][];
        for (int l = 0; l < layers; l++) {
            nIn[l] = layerSizes[l];
            nOut[l] = layerSizes[l + 1];
            // the input layer's rows are processed two vectors at a time
            int unit = l == 0 ? 2 * LANES : LANES;
            stride[l] = (nOut[l] + unit - 1) / unit * unit;
        }
        this.blocks = batch <= BLOCK && l2 == 0;
        int widest = 0;
        for (int l = 0; l < layers; l++) {
            w[l] = new float[nIn[l] * stride[l]];
            if (l > 0) {
                wT[l] = new float[nOut[l] * stride[l - 1]];
            }
            b[l] = new float[stride[l]];
            realUnits[l] = new float[stride[l]];
            Arrays.fill(realUnits[l], 0, nOut[l], 1f);
            z[l] = new float[batch * stride[l]];
            a[l] = new float[batch * stride[l]];
            // the block form reads BLOCK rows of delta[0], those past the batch zero
            delta[l] = new float[(l == 0 && blocks ? BLOCK : batch) * stride[l]];
            evalZ[l] = new float[EVAL_CHUNK * stride[l]];
            evalA[l] = new float[EVAL_CHUNK * stride[l]];
            widest = Math.max(widest, stride[l]);
        }
        this.exampleBase = new int[BLOCK];
        this.gradW0 = new float[batch > Long.SIZE ? nIn[0] * stride[0] : 0];
        Arrays.fill(gradW0, -0f);
        this.gradB = new float[widest];
        this.litCapacity = Math.min(batch, Long.SIZE);
        this.litBy = new long[nIn[0]];
        this.litValue = new float[nIn[0] * litCapacity];
        this.touchedRows = new int[Math.max(nIn[0], 1)];
        this.rowsByCount = new int[(litCapacity + 1) * nIn[0]];
        this.rowExamples = new long[(litCapacity + 1) * nIn[0]];
        this.rowCounts = new int[litCapacity + 1];
        this.batchImages = new int[batch];
        this.batchLabels = new int[batch];
        this.lossTerms = new double[batch * stride[layers - 1]];
        this.labelOnes = new float[stride[layers - 1]];
        this.evalImages = new int[EVAL_CHUNK];
        this.sigmoids = new double[batch * widest];
        this.evalSigmoids = new double[EVAL_CHUNK * widest];
        this.evalLit = new long[nIn[0]];
        this.evalLitValue = new float[nIn[0]];
    }

    private static VectorSpecies<Float> species(int bits) {
        return bits == 0 ? FloatVector.SPECIES_PREFERRED : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    public int batchSize() {
        return batch;
    }

    /**
     * Runs the exact exponentials' scalar fallbacks ({@link ExactExp}) once, on NaNs, which always take them:
     * for the warm-up, so that the JIT's profile has seen those branches taken. Real images take them only
     * now and then, and the first time, a few epochs in, made the JIT throw the compiled loss away and
     * compile it again (README, Performance, "Start-up").
     */
    public static void exerciseScalarFallbacks() {
        float[] z = new float[LANES];
        float[] a = new float[LANES];
        double[] scratch = new double[LANES];
        Arrays.fill(z, Float.NaN);
        int[] labels = {0};
        float[] ones = new float[LANES];
        ExactExp.sigmoid(z, a, 0, LANES, scratch);
        ExactExp.crossEntropy(z, LANES, Math.min(10, LANES), labels, 1, scratch, ones);
    }

    /** How many steps ran their input layer as a block ({@link #blockForward}); the rest took the sparse sums. */
    long stepsInBlock() {
        return stepsInBlock;
    }

    /** Loads parameters (row-major, TF layout) into the padded internal layout. */
    public void setParameters(List<LayerParameters> params) {
        if (params.size() != layers) {
            throw new IllegalArgumentException("expected " + layers + " layers, got " + params.size());
        }
        for (int l = 0; l < layers; l++) {
            LayerParameters p = params.get(l);
            if (p.nIn() != nIn[l] || p.nOut() != nOut[l]) {
                throw new IllegalArgumentException("layer " + l + " is " + nIn[l] + "x" + nOut[l] + ", got "
                        + p.nIn() + "x" + p.nOut());
            }
            Arrays.fill(w[l], 0f);
            Arrays.fill(b[l], 0f);
            for (int i = 0; i < nIn[l]; i++) {
                System.arraycopy(p.weights(), i * nOut[l], w[l], i * stride[l], nOut[l]);
            }
            System.arraycopy(p.biases(), 0, b[l], 0, nOut[l]);
            if (l > 0) {
                Arrays.fill(wT[l], 0f);
                transpose(l);
            }
        }
        noNegativeZero = noNegativeZero();
    }

    private boolean noNegativeZero() {
        for (int l = 0; l < layers; l++) {
            for (float v : w[l]) {
                if (Float.floatToRawIntBits(v) == 0x80000000) {     // -0f (== 0f would take +0f too)
                    return false;
                }
            }
            for (float v : b[l]) {
                if (Float.floatToRawIntBits(v) == 0x80000000) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Makes this kernel's parameters {@code other}'s, bit for bit: a copy of the padded arrays, without the
     * TF layout in between (an epoch's snapshot, README, Performance, "Epoch ends").
     */
    public void copyParametersFrom(MlpKernel other) {
        if (!Arrays.equals(other.nIn, nIn) || !Arrays.equals(other.nOut, nOut) || !Arrays.equals(other.stride, stride)) {
            throw new IllegalArgumentException("kernels of different shapes");
        }
        for (int l = 0; l < layers; l++) {
            System.arraycopy(other.w[l], 0, w[l], 0, w[l].length);
            System.arraycopy(other.b[l], 0, b[l], 0, b[l].length);
            if (l > 0) {
                System.arraycopy(other.wT[l], 0, wT[l], 0, wT[l].length);
            }
        }
        noNegativeZero = other.noNegativeZero;
    }

    /** The current parameters, row-major (TF layout), as fresh arrays. */
    public List<LayerParameters> parameters() {
        List<LayerParameters> out = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            float[] weights = new float[nIn[l] * nOut[l]];
            for (int i = 0; i < nIn[l]; i++) {
                System.arraycopy(w[l], i * stride[l], weights, i * nOut[l], nOut[l]);
            }
            out.add(new LayerParameters(nIn[l], nOut[l], weights, Arrays.copyOf(b[l], nOut[l])));
        }
        return out;
    }

    /**
     * One SGD step on the images {@code batchIndices} of {@code images}.
     *
     * @return the batch loss before the update (TF's {@code loss} fetched with {@code train_step})
     */
    public float step(KernelImages images, int[] batchIndices) {
        if (batchIndices.length != batch) {
            throw new IllegalArgumentException("batch of " + batch + " expected, got " + batchIndices.length);
        }
        return step(images, batchIndices, 0);
    }

    /**
     * One SGD step on the images {@code batchIndices[offset .. offset + batchSize)}: a step of a
     * sequence of batches laid end to end, without copying the batch out.
     */
    public float step(KernelImages images, int[] batchIndices, int offset) {
        requireFits(images);
        return step(images, batchIndices, offset, -1);
    }

    /** Images with more pixels than the input layer has units have pixels no weight reads. */
    private void requireFits(KernelImages images) {
        if (images.pixelsPerImage() > nIn[0]) {
            throw new IllegalArgumentException("images of " + images.pixelsPerImage() + " pixels for a network of "
                    + nIn[0] + " inputs");
        }
    }

    /** A step; then, unless {@code nextOffset} is -1, reads ahead the images of the batch there. */
    private float step(KernelImages images, int[] batchIndices, int offset, int nextOffset) {
        for (int e = 0; e < batch; e++) {
            int n = batchIndices[offset + e];
            batchImages[e] = n;
            batchLabels[e] = images.labels()[n];
        }
        if (nextOffset >= 0) {
            readAhead(images, batchIndices, nextOffset);
        }
        boolean inBlock = blocks && noNegativeZero && blockForward(images, batch);
        if (!inBlock) {
            sparseForward(images, batchImages, batch, z[0], litBy, litValue, litCapacity);
        }
        activate(activation[0], z[0], a[0], batch * stride[0], sigmoids);
        for (int l = 1; l < layers; l++) {
            denseForward(l, a[l - 1], z[l], batch);
            if (l < layers - 1 || !sigmoidCrossEntropy) {       // else outputDelta activates it with the loss
                activate(activation[l], z[l], a[l], batch * stride[l], sigmoids);
            }
        }
        float batchLoss = outputDelta();
        if (l2 > 0f) {
            batchLoss = (float) (batchLoss + 0.5 * l2 * sumOfSquaredWeights());   // SPEC §8: + l2/2 sum W^2
        }
        // Every gradient is taken before its layer changes, and no gradient reads a layer below it: so
        // each layer may change as soon as its own gradient and the delta below it are known (TF's gating).
        for (int k = 1; k < layers; k++) {      // counting up: counting l down, C2 deoptimised the step once a run
            int l = layers - k;
            backpropDelta(l);
            denseGradientAndUpdate(l);
        }
        if (inBlock && allFinite(delta[0], batch * stride[0])) {
            for (int j = 0; j < stride[0]; j += 2 * LANES) {
                blockUpdate(images, j);
            }
            updateBias(0);
            stepsInBlock++;
        } else {
            if (inBlock) {
                // a delta is not finite: this step's update takes the sparse sums, which need the lit pixels
                // recorded (sparseForward records them, recomputing z[0], equal, which is no longer read)
                sparseForward(images, batchImages, batch, z[0], litBy, litValue, litCapacity);
            }
            inputGradientAndUpdate(images);
        }
        return batchLoss;
    }

    /**
     * {@code count} steps on the batches laid end to end in {@code batchIndices}, from batch {@code first}
     * on, each step's loss into {@code losses[0 .. count)}. As a step starts, the next step's images are read
     * ahead ({@link #readAhead}), so that the next step finds them in the cache.
     */
    public void steps(KernelImages images, int[] batchIndices, int first, int count, float[] losses) {
        requireFits(images);
        for (int k = 0; k < count; k++) {
            int next = k + 1 < count ? (first + k + 1) * batch : -1;
            losses[k] = step(images, batchIndices, (first + k) * batch, next);
        }
    }

    /** How many of the images' argmax outputs equal their labels (ties: first index, as tf.argmax). */
    public int countCorrect(KernelImages images) {
        requireFits(images);
        if (blocks && noNegativeZero) {
            return countCorrectInBlocks(images);
        }
        int correct = 0;
        int last = layers - 1;
        for (int start = 0; start < images.count(); start += EVAL_CHUNK) {
            int rows = Math.min(EVAL_CHUNK, images.count() - start);
            for (int r = 0; r < rows; r++) {
                evalImages[r] = start + r;
            }
            sparseForward(images, evalImages, rows, evalZ[0], evalLit, evalLitValue, 1);
            activate(activation[0], evalZ[0], evalA[0], rows * stride[0], evalSigmoids);
            for (int l = 1; l < layers; l++) {
                denseForward(l, evalA[l - 1], evalZ[l], rows);
                activate(activation[l], evalZ[l], evalA[l], rows * stride[l], evalSigmoids);
            }
            correct += hits(evalA[last], rows, images, start);
        }
        return correct;
    }

    /**
     * {@link #countCorrect} a batch of images at a time through the training step's own forward pass
     * ({@link #blockForward}, whose sums equal the sparse sums'): so that the evaluation runs the code that
     * training has compiled rather than the JIT compiling a second forward pass while training starts
     * (README, Performance, "The input layer as a block"). Uses the step's scratch: not while a step runs.
     */
    private int countCorrectInBlocks(KernelImages images) {
        int correct = 0;
        int last = layers - 1;
        for (int start = 0; start < images.count(); start += batch) {
            int rows = Math.min(batch, images.count() - start);
            for (int r = 0; r < rows; r++) {
                batchImages[r] = start + r;
            }
            if (!blockForward(images, rows)) {
                sparseForward(images, batchImages, rows, z[0], evalLit, evalLitValue, 1);
            }
            activate(activation[0], z[0], a[0], rows * stride[0], sigmoids);
            for (int l = 1; l < layers; l++) {
                denseForward(l, a[l - 1], z[l], rows);
                activate(activation[l], z[l], a[l], rows * stride[l], sigmoids);
            }
            correct += hits(a[last], rows, images, start);
        }
        return correct;
    }

    /**
     * How many of {@code rows} examples' outputs ({@code out}, rows of the output layer's stride) have their
     * argmax (ties: the first index, as tf.argmax) at the label of image {@code start + r}.
     */
    private int hits(float[] out, int rows, KernelImages images, int start) {
        int last = layers - 1;
        int s = stride[last];
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < nOut[last]; j++) {
                if (out[r * s + j] > out[r * s + best]) {
                    best = j;
                }
            }
            if (best == images.labels()[start + r]) {
                correct++;
            }
        }
        return correct;
    }

    // ------------------------------------------------------------------ forward

    /**
     * Reads one int of every cache line of the next batch's images, so that they come from memory while
     * this step runs (the training images, ~33 MB, do not stay in the caches; read when the forward pass
     * reaches them, each image cost a wait on memory: README, Performance). Java has no prefetch
     * instruction; plain loads do the same here, their sum kept so that they are not dropped. At the start
     * of the step rather than before its backward pass: 1.02–1.06 times the steps/s with the block form,
     * whose FMA-bound forward pass runs in the loads' shadow.
     */
    private void readAhead(KernelImages images, int[] batchIndices, int offset) {
        if (blocks) {
            readAheadBlock(images, batchIndices, offset);
            return;
        }
        int[] offsets = images.offsets();
        int[] entries = images.entries();
        int sum = 0;
        for (int e = 0; e < batch; e++) {
            int n = batchIndices[offset + e];
            int end = offsets[n + 1];
            for (int k = offsets[n]; k < end; k += 16) {
                sum += entries[k];
            }
            sum += entries[Math.max(end - 1, 0)];       // the last line, which the stride may step over
        }
        readAheadSink = sum;
    }

    /**
     * {@link #readAhead} for the block form, which reads the images' lit bits (first, to list the touched
     * rows) and their bytes: the bits whole, and of the bytes only an image's first line. The block passes
     * read the rest of an image's bytes in ascending order, and the misses there wait less than here: reading
     * every line of the bytes ahead (13 an image) made this wait 1.5 µs a step, every other line 0.8 µs, and
     * the step was fastest with neither (README, Performance, "The images' own bytes").
     */
    private void readAheadBlock(KernelImages images, int[] batchIndices, int offset) {
        byte[] pixels = images.pixels();
        long[] bits = images.litBits();
        int size = images.pixelsPerImage();
        int words = images.bitWords();
        int sum = 0;
        for (int e = 0; e < batch; e++) {
            int n = batchIndices[offset + e];
            sum += pixels[n * size];
            sum += (int) (bits[n * words] ^ bits[n * words + words - 1]);
        }
        readAheadSink = sum;
    }

    /**
     * {@code zOut[e] = b0 + x_e · W0} for the images {@code imageIds[0 .. rows)}, over their non-zero pixels
     * only, two images at a time; records in {@code lit} and {@code litValue} which images light which pixel
     * with which value ({@link #litBy}). The evaluation records too, into scratch it never reads
     * ({@link #evalLit}): so that it runs the very code training made hot. With a branch to skip the record,
     * the first evaluation took the branch's other side, which the JIT had compiled as never taken: it threw
     * the forward pass's compiled code away, ran that evaluation interpreted (~0.14 s, README, Performance,
     * "Start-up") and compiled it again.
     */
    private void sparseForward(KernelImages images, int[] imageIds, int rows, float[] zOut, long[] lit,
                               float[] litValue, int capacity) {
        int s = stride[0];
        int[] offsets = images.offsets();
        for (int e = 0; e < rows; e++) {
            System.arraycopy(b[0], 0, zOut, e * s, s);
        }
        int e = 0;
        for (; e + 1 < rows; e += 2) {
            int n0 = imageIds[e];
            int n1 = imageIds[e + 1];
            for (int j = 0; j < s; j += 2 * LANES) {
                accumulatePair(images, offsets[n0], offsets[n0 + 1], offsets[n1], offsets[n1 + 1], zOut, e * s + j,
                        (e + 1) * s + j, j, lit, litValue, capacity, e);
            }
        }
        if (e < rows) {
            int n = imageIds[e];
            for (int j = 0; j < s; j += 2 * LANES) {
                accumulateOne(images, offsets[n], offsets[n + 1], zOut, e * s + j, j, lit, litValue, capacity, e);
            }
        }
    }

    /**
     * Two images' sums over their pixels, two vectors of columns {@code [j, j + 2 LANES)} each: four
     * independent FMA chains in registers while the pixels stream past (one image's two chains would
     * wait on the FMA latency).
     */
    private void accumulatePair(KernelImages images, int k0, int end0, int k1, int end1, float[] zOut, int zo0,
                                int zo1, int j, long[] lit, float[] litValue, int capacity, int e) {
        int s = stride[0];
        float[] w0 = w[0];
        int[] entries = images.entries();
        float[] values = images.pixelValues();
        FloatVector p0 = FloatVector.fromArray(SPECIES, zOut, zo0);
        FloatVector p1 = FloatVector.fromArray(SPECIES, zOut, zo0 + LANES);
        FloatVector q0 = FloatVector.fromArray(SPECIES, zOut, zo1);
        FloatVector q1 = FloatVector.fromArray(SPECIES, zOut, zo1 + LANES);
        int common = Math.min(end0 - k0, end1 - k1);
        int slotP = e % capacity;
        int slotQ = (e + 1) % capacity;
        long bitP = 1L << e;
        long bitQ = 1L << (e + 1);
        for (int t = 0; t < common; t++) {
            int ep = entries[k0 + t];
            int eq = entries[k1 + t];
            float vp = values[ep & 0xFF];
            float vq = values[eq & 0xFF];
            FloatVector xp = FloatVector.broadcast(SPECIES, vp);
            FloatVector xq = FloatVector.broadcast(SPECIES, vq);
            int pp = ep >>> 8;
            int pq = eq >>> 8;
            lit[pp] |= bitP;
            lit[pq] |= bitQ;
            litValue[pp * capacity + slotP] = vp;
            litValue[pq * capacity + slotQ] = vq;
            int rp = pp * s + j;
            int rq = pq * s + j;
            p0 = FloatVector.fromArray(SPECIES, w0, rp).fma(xp, p0);
            p1 = FloatVector.fromArray(SPECIES, w0, rp + LANES).fma(xp, p1);
            q0 = FloatVector.fromArray(SPECIES, w0, rq).fma(xq, q0);
            q1 = FloatVector.fromArray(SPECIES, w0, rq + LANES).fma(xq, q1);
        }
        p0.intoArray(zOut, zo0);
        p1.intoArray(zOut, zo0 + LANES);
        q0.intoArray(zOut, zo1);
        q1.intoArray(zOut, zo1 + LANES);
        // The longer image's remaining pixels: in a loop of their own, since C2 keeps vectors in registers
        // across one loop but boxes them (allocating) when a value flows through several in a row.
        accumulateOne(images, k0 + common, end0, zOut, zo0, j, lit, litValue, capacity, e);
        accumulateOne(images, k1 + common, end1, zOut, zo1, j, lit, litValue, capacity, e + 1);
    }

    private void accumulateOne(KernelImages images, int k0, int end0, float[] zOut, int zo, int j, long[] lit,
                               float[] litValue, int capacity, int e) {
        int s = stride[0];
        float[] w0 = w[0];
        int[] entries = images.entries();
        float[] values = images.pixelValues();
        FloatVector p0 = FloatVector.fromArray(SPECIES, zOut, zo);
        FloatVector p1 = FloatVector.fromArray(SPECIES, zOut, zo + LANES);
        int slot = e % capacity;
        long bit = 1L << e;
        for (int k = k0; k < end0; k++) {
            int ep = entries[k];
            float vp = values[ep & 0xFF];
            FloatVector xp = FloatVector.broadcast(SPECIES, vp);
            int pp = ep >>> 8;
            lit[pp] |= bit;
            litValue[pp * capacity + slot] = vp;
            int rp = pp * s + j;
            p0 = FloatVector.fromArray(SPECIES, w0, rp).fma(xp, p0);
            p1 = FloatVector.fromArray(SPECIES, w0, rp + LANES).fma(xp, p1);
        }
        p0.intoArray(zOut, zo);
        p1.intoArray(zOut, zo + LANES);
    }

    /**
     * The input layer as a block, forward: lists the rows of W0 the step's examples touch ({@link #listBlockRows}),
     * then sums {@code z = b0 + x · W0} for every example at once, a row of W0 at a time ({@link #blockRows}).
     * Returns false where a sum is not finite: the step then takes the sparse sums (see {@link #blockRows} for
     * why).
     */
    private boolean blockForward(KernelImages images, int rows) {
        for (int e = 0; e < BLOCK; e++) {
            exampleBase[e] = batchImages[e < rows ? e : 0] * images.pixelsPerImage();
        }
        touched = listBlockRows(images, rows);
        for (int j = 0; j < stride[0]; j += 2 * LANES) {
            blockRows(images, j);
        }
        return allFinite(z[0], rows * stride[0]);
    }

    /**
     * Lists the rows of W0 that the first {@code rows} of {@link #batchImages} touch into {@link #touchedRows},
     * ascending: the union of their {@link KernelImages#litBits}, a word at a time. Returns how many.
     */
    private int listBlockRows(KernelImages images, int rows) {
        long[] bits = images.litBits();
        int words = images.bitWords();
        int[] list = touchedRows;
        int count = 0;
        for (int wd = 0; wd < words; wd++) {
            long union = 0;
            for (int e = 0; e < rows; e++) {
                union |= bits[batchImages[e] * words + wd];
            }
            int first = wd * Long.SIZE;
            while (union != 0) {
                list[count++] = first + Long.numberOfTrailingZeros(union);
                union &= union - 1;
            }
        }
        return count;
    }

    /** Whether {@code v[0 .. n)} (whole vectors) holds no infinity and no NaN: {@code x - x} is 0 for the rest. */
    private static boolean allFinite(float[] v, int n) {
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int i = 0; i < n; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, v, i);
            sum = sum.add(x.sub(x));
        }
        return !Float.isNaN(sum.reduceLanes(VectorOperators.ADD));
    }

    /**
     * Columns {@code [j, j + 2 LANES)} of {@code z[0]} for every example of the step: each touched row of W0 is
     * read once and applied to all ten examples, whose sums stay in twenty registers. Each FMA chain is an
     * example's, over the rows in ascending order, so the sparse sums' order is kept: the examples that leave
     * a pixel dark add {@code w * 0f} there, a zero. Each example's pixel value comes from its image's byte
     * ({@link KernelImages#pixels}, through the 256 values of {@link KernelImages#pixelValues}): nothing is
     * written per pixel before the pass (README, Performance, "The images' own bytes").
     *
     * <p>Why this is exact: adding a zero changes no sum but a zero's sign, and a sum here is never -0f:
     * it starts at a bias that is not -0f (none is, or the step does not run here: {@link #noNegativeZero}),
     * and a sum of non-zero terms that cancels is +0f. A weight that is not finite would turn the zero into
     * a NaN: {@link #blockForward} checks the sums and hands such steps to the sparse sums.
     *
     * <p>Why this is fast (README, Performance, "The input layer as a block"): the sparse sums read a row of
     * W0 for every lit pixel of every example, ~1,500 row reads a step from a W0 that does not fit the L1
     * cache, and each waited on the pixel before it; here ~380 rows are read once each, in order. The price
     * is the zeros: 20 FMAs per row where the lit pixels need 2 per example lighting it (3.9 on average).
     * (The ten examples are written out: Java has no array of registers, and an array of vectors would
     * live in memory.)
     */
    private void blockRows(KernelImages images, int j) {
        int s = stride[0];
        float[] w0 = w[0];
        byte[] px = images.pixels();
        float[] x = images.pixelValues();
        int[] rows = touchedRows;
        int count = touched;
        int o0 = exampleBase[0], o1 = exampleBase[1], o2 = exampleBase[2], o3 = exampleBase[3], o4 = exampleBase[4];
        int o5 = exampleBase[5], o6 = exampleBase[6], o7 = exampleBase[7], o8 = exampleBase[8], o9 = exampleBase[9];
        FloatVector b0 = FloatVector.fromArray(SPECIES, b[0], j);
        FloatVector b1 = FloatVector.fromArray(SPECIES, b[0], j + LANES);
        FloatVector a0 = b0, a1 = b1, c0 = b0, c1 = b1, d0 = b0, d1 = b1, e0 = b0, e1 = b1, f0 = b0, f1 = b1;
        FloatVector g0 = b0, g1 = b1, h0 = b0, h1 = b1, i0 = b0, i1 = b1, k0 = b0, k1 = b1, m0 = b0, m1 = b1;
        for (int t = 0; t < count; t++) {
            int p = rows[t];
            int at = p * s + j;
            FloatVector lo = FloatVector.fromArray(SPECIES, w0, at);
            FloatVector hi = FloatVector.fromArray(SPECIES, w0, at + LANES);
            FloatVector v = FloatVector.broadcast(SPECIES, x[px[o0 + p] & 0xFF]);
            a0 = lo.fma(v, a0);
            a1 = hi.fma(v, a1);
            v = FloatVector.broadcast(SPECIES, x[px[o1 + p] & 0xFF]);
            c0 = lo.fma(v, c0);
            c1 = hi.fma(v, c1);
            v = FloatVector.broadcast(SPECIES, x[px[o2 + p] & 0xFF]);
            d0 = lo.fma(v, d0);
            d1 = hi.fma(v, d1);
            v = FloatVector.broadcast(SPECIES, x[px[o3 + p] & 0xFF]);
            e0 = lo.fma(v, e0);
            e1 = hi.fma(v, e1);
            v = FloatVector.broadcast(SPECIES, x[px[o4 + p] & 0xFF]);
            f0 = lo.fma(v, f0);
            f1 = hi.fma(v, f1);
            v = FloatVector.broadcast(SPECIES, x[px[o5 + p] & 0xFF]);
            g0 = lo.fma(v, g0);
            g1 = hi.fma(v, g1);
            v = FloatVector.broadcast(SPECIES, x[px[o6 + p] & 0xFF]);
            h0 = lo.fma(v, h0);
            h1 = hi.fma(v, h1);
            v = FloatVector.broadcast(SPECIES, x[px[o7 + p] & 0xFF]);
            i0 = lo.fma(v, i0);
            i1 = hi.fma(v, i1);
            v = FloatVector.broadcast(SPECIES, x[px[o8 + p] & 0xFF]);
            k0 = lo.fma(v, k0);
            k1 = hi.fma(v, k1);
            v = FloatVector.broadcast(SPECIES, x[px[o9 + p] & 0xFF]);
            m0 = lo.fma(v, m0);
            m1 = hi.fma(v, m1);
        }
        // the examples past the batch summed zeros: only the batch's sums are kept
        float[] zo = z[0];
        int n = batch;
        a0.intoArray(zo, j);
        a1.intoArray(zo, j + LANES);
        if (n > 1) {
            c0.intoArray(zo, s + j);
            c1.intoArray(zo, s + j + LANES);
        }
        if (n > 2) {
            d0.intoArray(zo, 2 * s + j);
            d1.intoArray(zo, 2 * s + j + LANES);
        }
        if (n > 3) {
            e0.intoArray(zo, 3 * s + j);
            e1.intoArray(zo, 3 * s + j + LANES);
        }
        if (n > 4) {
            f0.intoArray(zo, 4 * s + j);
            f1.intoArray(zo, 4 * s + j + LANES);
        }
        if (n > 5) {
            g0.intoArray(zo, 5 * s + j);
            g1.intoArray(zo, 5 * s + j + LANES);
        }
        if (n > 6) {
            h0.intoArray(zo, 6 * s + j);
            h1.intoArray(zo, 6 * s + j + LANES);
        }
        if (n > 7) {
            i0.intoArray(zo, 7 * s + j);
            i1.intoArray(zo, 7 * s + j + LANES);
        }
        if (n > 8) {
            k0.intoArray(zo, 8 * s + j);
            k1.intoArray(zo, 8 * s + j + LANES);
        }
        if (n > 9) {
            m0.intoArray(zo, 9 * s + j);
            m1.intoArray(zo, 9 * s + j + LANES);
        }
    }

    /**
     * The input layer as a block, backward, columns {@code [j, j + 2 LANES)}: each touched row's gradient over
     * all ten examples, their deltas in twenty registers, the pixel values read as {@link #blockRows} reads
     * them, then the row's update. The gradient starts at -0f and takes {@code fma(delta_e, x, g)} for
     * every example in order: the first lit one's is exactly its product, as in the sparse sums, and the dark
     * ones add zeros. Here a zero may change the sign of a zero gradient, which cannot change a weight, since
     * no weight is -0f ({@link #noNegativeZero}; {@code w + ±0f} is w, and +0f for w = +0f). A delta that is
     * not finite would make a NaN of a zero: the step checks the deltas first.
     */
    private void blockUpdate(KernelImages images, int j) {
        int s = stride[0];
        float[] w0 = w[0];
        byte[] px = images.pixels();
        float[] x = images.pixelValues();
        int[] rows = touchedRows;
        int count = touched;
        int o0 = exampleBase[0], o1 = exampleBase[1], o2 = exampleBase[2], o3 = exampleBase[3], o4 = exampleBase[4];
        int o5 = exampleBase[5], o6 = exampleBase[6], o7 = exampleBase[7], o8 = exampleBase[8], o9 = exampleBase[9];
        // delta[0] has BLOCK rows, those past the batch zero
        float[] dl = delta[0];
        FloatVector a0 = FloatVector.fromArray(SPECIES, dl, j);
        FloatVector a1 = FloatVector.fromArray(SPECIES, dl, j + LANES);
        FloatVector c0 = FloatVector.fromArray(SPECIES, dl, s + j);
        FloatVector c1 = FloatVector.fromArray(SPECIES, dl, s + j + LANES);
        FloatVector d0 = FloatVector.fromArray(SPECIES, dl, 2 * s + j);
        FloatVector d1 = FloatVector.fromArray(SPECIES, dl, 2 * s + j + LANES);
        FloatVector e0 = FloatVector.fromArray(SPECIES, dl, 3 * s + j);
        FloatVector e1 = FloatVector.fromArray(SPECIES, dl, 3 * s + j + LANES);
        FloatVector f0 = FloatVector.fromArray(SPECIES, dl, 4 * s + j);
        FloatVector f1 = FloatVector.fromArray(SPECIES, dl, 4 * s + j + LANES);
        FloatVector g0 = FloatVector.fromArray(SPECIES, dl, 5 * s + j);
        FloatVector g1 = FloatVector.fromArray(SPECIES, dl, 5 * s + j + LANES);
        FloatVector h0 = FloatVector.fromArray(SPECIES, dl, 6 * s + j);
        FloatVector h1 = FloatVector.fromArray(SPECIES, dl, 6 * s + j + LANES);
        FloatVector i0 = FloatVector.fromArray(SPECIES, dl, 7 * s + j);
        FloatVector i1 = FloatVector.fromArray(SPECIES, dl, 7 * s + j + LANES);
        FloatVector k0 = FloatVector.fromArray(SPECIES, dl, 8 * s + j);
        FloatVector k1 = FloatVector.fromArray(SPECIES, dl, 8 * s + j + LANES);
        FloatVector m0 = FloatVector.fromArray(SPECIES, dl, 9 * s + j);
        FloatVector m1 = FloatVector.fromArray(SPECIES, dl, 9 * s + j + LANES);
        FloatVector start = FloatVector.broadcast(SPECIES, -0f);
        FloatVector minusLr = FloatVector.broadcast(SPECIES, -learningRate);
        for (int t = 0; t < count; t++) {
            int p = rows[t];
            FloatVector v = FloatVector.broadcast(SPECIES, x[px[o0 + p] & 0xFF]);
            FloatVector q0 = a0.fma(v, start);
            FloatVector q1 = a1.fma(v, start);
            v = FloatVector.broadcast(SPECIES, x[px[o1 + p] & 0xFF]);
            q0 = c0.fma(v, q0);
            q1 = c1.fma(v, q1);
            v = FloatVector.broadcast(SPECIES, x[px[o2 + p] & 0xFF]);
            q0 = d0.fma(v, q0);
            q1 = d1.fma(v, q1);
            v = FloatVector.broadcast(SPECIES, x[px[o3 + p] & 0xFF]);
            q0 = e0.fma(v, q0);
            q1 = e1.fma(v, q1);
            v = FloatVector.broadcast(SPECIES, x[px[o4 + p] & 0xFF]);
            q0 = f0.fma(v, q0);
            q1 = f1.fma(v, q1);
            v = FloatVector.broadcast(SPECIES, x[px[o5 + p] & 0xFF]);
            q0 = g0.fma(v, q0);
            q1 = g1.fma(v, q1);
            v = FloatVector.broadcast(SPECIES, x[px[o6 + p] & 0xFF]);
            q0 = h0.fma(v, q0);
            q1 = h1.fma(v, q1);
            v = FloatVector.broadcast(SPECIES, x[px[o7 + p] & 0xFF]);
            q0 = i0.fma(v, q0);
            q1 = i1.fma(v, q1);
            v = FloatVector.broadcast(SPECIES, x[px[o8 + p] & 0xFF]);
            q0 = k0.fma(v, q0);
            q1 = k1.fma(v, q1);
            v = FloatVector.broadcast(SPECIES, x[px[o9 + p] & 0xFF]);
            q0 = m0.fma(v, q0);
            q1 = m1.fma(v, q1);
            int at = p * s + j;
            q0.fma(minusLr, FloatVector.fromArray(SPECIES, w0, at)).intoArray(w0, at);
            q1.fma(minusLr, FloatVector.fromArray(SPECIES, w0, at + LANES)).intoArray(w0, at + LANES);
        }
    }

    /**
     * Lists the rows of W0 the forward pass marked in {@link #litBy}, ascending: a pass over the marks
     * without a branch (a list kept while marking made every pixel wait on the list's length).
     */
    private int listTouchedRows() {
        long[] lit = litBy;
        int[] list = touchedRows;
        int touched = 0;
        for (int p = 0; p < lit.length; p++) {
            list[touched] = p;
            touched += (int) ((lit[p] | -lit[p]) >>> 63);
        }
        return touched;
    }

    /** {@code zOut[e] = b + aIn[e] · W[l]} for {@code rows} examples, two at a time, sums in registers. */
    private void denseForward(int l, float[] aIn, float[] zOut, int rows) {
        int s = stride[l];
        int sIn = stride[l - 1];
        int inputs = nIn[l];
        float[] wl = w[l];
        float[] bl = b[l];
        int e = 0;
        for (; e + 1 < rows; e += 2) {
            int in0 = e * sIn;
            int in1 = in0 + sIn;
            for (int j = 0; j < s; j += LANES) {
                FloatVector acc0 = FloatVector.fromArray(SPECIES, bl, j);
                FloatVector acc1 = acc0;
                for (int i = 0; i < inputs; i++) {
                    FloatVector wv = FloatVector.fromArray(SPECIES, wl, i * s + j);
                    acc0 = wv.fma(FloatVector.broadcast(SPECIES, aIn[in0 + i]), acc0);
                    acc1 = wv.fma(FloatVector.broadcast(SPECIES, aIn[in1 + i]), acc1);
                }
                acc0.intoArray(zOut, e * s + j);
                acc1.intoArray(zOut, (e + 1) * s + j);
            }
        }
        if (e < rows) {
            int in0 = e * sIn;
            for (int j = 0; j < s; j += LANES) {
                FloatVector acc0 = FloatVector.fromArray(SPECIES, bl, j);
                for (int i = 0; i < inputs; i++) {
                    acc0 = FloatVector.fromArray(SPECIES, wl, i * s + j)
                            .fma(FloatVector.broadcast(SPECIES, aIn[in0 + i]), acc0);
                }
                acc0.intoArray(zOut, e * s + j);
            }
        }
    }

    /** {@code aOut[k] = act(zIn[k])} for {@code k < n} (padding included: it is never read as a unit). */
    private static void activate(Activation act, float[] zIn, float[] aOut, int n, double[] scratch) {
        switch (act) {
            case SIGMOID -> ExactExp.sigmoid(zIn, aOut, 0, n, scratch);
            case TANH -> {
                for (int k = 0; k < n; k++) {
                    aOut[k] = (float) Math.tanh(zIn[k]);
                }
            }
            case RELU -> {
                for (int k = 0; k < n; k++) {
                    aOut[k] = Math.max(zIn[k], 0f);
                }
            }
        }
    }

    // ------------------------------------------------------------------ loss and backward

    /** The batch loss (SPEC §4) and {@code delta = dLoss/dz} of the output layer. */
    private float outputDelta() {
        int last = layers - 1;
        int s = stride[last];
        int outs = nOut[last];
        float[] zl = z[last];
        float[] al = a[last];
        float[] d = delta[last];
        if (sigmoidCrossEntropy) {
            return packedSigmoidCrossEntropy();
        }
        if (loss == LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS) {
            // reduce_mean over batch x outputs: d/dz = (sigmoid(z) - y) / (batch * outputs)
            float scale = 1f / (batch * outs);
            for (int e = 0; e < batch; e++) {
                int label = batchLabels[e];
                for (int j = 0; j < outs; j++) {
                    float y = j == label ? 1f : 0f;
                    d[e * s + j] = (al[e * s + j] - y) * scale;
                }
            }
            return ExactExp.crossEntropy(zl, s, outs, batchLabels, batch, lossTerms, labelOnes);
        }
        // quadratic: mean over the batch of 0.5 * sum_j (y - a)^2; d/dz = (a - y) a (1 - a) / batch
        double sum = 0;
        float scale = 1f / batch;
        for (int e = 0; e < batch; e++) {
            int label = batchLabels[e];
            for (int j = 0; j < outs; j++) {
                float aj = al[e * s + j];
                float y = j == label ? 1f : 0f;
                float diff = aj - y;
                sum += 0.5 * diff * diff;
                d[e * s + j] = diff * derivative(activation[last], zl[e * s + j], aj) * scale;
            }
        }
        return (float) (sum / batch);
    }

    /**
     * {@link #outputDelta} for a sigmoid output layer under the sigmoid cross-entropy: the logits packed end
     * to end (10 a row, not 16), so that the exponentials run on 100 lanes, not 160, and one exponential a
     * logit serves the sigmoid and the loss ({@link ExactExp#sigmoidCrossEntropy}). {@code a} of the output
     * layer is left unset: nothing after this reads it.
     */
    private float packedSigmoidCrossEntropy() {
        int last = layers - 1;
        int s = stride[last];
        int outs = nOut[last];
        float[] zl = z[last];
        float[] zp = packedLogits;
        float[] yp = packedLabels;
        float[] ap = packedSigmoids;
        for (int e = 0; e < batch; e++) {
            // a whole vector a row: its lanes past the row are overwritten by the next row's (the last row's
            // land in the padding past rows * outs)
            for (int j = 0; j < outs; j += LANES) {
                FloatVector.fromArray(SPECIES, zl, e * s + j).intoArray(zp, e * outs + j);
            }
            int label = batchLabels[e];
            if (label >= 0 && label < outs) {
                yp[e * outs + label] = 1f;
            }
        }
        float batchLoss = ExactExp.sigmoidCrossEntropy(zp, yp, ap, outs, batchLabels, batch, sigmoids, lossTerms);
        float[] d = delta[last];
        float scale = 1f / (batch * outs);
        for (int e = 0; e < batch; e++) {
            for (int j = 0; j < outs; j++) {
                int at = e * outs + j;
                d[e * s + j] = (ap[at] - yp[at]) * scale;
                yp[at] = 0f;
            }
        }
        return batchLoss;
    }

    private static float derivative(Activation act, float zv, float av) {
        return switch (act) {
            case SIGMOID -> av * (1f - av);
            case TANH -> 1f - av * av;
            case RELU -> zv > 0f ? 1f : 0f;
        };
    }

    /**
     * {@code delta[l-1] = (delta[l] · W[l]ᵀ) ⊙ act'(z[l-1])}, with the weights before the update: a vector of
     * units {@code i} at a time, each example's sum over the rows of W[l]ᵀ in order. Four examples at a time
     * share each row's load and keep four sums in flight: one example's chain of adds waited on the add's
     * latency, row after row (README, Performance, "The images' own bytes": the dense layers).
     */
    private void backpropDelta(int l) {
        int s = stride[l];
        int sPrev = stride[l - 1];
        int outs = nOut[l];
        float[] wt = wT[l];
        float[] dl = delta[l];
        FloatVector zero = FloatVector.zero(SPECIES);
        int e = 0;
        for (; e + 3 < batch; e += 4) {
            for (int i = 0; i < sPrev; i += LANES) {
                FloatVector acc0 = zero, acc1 = zero, acc2 = zero, acc3 = zero;
                for (int j = 0; j < outs; j++) {
                    FloatVector wv = FloatVector.fromArray(SPECIES, wt, j * sPrev + i);
                    acc0 = acc0.add(wv.mul(FloatVector.broadcast(SPECIES, dl[e * s + j])));
                    acc1 = acc1.add(wv.mul(FloatVector.broadcast(SPECIES, dl[(e + 1) * s + j])));
                    acc2 = acc2.add(wv.mul(FloatVector.broadcast(SPECIES, dl[(e + 2) * s + j])));
                    acc3 = acc3.add(wv.mul(FloatVector.broadcast(SPECIES, dl[(e + 3) * s + j])));
                }
                storeDelta(l, e * sPrev + i, acc0);
                storeDelta(l, (e + 1) * sPrev + i, acc1);
                storeDelta(l, (e + 2) * sPrev + i, acc2);
                storeDelta(l, (e + 3) * sPrev + i, acc3);
            }
        }
        for (; e < batch; e++) {
            for (int i = 0; i < sPrev; i += LANES) {
                FloatVector acc = zero;
                for (int j = 0; j < outs; j++) {
                    acc = acc.add(FloatVector.fromArray(SPECIES, wt, j * sPrev + i)
                            .mul(FloatVector.broadcast(SPECIES, dl[e * s + j])));
                }
                storeDelta(l, e * sPrev + i, acc);
            }
        }
    }

    /** {@code delta[l-1][at ..] = sum ⊙ act'(z[l-1][at ..])}: the end of {@link #backpropDelta} for one vector. */
    private void storeDelta(int l, int at, FloatVector sum) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector av = FloatVector.fromArray(SPECIES, a[l - 1], at);
        FloatVector slope = switch (activation[l - 1]) {
            case SIGMOID -> av.mul(one.sub(av));
            case TANH -> one.sub(av.mul(av));
            case RELU -> FloatVector.zero(SPECIES).blend(one, FloatVector.fromArray(SPECIES, z[l - 1], at)
                    .compare(VectorOperators.GT, 0f));
        };
        sum.mul(slope).intoArray(delta[l - 1], at);
    }

    /**
     * {@code W[l] -= lr * (a[l-1]ᵀ · delta[l] (+ l2 W))}, {@code b[l] -= lr * sum over the batch of delta[l]}:
     * each gradient vector summed in a register and applied at once.
     */
    private void denseGradientAndUpdate(int l) {
        int s = stride[l];
        int sPrev = stride[l - 1];
        float[] wl = w[l];
        float[] aPrev = a[l - 1];
        float[] dl = delta[l];
        FloatVector zero = FloatVector.zero(SPECIES);
        // four rows at a time: they share each example's delta and keep four FMA chains in flight, where
        // one row's chain waited on the FMA latency example after example (README, Performance)
        int i = 0;
        for (; i + 3 < nIn[l]; i += 4) {
            for (int j = 0; j < s; j += LANES) {
                FloatVector g0 = zero, g1 = zero, g2 = zero, g3 = zero;
                for (int e = 0; e < batch; e++) {
                    FloatVector d = FloatVector.fromArray(SPECIES, dl, e * s + j);
                    int ai = e * sPrev + i;
                    g0 = d.fma(FloatVector.broadcast(SPECIES, aPrev[ai]), g0);
                    g1 = d.fma(FloatVector.broadcast(SPECIES, aPrev[ai + 1]), g1);
                    g2 = d.fma(FloatVector.broadcast(SPECIES, aPrev[ai + 2]), g2);
                    g3 = d.fma(FloatVector.broadcast(SPECIES, aPrev[ai + 3]), g3);
                }
                descend(wl, i * s + j, g0);
                descend(wl, (i + 1) * s + j, g1);
                descend(wl, (i + 2) * s + j, g2);
                descend(wl, (i + 3) * s + j, g3);
            }
        }
        for (; i < nIn[l]; i++) {
            for (int j = 0; j < s; j += LANES) {
                FloatVector g = zero;
                for (int e = 0; e < batch; e++) {
                    g = FloatVector.fromArray(SPECIES, dl, e * s + j)
                            .fma(FloatVector.broadcast(SPECIES, aPrev[e * sPrev + i]), g);
                }
                descend(wl, i * s + j, g);
            }
        }
        updateTransposed(l);
        updateBias(l);
    }

    /** {@code W[at ..] -= lr * (g (+ l2 W))}: a dense layer's update of one vector of weights. */
    private void descend(float[] weights, int at, FloatVector g) {
        FloatVector wv = FloatVector.fromArray(SPECIES, weights, at);
        FloatVector step = l2 > 0f ? g.add(wv.mul(l2)) : g;
        wv.sub(step.mul(learningRate)).intoArray(weights, at);
    }

    /**
     * {@code wT[l]} moved as {@link #denseGradientAndUpdate} moved W[l], element for element: the same products
     * ({@code a * delta} is {@code delta * a}) summed in the same order and applied by the same expression, so
     * that it stays W[l]'s exact transpose without a copy. Its padding columns stay zero: their gradient is
     * multiplied by zero (the padding units' activations are not).
     */
    private void updateTransposed(int l) {
        int s = stride[l];
        int sPrev = stride[l - 1];
        float[] wt = wT[l];
        float[] aPrev = a[l - 1];
        float[] dl = delta[l];
        float[] real = realUnits[l - 1];
        FloatVector zero = FloatVector.zero(SPECIES);
        int j = 0;
        for (; j + 3 < nOut[l]; j += 4) {       // four rows at a time, as in denseGradientAndUpdate
            for (int i = 0; i < sPrev; i += LANES) {
                FloatVector g0 = zero, g1 = zero, g2 = zero, g3 = zero;
                for (int e = 0; e < batch; e++) {
                    FloatVector av = FloatVector.fromArray(SPECIES, aPrev, e * sPrev + i);
                    int dj = e * s + j;
                    g0 = av.fma(FloatVector.broadcast(SPECIES, dl[dj]), g0);
                    g1 = av.fma(FloatVector.broadcast(SPECIES, dl[dj + 1]), g1);
                    g2 = av.fma(FloatVector.broadcast(SPECIES, dl[dj + 2]), g2);
                    g3 = av.fma(FloatVector.broadcast(SPECIES, dl[dj + 3]), g3);
                }
                FloatVector realMask = FloatVector.fromArray(SPECIES, real, i);
                descend(wt, j * sPrev + i, g0.mul(realMask));
                descend(wt, (j + 1) * sPrev + i, g1.mul(realMask));
                descend(wt, (j + 2) * sPrev + i, g2.mul(realMask));
                descend(wt, (j + 3) * sPrev + i, g3.mul(realMask));
            }
        }
        for (; j < nOut[l]; j++) {
            for (int i = 0; i < sPrev; i += LANES) {
                FloatVector g = zero;
                for (int e = 0; e < batch; e++) {
                    g = FloatVector.fromArray(SPECIES, aPrev, e * sPrev + i)
                            .fma(FloatVector.broadcast(SPECIES, dl[e * s + j]), g);
                }
                descend(wt, j * sPrev + i, g.mul(FloatVector.fromArray(SPECIES, real, i)));
            }
        }
    }

    /** {@code wT[l]} from {@code w[l]}. */
    private void transpose(int l) {
        int s = stride[l];
        int sPrev = stride[l - 1];
        float[] wl = w[l];
        float[] wt = wT[l];
        for (int i = 0; i < nIn[l]; i++) {
            for (int j = 0; j < nOut[l]; j++) {
                wt[j * sPrev + i] = wl[i * s + j];
            }
        }
    }

    /** {@code b[l] -= lr * g}, {@code g = 0f; g = delta_e + g} over the batch in order. */
    private void updateBias(int l) {
        int s = stride[l];
        float[] bl = b[l];
        float[] dl = delta[l];
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int j = 0; j < s; j += LANES) {
            FloatVector g = zero;
            for (int e = 0; e < batch; e++) {
                g = FloatVector.fromArray(SPECIES, dl, e * s + j).add(g);
            }
            FloatVector.fromArray(SPECIES, bl, j).sub(g.mul(learningRate)).intoArray(bl, j);
        }
    }

    /**
     * {@code W0 -= lr * xᵀ · delta[0]} (or its L2 form) and the input layer's bias. Each touched row's gradient
     * is the sum over the examples that light its pixel, in example order: {@code delta_e * x} for the first,
     * then {@code fma(delta_e, x, g)}; the row then moves by {@code fma(g, -lr, w)}. Untouched rows have a
     * gradient of exactly 0 and do not move (except under L2, which moves every weight).
     */
    private void inputGradientAndUpdate(KernelImages images) {
        if (batch <= Long.SIZE) {
            inputUpdateByRow();
        } else {
            inputUpdateByExample(images);
        }
        updateBias(0);
    }

    /**
     * Row by row, each gradient summed in registers over the examples {@link #litBy} names: the rows are
     * read and written once per step, where summing example by example into a gradient array read and
     * wrote a row once per pixel (~4 times as often), and W0 and that array together (200 KB) do not fit
     * in the L1 cache (README, Performance: the profile).
     *
     * <p>The touched rows are taken in groups of equal example count (the rows one example lights, then
     * those two light, ...), so that the loop over a row's examples runs as often row after row and the
     * branch predictor learns its exit, which a count changing from row to row mispredicted about once a
     * row. The order of the rows changes nothing: each row's sum runs over its examples in order. Each
     * row's bits go into the groups beside it ({@link #rowExamples}), so that the update reads them in
     * order rather than after the row's number (a load that waited on another).
     */
    private void inputUpdateByRow() {
        if (l2 > 0f) {
            inputUpdateByRowWithDecay();
            return;
        }
        long[] lit = litBy;
        int inputs = nIn[0];
        int[] groups = rowsByCount;
        long[] groupBits = rowExamples;
        int[] counts = rowCounts;
        int touched = listTouchedRows();
        for (int t = 0; t < touched; t++) {
            int p = touchedRows[t];
            long examples = lit[p];
            lit[p] = 0;
            int c = Long.bitCount(examples);
            int at = c * inputs + counts[c]++;
            groups[at] = p;
            groupBits[at] = examples;
        }
        int s = stride[0];
        FloatVector minusLr = FloatVector.broadcast(SPECIES, -learningRate);
        for (int c = 1; c <= litCapacity; c++) {
            int rows = counts[c];
            counts[c] = 0;
            for (int t = 0; t < rows; t++) {
                int p = groups[c * inputs + t];
                long examples = groupBits[c * inputs + t];
                if (s == 2 * LANES) {
                    // the usual case (30 hidden units, 512-bit vectors): a row is one pair of vectors, and
                    // without a loop over them the row is ~25% faster (README, Performance)
                    moveRow(p, 0, examples, c, minusLr);
                } else {
                    for (int j = 0; j < s; j += 2 * LANES) {
                        moveRow(p, j, examples, c, minusLr);
                    }
                }
            }
        }
    }

    /**
     * Columns {@code [j, j + 2 LANES)} of row {@code p} of W0: the gradient over the {@code count} examples
     * of the bit set {@code examples}, in order ({@code delta_e * x} for the first, then
     * {@code fma(delta_e, x, g)}), then {@code w = fma(g, -lr, w)}.
     */
    private void moveRow(int p, int j, long examples, int count, FloatVector minusLr) {
        int s = stride[0];
        float[] d0 = delta[0];
        float[] lits = litValue;
        int base = p * litCapacity;
        long left = examples;
        int e = Long.numberOfTrailingZeros(left);
        FloatVector x = FloatVector.broadcast(SPECIES, lits[base + e]);
        FloatVector g0 = FloatVector.fromArray(SPECIES, d0, e * s + j).mul(x);
        FloatVector g1 = FloatVector.fromArray(SPECIES, d0, e * s + j + LANES).mul(x);
        left &= left - 1;
        for (int k = 1; k < count; k++) {
            e = Long.numberOfTrailingZeros(left);
            x = FloatVector.broadcast(SPECIES, lits[base + e]);
            g0 = FloatVector.fromArray(SPECIES, d0, e * s + j).fma(x, g0);
            g1 = FloatVector.fromArray(SPECIES, d0, e * s + j + LANES).fma(x, g1);
            left &= left - 1;
        }
        float[] w0 = w[0];
        int at = p * s + j;
        g0.fma(minusLr, FloatVector.fromArray(SPECIES, w0, at)).intoArray(w0, at);
        g1.fma(minusLr, FloatVector.fromArray(SPECIES, w0, at + LANES)).intoArray(w0, at + LANES);
    }

    /** {@link #inputUpdateByRow} under L2, which moves every row: an untouched row's gradient is +0f. */
    private void inputUpdateByRowWithDecay() {
        int s = stride[0];
        float[] d0 = delta[0];
        float[] w0 = w[0];
        long[] lit = litBy;
        float[] lits = litValue;
        int cap = litCapacity;
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int p = 0; p < nIn[0]; p++) {
            long examples = lit[p];
            lit[p] = 0;
            int row = p * s;
            for (int j = 0; j < s; j += 2 * LANES) {
                FloatVector w0v = FloatVector.fromArray(SPECIES, w0, row + j);
                FloatVector w1v = FloatVector.fromArray(SPECIES, w0, row + j + LANES);
                FloatVector g0 = zero;        // a sum over nothing
                FloatVector g1 = zero;
                long left = examples;
                if (left != 0) {
                    int e = Long.numberOfTrailingZeros(left);
                    FloatVector x = FloatVector.broadcast(SPECIES, lits[p * cap + e]);
                    g0 = FloatVector.fromArray(SPECIES, d0, e * s + j).mul(x);
                    g1 = FloatVector.fromArray(SPECIES, d0, e * s + j + LANES).mul(x);
                    left &= left - 1;
                    while (left != 0) {
                        e = Long.numberOfTrailingZeros(left);
                        x = FloatVector.broadcast(SPECIES, lits[p * cap + e]);
                        g0 = FloatVector.fromArray(SPECIES, d0, e * s + j).fma(x, g0);
                        g1 = FloatVector.fromArray(SPECIES, d0, e * s + j + LANES).fma(x, g1);
                        left &= left - 1;
                    }
                }
                w0v.sub(g0.add(w0v.mul(l2)).mul(learningRate)).intoArray(w0, row + j);
                w1v.sub(g1.add(w1v.mul(l2)).mul(learningRate)).intoArray(w0, row + j + LANES);
            }
        }
    }

    /**
     * For batches of more than 64 examples (one bit each does not fit {@link #litBy}): the gradient summed
     * example by example into {@link #gradW0}, whose rows start at -0f so that the first example's
     * {@code fma(delta, x, -0f)} is exactly {@code delta * x}; then the rows move and are reset to -0f.
     */
    private void inputUpdateByExample(KernelImages images) {
        int s = stride[0];
        float[] g = gradW0;
        float[] d0 = delta[0];
        int[] entries = images.entries();
        float[] values = images.pixelValues();
        int[] offsets = images.offsets();
        for (int e = 0; e < batch; e++) {
            int n = batchImages[e];
            int end = offsets[n + 1];
            for (int j = 0; j < s; j += 2 * LANES) {
                // this example's delta stays in registers while its pixels stream past
                FloatVector dv0 = FloatVector.fromArray(SPECIES, d0, e * s + j);
                FloatVector dv1 = FloatVector.fromArray(SPECIES, d0, e * s + j + LANES);
                for (int k = offsets[n]; k < end; k++) {
                    int en = entries[k];
                    FloatVector x = FloatVector.broadcast(SPECIES, values[en & 0xFF]);
                    int row = (en >>> 8) * s + j;
                    dv0.fma(x, FloatVector.fromArray(SPECIES, g, row)).intoArray(g, row);
                    dv1.fma(x, FloatVector.fromArray(SPECIES, g, row + LANES)).intoArray(g, row + LANES);
                }
            }
        }
        float[] w0 = w[0];
        FloatVector cleared = FloatVector.broadcast(SPECIES, -0f);
        FloatVector minusLr = FloatVector.broadcast(SPECIES, -learningRate);
        FloatVector zero = FloatVector.zero(SPECIES);
        boolean decay = l2 > 0f;
        int rows = decay ? nIn[0] : listTouchedRows();
        for (int t = 0; t < rows; t++) {
            int p = decay ? t : touchedRows[t];
            boolean touched = litBy[p] != 0;
            litBy[p] = 0;
            int row = p * s;
            for (int j = 0; j < s; j += LANES) {
                FloatVector wv = FloatVector.fromArray(SPECIES, w0, row + j);
                if (decay) {
                    // an untouched row's gradient under L2 is +0f
                    FloatVector grad = touched ? FloatVector.fromArray(SPECIES, g, row + j) : zero;
                    wv.sub(grad.add(wv.mul(l2)).mul(learningRate)).intoArray(w0, row + j);
                } else {
                    FloatVector.fromArray(SPECIES, g, row + j).fma(minusLr, wv).intoArray(w0, row + j);
                }
                cleared.intoArray(g, row + j);
            }
        }
    }

    /** {@code sum W^2} over every layer's weights (padding is zero), in double: the L2 term's value. */
    private double sumOfSquaredWeights() {
        double sum = 0;
        for (float[] wl : w) {
            for (float v : wl) {
                sum += (double) v * v;
            }
        }
        return sum;
    }
}
