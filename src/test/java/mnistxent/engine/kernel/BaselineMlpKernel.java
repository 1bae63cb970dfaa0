package mnistxent.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import mnistxent.config.Activation;
import mnistxent.config.LossKind;
import mnistxent.model.LayerParameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel as it was before the profile-driven rewrite (commit 241f807), unchanged but for reading its
 * images through {@link Images}: the arithmetic mlp.cu mirrors, one image and one pixel at a time, scalar
 * exponentials. Kept for two jobs: {@code KernelBitExactnessTest} holds the kernel to its bits, and
 * {@code KernelStepBenchmark} measures the two side by side in one run (README, Performance).
 */
final class BaselineMlpKernel {

    /**
     * 8-float vectors (AVX2; on AVX-512 machines 256-bit ops are as fast for rows this short). Fixed
     * rather than the CPU's preferred width so that results do not depend on the machine's SIMD width.
     */
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
    private static final int LANES = SPECIES.length();

    /** The images as this kernel read them: index and float value arrays. */
    record Images(int[] offsets, short[] indices, float[] values, byte[] labels) {
        int count() {
            return offsets.length - 1;
        }

        static Images of(KernelImages images) {
            int[] entries = images.entries();
            short[] indices = new short[entries.length];
            float[] values = new float[entries.length];
            for (int k = 0; k < entries.length; k++) {
                indices[k] = (short) (entries[k] >>> 8);
                values[k] = images.pixelValues()[entries[k] & 0xFF];
            }
            return new Images(images.offsets(), indices, values, images.labels());
        }
    }

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
    private final boolean[] rowFresh;
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
    BaselineMlpKernel(int[] layerSizes, Activation[] activations, LossKind loss, double learningRate, double l2,
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
        this.rowFresh = new boolean[nIn[0]];
        this.touchedRows = new int[nIn[0]];
    }

    public int batchSize() {
        return batch;
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
        }
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
    public float step(Images images, int[] batchIndices) {
        if (batchIndices.length != batch) {
            throw new IllegalArgumentException("batch of " + batch + " expected, got " + batchIndices.length);
        }
        return step(images, batchIndices, 0);
    }

    /**
     * One SGD step on the images {@code batchIndices[offset .. offset + batchSize)}: a step of a
     * sequence of batches laid end to end, without copying the batch out.
     */
    public float step(Images images, int[] batchIndices, int offset) {
        forwardInput(images, batchIndices, offset, z[0], a[0], activation[0]);
        for (int l = 1; l < layers; l++) {
            forwardDense(l, a[l - 1], z[l], a[l], batch);
        }
        float batchLoss = outputDelta(images, batchIndices, offset);
        if (l2 > 0f) {
            batchLoss = (float) (batchLoss + 0.5 * l2 * sumOfSquaredWeights());   // SPEC §8: + l2/2 sum W^2
        }
        for (int l = layers - 1; l >= 1; l--) {
            backpropDelta(l);
        }
        // All gradients first (they read the old weights), then all updates: TF's gating.
        for (int l = layers - 1; l >= 1; l--) {
            denseGradients(l);
        }
        int touched = inputGradients(images, batchIndices, offset);
        for (int l = layers - 1; l >= 1; l--) {
            applyDense(l);
        }
        applyInput(touched);
        return batchLoss;
    }

