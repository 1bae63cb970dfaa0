package mnistxent.train.kernel;

import mnistxent.config.Activation;
import mnistxent.config.LossKind;
import mnistxent.model.TfParameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The seed's training step, written out by hand in float32: the same math as the DL4J network
 * and TensorFlow (SPEC §3-§5), without their per-op overhead.
 *
 * <p>Why it exists: a step of this 784-30-10 network at batch 10 is ~0.5 MFLOP. ND4J spends
 * 30-60 µs of fixed overhead on each of the ~41 ops of a step (docs: NOTES), so stock DL4J runs
 * ~400-800 steps/s, far below what the arithmetic needs. Here a step is one pass over flat
 * arrays with no allocation:
 * <ul>
 *   <li>the input layer is evaluated sparsely ({@link SparseImages}): MNIST's zero pixels
 *       contribute exactly nothing to {@code x·W2} or to {@code xᵀ·delta2}, so skipping them is
 *       exact; only the rows of W2 touched by the batch's non-zero pixels change;</li>
 *   <li>each weight row is padded to a multiple of 8 floats, so the inner loops are whole SIMD
 *       vectors for the JIT (30 hidden units -> rows of 32);</li>
 *   <li>every gradient is computed before any parameter changes, as TF's
 *       {@code GradientDescentOptimizer} does (all gradients are inputs of the apply ops).</li>
 * </ul>
 * Results equal TF's to float32 rounding (summation order differs): see the parity tests.
 *
 * <p>Not thread-safe; one kernel per training run. {@link #countCorrect} uses its own scratch and
 * may run on another thread between steps only if the caller orders it (it reads parameters).
 */
public final class MlpKernel {

    private static final int LANES = 8;

    private final int layers;
    private final int[] nIn;
    private final int[] nOut;
    private final int[] stride;
    private final Activation[] activation;
    private final LossKind loss;
    private final float learningRate;
    private final float l2;
    private final int batch;

    private final float[][] w;
    private final float[][] b;

    // step scratch, allocated once
    private final float[][] z;
    private final float[][] a;
    private final float[][] delta;
    private final float[][] gradW;
    private final float[][] gradB;
    private final boolean[] rowTouched;
    private final int[] touchedRows;

    // evaluation scratch (one image at a time)
    private final float[][] evalA;

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
        this.learningRate = (float) learningRate;
        this.l2 = (float) l2;
        this.batch = batch;
        this.w = new float[layers][];
        this.b = new float[layers][];
        this.z = new float[layers][];
        this.a = new float[layers][];
        this.delta = new float[layers][];
        this.gradW = new float[layers][];
        this.gradB = new float[layers][];
        this.evalA = new float[layers][];
        for (int l = 0; l < layers; l++) {
            nIn[l] = layerSizes[l];
            nOut[l] = layerSizes[l + 1];
            stride[l] = (nOut[l] + LANES - 1) / LANES * LANES;
            w[l] = new float[nIn[l] * stride[l]];
            b[l] = new float[stride[l]];
            z[l] = new float[batch * stride[l]];
            a[l] = new float[batch * stride[l]];
            delta[l] = new float[batch * stride[l]];
            gradW[l] = new float[nIn[l] * stride[l]];
            gradB[l] = new float[stride[l]];
            evalA[l] = new float[stride[l]];
        }
        this.rowTouched = new boolean[nIn[0]];
        this.touchedRows = new int[nIn[0]];
    }

    public int batchSize() {
        return batch;
    }

    /** Loads parameters (row-major, TF layout) into the padded internal layout. */
    public void setParameters(List<TfParameters.Layer> params) {
        if (params.size() != layers) {
            throw new IllegalArgumentException("expected " + layers + " layers, got " + params.size());
        }
        for (int l = 0; l < layers; l++) {
            TfParameters.Layer p = params.get(l);
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
        }
    }

    /** The current parameters, row-major (TF layout), as fresh arrays. */
    public List<TfParameters.Layer> parameters() {
        List<TfParameters.Layer> out = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            float[] weights = new float[nIn[l] * nOut[l]];
            for (int i = 0; i < nIn[l]; i++) {
                System.arraycopy(w[l], i * stride[l], weights, i * nOut[l], nOut[l]);
            }
            out.add(new TfParameters.Layer(nIn[l], nOut[l], weights, Arrays.copyOf(b[l], nOut[l])));
        }
        return out;
    }

    /**
     * One SGD step on the images {@code batchIndices} of {@code images}.
     *
     * @return the batch loss before the update (TF's {@code loss} fetched with {@code train_step})
     */
    public float step(SparseImages images, int[] batchIndices) {
        if (batchIndices.length != batch) {
            throw new IllegalArgumentException("batch of " + batch + " expected, got " + batchIndices.length);
        }
        forwardInput(images, batchIndices, z[0], a[0], activation[0]);
        for (int l = 1; l < layers; l++) {
            forwardDense(l, a[l - 1], z[l], a[l], batch);
        }
        float batchLoss = outputDelta(images, batchIndices);
        for (int l = layers - 1; l >= 1; l--) {
            backpropDelta(l);
        }
        // All gradients first (they read the old weights), then all updates: TF's gating.
        for (int l = layers - 1; l >= 1; l--) {
            denseGradients(l);
        }
        int touched = inputGradients(images, batchIndices);
        for (int l = layers - 1; l >= 1; l--) {
            applyDense(l);
        }
        applyInput(touched);
        return batchLoss;
    }

    /** How many of the images' argmax outputs equal their labels (ties: first index, as tf.argmax). */
    public int countCorrect(SparseImages images) {
        int correct = 0;
        int last = layers - 1;
        float[] zScratch = new float[Math.max(stride[0], maxStride())];
        for (int n = 0; n < images.count(); n++) {
            // layer 0, sparse
            float[] out0 = evalA[0];
            System.arraycopy(b[0], 0, zScratch, 0, stride[0]);
            accumulateSparseRow(images, n, zScratch, 0);
            activate(activation[0], zScratch, out0, 0, nOut[0]);
            for (int l = 1; l < layers; l++) {
                System.arraycopy(b[l], 0, zScratch, 0, stride[l]);
                float[] in = evalA[l - 1];
                float[] wl = w[l];
                int s = stride[l];
                for (int i = 0; i < nIn[l]; i++) {
                    float x = in[i];
                    int row = i * s;
                    for (int j = 0; j < s; j++) {
                        zScratch[j] += x * wl[row + j];
                    }
                }
                activate(activation[l], zScratch, evalA[l], 0, nOut[l]);
            }
            float[] out = evalA[last];
            int best = 0;
            for (int j = 1; j < nOut[last]; j++) {
                if (out[j] > out[best]) {
                    best = j;
                }
            }
            if (best == images.labels()[n]) {
                correct++;
            }
        }
        return correct;
    }

    // ------------------------------------------------------------------ forward

    private void forwardInput(SparseImages images, int[] idx, float[] zOut, float[] aOut, Activation act) {
        int s = stride[0];
        for (int e = 0; e < batch; e++) {
            int zo = e * s;
            System.arraycopy(b[0], 0, zOut, zo, s);
            accumulateSparseRow(images, idx[e], zOut, zo);
            activate(act, zOut, aOut, zo, nOut[0]);
        }
    }

    /** {@code z[zo .. zo+stride) += x_n · W2}, over the non-zero pixels of image {@code n} only. */
    private void accumulateSparseRow(SparseImages images, int n, float[] zOut, int zo) {
        int s = stride[0];
        float[] w0 = w[0];
        short[] indices = images.indices();
        float[] values = images.values();
        int end = images.offsets()[n + 1];
        for (int k = images.offsets()[n]; k < end; k++) {
            float x = values[k];
            int row = indices[k] * s;
            for (int j = 0; j < s; j++) {
                zOut[zo + j] += x * w0[row + j];
            }
        }
    }

    private void forwardDense(int l, float[] in, float[] zOut, float[] aOut, int rows) {
        int s = stride[l];
        int sIn = stride[l - 1];
        float[] wl = w[l];
        for (int e = 0; e < rows; e++) {
            int zo = e * s;
            System.arraycopy(b[l], 0, zOut, zo, s);
            for (int i = 0; i < nIn[l]; i++) {
                float x = in[e * sIn + i];
                int row = i * s;
                for (int j = 0; j < s; j++) {
                    zOut[zo + j] += x * wl[row + j];
                }
            }
            activate(activation[l], zOut, aOut, zo, nOut[l]);
        }
    }

    private static void activate(Activation act, float[] zIn, float[] aOut, int offset, int n) {
        switch (act) {
            case SIGMOID -> {
                for (int j = 0; j < n; j++) {
                    aOut[offset + j] = sigmoid(zIn[offset + j]);
                }
            }
            case TANH -> {
                for (int j = 0; j < n; j++) {
                    aOut[offset + j] = (float) Math.tanh(zIn[offset + j]);
                }
            }
            case RELU -> {
                for (int j = 0; j < n; j++) {
                    aOut[offset + j] = Math.max(zIn[offset + j], 0f);
                }
            }
        }
    }

    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    // ------------------------------------------------------------------ loss and backward

    /** The batch loss (SPEC §4) and {@code delta = dLoss/dz} of the output layer. */
    private float outputDelta(SparseImages images, int[] idx) {
        int last = layers - 1;
        int s = stride[last];
        int outs = nOut[last];
        float[] zl = z[last];
        float[] al = a[last];
        float[] d = delta[last];
        double sum = 0;
        if (loss == LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS) {
            // reduce_mean over batch x outputs: d/dz = (sigmoid(z) - y) / (batch * outputs)
            float scale = 1f / (batch * outs);
            for (int e = 0; e < batch; e++) {
                int label = images.labels()[idx[e]];
                for (int j = 0; j < outs; j++) {
                    float zj = zl[e * s + j];
                    float y = j == label ? 1f : 0f;
                    // TF's stable form: max(z,0) - z*y + log(1 + exp(-|z|))
                    sum += Math.max(zj, 0f) - zj * y + Math.log1p(Math.exp(-Math.abs(zj)));
                    d[e * s + j] = (al[e * s + j] - y) * scale;
                }
            }
            return (float) (sum / (batch * outs));
        }
        // quadratic: mean over the batch of 0.5 * sum_j (y - a)^2; d/dz = (a - y) a (1 - a) / batch
        float scale = 1f / batch;
        for (int e = 0; e < batch; e++) {
            int label = images.labels()[idx[e]];
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

    private static float derivative(Activation act, float zv, float av) {
        return switch (act) {
            case SIGMOID -> av * (1f - av);
            case TANH -> 1f - av * av;
            case RELU -> zv > 0f ? 1f : 0f;
        };
    }

    /** {@code delta[l-1] = (delta[l] · W[l]ᵀ) ⊙ act'(z[l-1])}, with the weights before the update. */
    private void backpropDelta(int l) {
        int s = stride[l];
        int sPrev = stride[l - 1];
        float[] wl = w[l];
        float[] dl = delta[l];
        float[] dPrev = delta[l - 1];
        float[] zPrev = z[l - 1];
        float[] aPrev = a[l - 1];
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < nIn[l]; i++) {
                float acc = 0f;
                int row = i * s;
                for (int j = 0; j < nOut[l]; j++) {
                    acc += dl[e * s + j] * wl[row + j];
                }
                int at = e * sPrev + i;
                dPrev[at] = acc * derivative(activation[l - 1], zPrev[at], aPrev[at]);
            }
        }
    }

    /** {@code gradW[l] = a[l-1]ᵀ · delta[l]}, {@code gradB[l] = sum over the batch of delta[l]}. */
    private void denseGradients(int l) {
        int s = stride[l];
        int sPrev = stride[l - 1];
        float[] g = gradW[l];
        float[] gb = gradB[l];
        float[] aPrev = a[l - 1];
        float[] dl = delta[l];
        Arrays.fill(g, 0f);
        Arrays.fill(gb, 0f);
        for (int e = 0; e < batch; e++) {
            int dOff = e * s;
            for (int i = 0; i < nIn[l]; i++) {
                float x = aPrev[e * sPrev + i];
                int row = i * s;
                for (int j = 0; j < s; j++) {
                    g[row + j] += x * dl[dOff + j];
                }
            }
            for (int j = 0; j < s; j++) {
                gb[j] += dl[dOff + j];
            }
        }
    }

    /**
     * {@code gradW[0] = xᵀ · delta[0]} over the batch's non-zero pixels; returns how many rows of
     * W2 it touched (listed in {@link #touchedRows}). Untouched rows have a gradient of exactly 0.
     */
    private int inputGradients(SparseImages images, int[] idx) {
        int s = stride[0];
        float[] g = gradW[0];
        float[] gb = gradB[0];
        float[] d0 = delta[0];
        Arrays.fill(gb, 0f);
        int touched = 0;
        short[] indices = images.indices();
        float[] values = images.values();
        for (int e = 0; e < batch; e++) {
            int dOff = e * s;
            int n = idx[e];
            int end = images.offsets()[n + 1];
            for (int k = images.offsets()[n]; k < end; k++) {
                int p = indices[k];
                float x = values[k];
                int row = p * s;
                if (!rowTouched[p]) {
                    rowTouched[p] = true;
                    touchedRows[touched++] = p;
                    for (int j = 0; j < s; j++) {
                        g[row + j] = x * d0[dOff + j];
                    }
                } else {
                    for (int j = 0; j < s; j++) {
                        g[row + j] += x * d0[dOff + j];
                    }
                }
            }
            for (int j = 0; j < s; j++) {
                gb[j] += d0[dOff + j];
            }
        }
        return touched;
    }

    private void applyDense(int l) {
        float[] wl = w[l];
        float[] g = gradW[l];
        float lr = learningRate;
        if (l2 > 0f) {
            for (int k = 0; k < wl.length; k++) {
                wl[k] -= lr * (g[k] + l2 * wl[k]);
            }
        } else {
            for (int k = 0; k < wl.length; k++) {
                wl[k] -= lr * g[k];
            }
        }
        applyBias(l);
    }

    private void applyInput(int touched) {
        int s = stride[0];
        float[] w0 = w[0];
        float[] g = gradW[0];
        float lr = learningRate;
        if (l2 > 0f) {
            // L2 moves every weight, touched by the batch or not.
            for (int p = 0; p < nIn[0]; p++) {
                int row = p * s;
                boolean hasGrad = rowTouched[p];
                for (int j = 0; j < s; j++) {
                    float grad = hasGrad ? g[row + j] : 0f;
                    w0[row + j] -= lr * (grad + l2 * w0[row + j]);
                }
            }
        } else {
            for (int t = 0; t < touched; t++) {
                int row = touchedRows[t] * s;
                for (int j = 0; j < s; j++) {
                    w0[row + j] -= lr * g[row + j];
                }
            }
        }
        for (int t = 0; t < touched; t++) {
            rowTouched[touchedRows[t]] = false;
        }
        applyBias(0);
    }

    private void applyBias(int l) {
        float[] bl = b[l];
        float[] gb = gradB[l];
        float lr = learningRate;
        for (int j = 0; j < bl.length; j++) {
            bl[j] -= lr * gb[j];
        }
    }

    private int maxStride() {
        int m = 0;
        for (int s : stride) {
            m = Math.max(m, s);
        }
        return m;
    }
}