    /** How many of the images' argmax outputs equal their labels (ties: first index, as tf.argmax). */
    public int countCorrect(Images images) {
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
                    FloatVector x = FloatVector.broadcast(SPECIES, in[i]);
                    int row = i * s;
                    for (int j = 0; j < s; j += LANES) {
                        FloatVector.fromArray(SPECIES, wl, row + j)
                                .fma(x, FloatVector.fromArray(SPECIES, zScratch, j))
                                .intoArray(zScratch, j);
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

    private void forwardInput(Images images, int[] idx, int offset, float[] zOut, float[] aOut,
                              Activation act) {
        int s = stride[0];
        for (int e = 0; e < batch; e++) {
            int zo = e * s;
            System.arraycopy(b[0], 0, zOut, zo, s);
            accumulateSparseRow(images, idx[offset + e], zOut, zo);
            activate(act, zOut, aOut, zo, nOut[0]);
        }
    }

    /**
     * {@code z[zo .. zo+stride) += x_n · W2}, over the non-zero pixels of image {@code n} only.
     * Four vectors of z (32 units) stay in registers while the image's pixels stream past, so the
     * loop is a chain of FMAs, not of loads and stores.
     */
    private void accumulateSparseRow(Images images, int n, float[] zOut, int zo) {
        int s = stride[0];
        float[] w0 = w[0];
        short[] indices = images.indices();
        float[] values = images.values();
        int begin = images.offsets()[n];
        int end = images.offsets()[n + 1];
        int j = 0;
        for (; j + 4 * LANES <= s; j += 4 * LANES) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, zOut, zo + j);
            FloatVector a1 = FloatVector.fromArray(SPECIES, zOut, zo + j + LANES);
            FloatVector a2 = FloatVector.fromArray(SPECIES, zOut, zo + j + 2 * LANES);
            FloatVector a3 = FloatVector.fromArray(SPECIES, zOut, zo + j + 3 * LANES);
            for (int k = begin; k < end; k++) {
                FloatVector x = FloatVector.broadcast(SPECIES, values[k]);
                int row = indices[k] * s + j;
                a0 = FloatVector.fromArray(SPECIES, w0, row).fma(x, a0);
                a1 = FloatVector.fromArray(SPECIES, w0, row + LANES).fma(x, a1);
                a2 = FloatVector.fromArray(SPECIES, w0, row + 2 * LANES).fma(x, a2);
                a3 = FloatVector.fromArray(SPECIES, w0, row + 3 * LANES).fma(x, a3);
            }
            a0.intoArray(zOut, zo + j);
            a1.intoArray(zOut, zo + j + LANES);
            a2.intoArray(zOut, zo + j + 2 * LANES);
            a3.intoArray(zOut, zo + j + 3 * LANES);
        }
        for (; j < s; j += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, zOut, zo + j);
            for (int k = begin; k < end; k++) {
                a = FloatVector.fromArray(SPECIES, w0, indices[k] * s + j)
                        .fma(FloatVector.broadcast(SPECIES, values[k]), a);
            }
            a.intoArray(zOut, zo + j);
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
                FloatVector x = FloatVector.broadcast(SPECIES, in[e * sIn + i]);
                int row = i * s;
                for (int j = 0; j < s; j += LANES) {
                    FloatVector.fromArray(SPECIES, wl, row + j)
                            .fma(x, FloatVector.fromArray(SPECIES, zOut, zo + j))
                            .intoArray(zOut, zo + j);
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
    private float outputDelta(Images images, int[] idx, int offset) {
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
                int label = images.labels()[idx[offset + e]];
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
            int label = images.labels()[idx[offset + e]];
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
            for (int j = 0; j < s; j += LANES) {
                FloatVector d = FloatVector.fromArray(SPECIES, dl, dOff + j);
                for (int i = 0; i < nIn[l]; i++) {
                    int at = i * s + j;
                    d.fma(FloatVector.broadcast(SPECIES, aPrev[e * sPrev + i]), FloatVector.fromArray(SPECIES, g, at))
                            .intoArray(g, at);
                }
                d.add(FloatVector.fromArray(SPECIES, gb, j)).intoArray(gb, j);
            }
        }
    }

    /**
     * {@code gradW[0] = xᵀ · delta[0]} over the batch's non-zero pixels; returns how many rows of
     * W2 it touched (listed in {@link #touchedRows}). Untouched rows have a gradient of exactly 0.
     */
    private int inputGradients(Images images, int[] idx, int offset) {
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
            int n = idx[offset + e];
            int begin = images.offsets()[n];
            int end = images.offsets()[n + 1];
            // Mark the rows first: the first example to light pixel p assigns its row, later ones add.
            for (int k = begin; k < end; k++) {
                int p = indices[k];
                if (!rowTouched[p]) {
                    rowTouched[p] = true;
                    touchedRows[touched++] = p;
                    rowFresh[p] = true;
                }
            }
            int j = 0;
            for (; j + 4 * LANES <= s; j += 4 * LANES) {
                // this example's delta stays in registers while its pixels stream past
                FloatVector d0v = FloatVector.fromArray(SPECIES, d0, dOff + j);
                FloatVector d1v = FloatVector.fromArray(SPECIES, d0, dOff + j + LANES);
                FloatVector d2v = FloatVector.fromArray(SPECIES, d0, dOff + j + 2 * LANES);
                FloatVector d3v = FloatVector.fromArray(SPECIES, d0, dOff + j + 3 * LANES);
                for (int k = begin; k < end; k++) {
                    int p = indices[k];
                    FloatVector x = FloatVector.broadcast(SPECIES, values[k]);
                    int row = p * s + j;
                    if (rowFresh[p]) {
                        d0v.mul(x).intoArray(g, row);
                        d1v.mul(x).intoArray(g, row + LANES);
                        d2v.mul(x).intoArray(g, row + 2 * LANES);
                        d3v.mul(x).intoArray(g, row + 3 * LANES);
                    } else {
                        d0v.fma(x, FloatVector.fromArray(SPECIES, g, row)).intoArray(g, row);
                        d1v.fma(x, FloatVector.fromArray(SPECIES, g, row + LANES)).intoArray(g, row + LANES);
                        d2v.fma(x, FloatVector.fromArray(SPECIES, g, row + 2 * LANES)).intoArray(g, row + 2 * LANES);
                        d3v.fma(x, FloatVector.fromArray(SPECIES, g, row + 3 * LANES)).intoArray(g, row + 3 * LANES);
                    }
                }
            }
            for (; j < s; j += LANES) {
                FloatVector dv = FloatVector.fromArray(SPECIES, d0, dOff + j);
                for (int k = begin; k < end; k++) {
                    int p = indices[k];
                    FloatVector x = FloatVector.broadcast(SPECIES, values[k]);
                    int row = p * s + j;
                    if (rowFresh[p]) {
                        dv.mul(x).intoArray(g, row);
                    } else {
                        dv.fma(x, FloatVector.fromArray(SPECIES, g, row)).intoArray(g, row);
                    }
                }
            }
            clearFresh(indices, begin, end);
            for (int jj = 0; jj < s; jj += LANES) {
                FloatVector.fromArray(SPECIES, d0, dOff + jj).add(FloatVector.fromArray(SPECIES, gb, jj))
                        .intoArray(gb, jj);
            }
        }
        return touched;
    }

    private void clearFresh(short[] indices, int begin, int end) {
        for (int k = begin; k < end; k++) {
            rowFresh[indices[k]] = false;
        }
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
            FloatVector minusLr = FloatVector.broadcast(SPECIES, -lr);
            for (int t = 0; t < touched; t++) {
                int row = touchedRows[t] * s;
                for (int j = 0; j < s; j += LANES) {
                    FloatVector.fromArray(SPECIES, g, row + j)
                            .fma(minusLr, FloatVector.fromArray(SPECIES, w0, row + j))
                            .intoArray(w0, row + j);
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

    private int maxStride() {
        int m = 0;
        for (int s : stride) {
            m = Math.max(m, s);
        }
        return m;
    }
}
