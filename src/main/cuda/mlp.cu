// mlp.cu: MlpKernel's training step and test count on an NVIDIA GPU, bit for bit.
//
// What it computes. mlp_train runs R independent trainings, one thread block each, `steps` SGD
// steps in one launch: the seed's network (docs/SPEC.md section 3), its loss (section 4) and
// plain SGD (section 5), with the optional L2 term (section 8), in exactly the float32
// operations and order of src/main/java/mnistxent/engine/kernel/MlpKernel.java, so that every
// parameter and every reported loss equals the CPU kernel's to the bit (the caveats: see
// "Exactness" below). mlp_count_correct counts the test images whose argmax output equals the
// label (section 6), as MlpKernel.countCorrect does. The host side (shared-memory layout, the
// descriptor, packing of parameters and images) is KernelLayout.java; the CPU emulation of
// this very file (src/test/cuda) proves the equality in the tests.
//
// Exactness. Compiled with -fmad=false (NvrtcPtx.java), so no a*b+c is ever contracted;
// every float32 operation is written as the intrinsic that says what it is: fmaf exactly where
// MlpKernel calls the Vector API's fused fma, __fadd_rn/__fsub_rn/__fmul_rn where Java uses
// plain float arithmetic (Java never fuses scalar float operations), and the summation order of
// every dot product is MlpKernel's. Activations and the loss are computed in double as Java
// does (sigmoid = (float)(1/(1+exp(-(double)z))), tanh = (float)tanh((double)z), the loss
// terms with exp/log1p), and here the libraries differ: CUDA's exp, tanh and log1p are within
// 1 ulp of the true result (double), as are Java's Math.exp/tanh/log1p, but the two need not
// be the same double. A different last double bit changes the float result only when the
// double lies within an ulp of a float rounding boundary (about 2^-29 of cases), so in practice
// the results are equal; it is the one thing that is not equal by construction (and training is
// chaotic: one such flip in a 30-epoch run, ~6e7 sigmoids, would move every later value). The
// CPU emulation uses glibc's exp/tanh/log1p, so it checks the operations and their order, not
// this. NaN payloads are not compared (CUDA and x86 make different NaN bits). MlpKernel also
// updates its own row padding (nOut rounded up to 8, F_UPDATE_WIDTH), so this kernel does too:
// that padding only matters once activations are infinite (NaN padding then shows in the L2
// sum). The L2 term's
// sum of squared weights is a parallel double reduction (fixed order, the same for every block
// size and parameter placement) where Java sums sequentially: the L2 loss may differ from
// MlpKernel's in its last bit. The updates never use it, so parameters stay bit-exact.
//
// The design (one block = one training run; parameters in shared memory when they fit).
//   Parameters: per layer, W is nIn rows of `stride` floats (stride = nOut rounded up to 32,
//   so lane j of a warp is output unit j and a row is one 128-byte line), then the biases
//   padded to stride; padding is 0. Seed net: W2 784x32 + b2 32 + W3 30x32 + b3 32 = 26,112
//   floats = 104,448 B. They live in shared memory when KernelLayout finds room (H100/H200:
//   227 KB per block, A100: 163 KB), else in global memory (consumer GPUs, ~99 KB): one code
//   path through a generic float pointer.
//   Warps: the first E warps are "example warps", the other L = W - E "loader warps".
//   A step is two phases separated by __syncthreads():
//   Phase A. Each example warp takes whole examples (e = warp, warp + E, ...): the forward pass
//     through every layer (lanes = output units, chunks of 32 for wider layers), the output
//     delta, and backprop of the delta through every layer, all per example, so only
//     __syncwarp() is needed. Meanwhile the loader warps prepare the NEXT step's batch in the
//     other half of a double buffer (the examples' descriptors; their pixel entries, decoded to
//     {row byte offset, value}, or kept at 4 bytes when shared memory is short; dense
//     per-example pixel bytes; per-pixel example bitmasks; the ascending list of lit pixels),
//     compute the L2 partial sums of this step's (not yet updated) weights, and compute the
//     PREVIOUS step's loss from its saved logits (deferred: the loss is a sequential double sum,
//     kept off the critical path). Loader warps order their stages with named barrier 1.
//   Phase B. All warps apply the updates. Every delta exists by now, so each weight's gradient
//     a^T.delta is computed and applied at once (TF's gating, section 5: every gradient is
//     computed from pre-update values, and phase A read all the weights it needed). Layer 0
//     (784 inputs): only the rows of pixels the batch lit (without L2 the others have a
//     gradient of exactly 0 and do not move), one warp per row, walking the row's example
//     bitmask in increasing example order, which is MlpKernel's accumulation order.
//   Prologue: parameters to shared, step 0's batch loaded. Epilogue: the last step's loss,
//   parameters back to global memory. Two block barriers per step.
//
// What bounds a step, and the floor. Seed net, batch 10, 1024 threads = 32 warps: E = 10
// example warps with one example each, L = 22 loaders; 217,040 B of shared memory with MNIST's
// 351 lit pixels at most, so one block per SM. H200: 132 SMs, ~1.98 GHz, 4 warp schedulers per
// SM, each issuing one warp instruction per cycle. MNIST batches of 10 (measured on the training
// set): 1,507 lit pixels in all, the longest image 217 on average (351 at most), 382 distinct
// lit pixels (450 at most), 3.95 examples per lit pixel.
//   * Phase A, latency: z_j of an example is ONE chain of fused multiply-adds over the image's
//     lit pixels in ascending order; bit-exactness with MlpKernel forces that order, so the chain
//     cannot be split. 217 FFMAs x 4 cycles = ~870 cycles, plus 30 chained FFMAs of the hidden
//     layer, two double-precision sigmoids (~250 cycles each) and backprop (~200): the longest
//     example takes ~1,700 cycles however many warps there are. Shared-memory latency (~30
//     cycles) is off this chain: the entry and weight loads run 4 pixels ahead (unroll 4).
//   * Phase A, issue slots: ~5 instructions per pixel (entry load, 64-bit address add, weight
//     load, FFMA) x 1,507 = 7,500, plus ~4,100 for the dense layer, the sigmoids and backprop,
//     plus ~3,000 for the loaders: ~14,600 warp instructions over 4 schedulers = ~3,700 cycles
//     (~4,200 on the busiest scheduler, which has 3 of the 10 example warps). Phase A is
//     issue-bound, about twice its latency floor.
//   * Phase B: 382 rows x (~15 per row + ~9 per example x 3.95) = ~19,300 warp instructions for
//     W2, ~1,400 for W3 and the biases: ~20,700 over 4 schedulers = ~5,200 cycles, spread evenly
//     over all 32 warps, which also hide the ~30-cycle latency of each dependent shared load.
//   * Barriers: two __syncthreads() per step cost tens of cycles once the last warp arrives;
//     their real cost is the imbalance they expose (the longest image of the batch).
//   * Memory: one pass over the batch's entries (~6 KB per step, from L2: the 55,000 training
//     images take 33 MB) is far from any bandwidth limit.
//   So a step is ~9,000-9,500 cycles = ~4.7 us, and the floor is the issue rate: ~35,300 warp
//   instructions / 4 schedulers = ~8,800 cycles. 150,000 steps (30 epochs) take ~0.7 s per run,
//   and 132 runs (one per SM) train at the same time. What would lower it is fewer instructions
//   per (row, example) in phase B, not more threads. With L2 > 0, phase B updates all 784 rows
//   of W2 every step (section 8: L2 moves every weight) and the loaders also sum 26,112 squares:
//   roughly twice the work. (Estimates from instruction counts; not measured on a GPU.)

#ifndef MLP_SHARED_MEMORY
// The kernels use one dynamic shared-memory array, carved up by KernelLayout's offsets.
#define MLP_SHARED_MEMORY(name) extern __shared__ __align__(16) unsigned char name[]
#endif

// ---------------------------------------------------------------- descriptor (KernelLayout.java)
// int32 slots; float values are stored as their IEEE bits.
enum : int {
    D_MAGIC = 0,            // MAGIC
    D_LAYERS = 1,           // L (1..8)
    D_BATCH = 2,            // examples per step (1..64)
    D_LOSS = 3,             // LOSS_XENT or LOSS_QUADRATIC
    D_LR = 4,               // learning rate, float bits
    D_L2 = 5,               // L2 coefficient, float bits (0 = off)
    D_PIXEL_SCALE = 6,      // float bits of (float)(1.0/255.0): pixel value = byte * scale
    D_DELTA_SCALE = 7,      // float bits: 1f/(batch*outputs) (cross-entropy) or 1f/batch (quadratic)
    D_TRAIN_THREADS = 8,    // blockDim.x of mlp_train
    D_EXAMPLE_WARPS = 9,    // E
    D_PARAMS_SHARED = 10,   // 1: parameters in shared memory during mlp_train
    D_PARAM_STRIDE = 11,    // floats per run in the params array
    D_INPUTS = 12,          // pixels per image (nIn of layer 0)
    D_MAX_NONZEROS = 13,    // most non-zero pixels of any image
    D_TRAIN_SMEM = 14,      // dynamic shared bytes of mlp_train
    D_EVAL_THREADS = 15,    // blockDim.x of mlp_count_correct
    D_EVAL_SMEM = 16,       // dynamic shared bytes of mlp_count_correct
    D_EVAL_SCRATCH = 17,    // floats of activations per warp in mlp_count_correct (2 x max stride)
    D_SCRATCH_FLOATS = 18,  // floats of backprop scratch per example warp
    D_OUTPUTS = 19,         // units of the last layer
    D_ENTRY_BYTES = 34,     // 8: shared entries are int2 {row byte offset, value bits}; 4: int (row byte offset << 8 | byte)
    // byte offsets into the dynamic shared memory of mlp_train
    S_PARAMS = 20,          // float [paramStride]                   (when D_PARAMS_SHARED)
    S_ENTRIES = 21,         // [2][batch * maxNonZeros] entries of D_ENTRY_BYTES (row byte offset = 4 * pixel * stride)
    S_PIXELS = 22,          // uint8 [2][batch][inputs]              pixel bytes, 0 = not lit
    S_MASKS = 23,           // uint64 [2][inputs]                    bit e: example e lights the pixel
    S_TOUCHED = 24,         // int [2][inputs]                       lit pixels, ascending
    S_EXAMPLES = 25,        // int4 [2][batch]                       {first entry, count, global offset, label}
    S_COUNTS = 26,          // int [4]                               touched count [2], entry total [2]
    S_LOSS_IN = 27,         // float [2][batch][stride of last]      logits (xent) or activations (quadratic)
    S_LOSS_LABELS = 28,     // int [2][batch]
    S_LOSS_TERMS = 29,      // double [32]
    S_L2_PARTS = 30,        // double [2][L2_PARTS]
    S_SCRATCH = 31,         // float [E][D_SCRATCH_FLOATS]
    S_SCALE_TABLE = 32,     // float [256]: byte * scale (both kernels)
    S_EVAL_SCRATCH = 33,    // mlp_count_correct: float [warps][D_EVAL_SCRATCH]
    D_LAYER_TABLE = 40,     // LAYER_FIELDS ints per layer:
    F_NIN = 0, F_NOUT = 1, F_STRIDE = 2,
    F_UPDATE_WIDTH = 3,     // columns MlpKernel updates: nOut rounded up to 8 (its SIMD padding)
    F_ACTIVATION = 4,       // ACT_*
    F_W = 5, F_B = 6,       // float offsets of W and b in a run's parameters
    F_ACTS = 7,             // shared byte offset of float [batch][stride] activations (-1: last layer)
    F_DELTAS = 8,           // shared byte offset of float [batch][stride] deltas
    LAYER_FIELDS = 10,
    MAX_LAYERS = 8,
    D_LENGTH = D_LAYER_TABLE + MAX_LAYERS * LAYER_FIELDS,   // 120
    MAGIC = 0x4d4c5031,     // "MLP1"
    LOSS_XENT = 0, LOSS_QUADRATIC = 1,
    ACT_SIGMOID = 0, ACT_TANH = 1, ACT_RELU = 2,
    L2_PARTS = 8,           // the L2 sum's fixed partition (independent of the block size)
    SCRATCH_PITCH = 33,     // backprop transpose: 33 floats per row, conflict-free both ways
    LOADER_BARRIER = 1      // named barrier of the loader warps (0 is __syncthreads)
};

#define FULL_MASK 0xffffffffu

// ---------------------------------------------------------------- Java's float semantics

// Math.max(z, 0f): NaN stays NaN, -0 becomes +0. (fmaxf would turn NaN into 0.)
__device__ __forceinline__ float java_max0(float z) {
    return z != z ? z : (z > 0.0f ? z : 0.0f);
}

// MlpKernel.activate. Sigmoid and tanh in double, rounded once to float, as Java computes them.
__device__ __forceinline__ float activate(int act, float z) {
    if (act == ACT_SIGMOID) {
        return (float) __ddiv_rn(1.0, __dadd_rn(1.0, exp(-(double) z)));
    }
    if (act == ACT_TANH) {
        return (float) tanh((double) z);
    }
    return java_max0(z);
}

// MlpKernel.derivative, from the activation: relu's z > 0 is a > 0 since a = max(z, 0).
__device__ __forceinline__ float derivative(int act, float a) {
    if (act == ACT_SIGMOID) {
        return __fmul_rn(a, __fsub_rn(1.0f, a));
    }
    if (act == ACT_TANH) {
        return __fsub_rn(1.0f, __fmul_rn(a, a));
    }
    return a > 0.0f ? 1.0f : 0.0f;
}

// MlpKernel.applyDense / applyBias: w -= lr * g, or with L2 w -= lr * (g + l2 * w), unfused.
__device__ __forceinline__ float sgd(float w, float g, float lr, float l2) {
    if (l2 > 0.0f) {
        return __fsub_rn(w, __fmul_rn(lr, __fadd_rn(g, __fmul_rn(l2, w))));
    }
    return __fsub_rn(w, __fmul_rn(lr, g));
}

__device__ __forceinline__ float desc_float(const int* sd, int slot) {
    return __int_as_float(sd[slot]);
}

// Barrier among the loader warps only (named barrier 1; the example warps never wait on it). bar.sync
// is an aligned barrier: a warp must arrive converged, hence the __syncwarp after the divergent loops.
__device__ __forceinline__ void loader_barrier(int threads) {
    __syncwarp();
#ifdef MLP_CPU_EMULATION
    emu_named_barrier(LOADER_BARRIER, threads);
#else
    asm volatile("bar.sync %0, %1;" : : "r"((int) LOADER_BARRIER), "r"(threads) : "memory");
#endif
}

// ---------------------------------------------------------------- the training kernel

struct Train {
    const int* sd;                      // the descriptor, copied into shared memory
    unsigned char* smem;
    float* P;                           // this run's parameters (shared or global)
    const int* entries;                 // global: packed non-zero pixels of all images
    const int* offsets;
    const unsigned char* labels;
    int imageCount;
    const int* batches;                 // this run's [steps][batch]
    float* losses;                      // this run's [steps]
    int steps;
    int lane;

    __device__ const int* layer(int l) const { return sd + D_LAYER_TABLE + l * LAYER_FIELDS; }
    template <typename T> __device__ T* at(int slot) const { return (T*) (smem + sd[slot]); }
    template <typename T> __device__ T* layer_at(int l, int field) const {
        return (T*) (smem + layer(l)[field]);
    }

    // ---- phase A, example warps: forward, output delta, backprop of one example ----
    __device__ void example(int t, int e) const {
        const int L = sd[D_LAYERS];
        const int batch = sd[D_BATCH];
        const int buf = t & 1;
        const int4 ex = at<int4>(S_EXAMPLES)[buf * batch + e];
        const size_t first = (size_t) buf * batch * sd[D_MAX_NONZEROS] + ex.x;
        const bool wide = sd[D_ENTRY_BYTES] == 8;
        const int count = ex.y;
        const int label = ex.w;

        for (int l = 0; l < L; l++) {
            const int* ly = layer(l);
            const int nIn = ly[F_NIN];
            const int nOut = ly[F_NOUT];
            const int stride = ly[F_STRIDE];
            const int act = ly[F_ACTIVATION];
            const float* W = P + ly[F_W];
            const float* B = P + ly[F_B];
            const float* in = nullptr;
            if (l > 0) {
                in = layer_at<float>(l - 1, F_ACTS) + e * layer(l - 1)[F_STRIDE];
                __syncwarp();                   // the previous layer's activations, written by other lanes
            }
            for (int c = 0; c < stride; c += 32) {
                const int j = c + lane;
                float z = B[j];
                if (l == 0) {
                    // MlpKernel.accumulateSparseRow: z = fma(W[p][j], x, z) over the lit pixels, ascending.
                    // The entries hold the row's byte offset: one add per pixel for the address.
                    const char* w = (const char*) (W + j);
                    if (wide) {
                        const int2* ent = at<int2>(S_ENTRIES) + first;
#pragma unroll 4
                        for (int k = 0; k < count; k++) {
                            const int2 q = ent[k];
                            z = fmaf(*(const float*) (w + (unsigned) q.x), __int_as_float(q.y), z);
                        }
                    } else {
                        // compact entries (KernelLayout's choice when shared memory is short): x from the table
                        const int* ent = at<int>(S_ENTRIES) + first;
                        const float* table = at<float>(S_SCALE_TABLE);
#pragma unroll 4
                        for (int k = 0; k < count; k++) {
                            const unsigned q = (unsigned) ent[k];
                            z = fmaf(*(const float*) (w + (q >> 8)), table[q & 0xffu], z);
                        }
                    }
                } else {
                    // MlpKernel.forwardDense: z = fma(W[i][j], a[i], z), i ascending
                    const float* w = W + j;
#pragma unroll 4
                    for (int i = 0; i < nIn; i++) {
                        z = fmaf(w[i * stride], in[i], z);
                    }
                }
                const float a = activate(act, z);
                if (l < L - 1) {
                    layer_at<float>(l, F_ACTS)[e * stride + j] = j < nOut ? a : 0.0f;
                } else {
                    output_delta(t, e, j, z, a, label, ly);
                }
            }
        }
        if (lane == 0) {
            at<int>(S_LOSS_LABELS)[buf * batch + e] = label;
        }
        for (int l = L - 1; l >= 1; l--) {
            backprop(e, l);
        }
    }

    // MlpKernel.outputDelta (the delta; the loss itself is computed a step later, by a loader warp)
    __device__ void output_delta(int t, int e, int j, float z, float a, int label, const int* ly) const {
        const int batch = sd[D_BATCH];
        const int nOut = ly[F_NOUT];
        const int stride = ly[F_STRIDE];
        const float scale = desc_float(sd, D_DELTA_SCALE);
        const bool xent = sd[D_LOSS] == LOSS_XENT;
        float d = 0.0f;                                  // padding columns: delta 0, as in MlpKernel
        if (j < nOut) {
            const float y = j == label ? 1.0f : 0.0f;
            const float diff = __fsub_rn(a, y);
            // xent: (a - y) * scale; quadratic: (a - y) * act'(z) * scale
            d = xent ? __fmul_rn(diff, scale)
                     : __fmul_rn(__fmul_rn(diff, derivative(ly[F_ACTIVATION], a)), scale);
            at<float>(S_LOSS_IN)[((t & 1) * batch + e) * stride + j] = xent ? z : a;
        }
        ((float*) (smem + ly[F_DELTAS]))[e * stride + j] = d;
    }

    // MlpKernel.backpropDelta for one example: delta[l-1][i] = (sum_j delta[l][j] * W[i][j]) * act'(a[l-1][i]),
    // the sum unfused and in ascending j. Lane i needs row i of W, which is strided across lanes (every
    // lane would hit the same bank), so the products are formed row by row (lane = j, a contiguous row)
    // and transposed through a 33-float-pitch scratch, which is conflict-free both ways.
    __device__ void backprop(int e, int l) const {
        const int* ly = layer(l);
        const int* prev = layer(l - 1);
        const int nIn = ly[F_NIN];
        const int nOut = ly[F_NOUT];
        const int stride = ly[F_STRIDE];
        const int strideIn = prev[F_STRIDE];
        const int actIn = prev[F_ACTIVATION];
        const float* W = P + ly[F_W];
        const float* d = layer_at<float>(l, F_DELTAS) + e * stride;
        const float* aIn = layer_at<float>(l - 1, F_ACTS) + e * strideIn;
        float* dIn = layer_at<float>(l - 1, F_DELTAS) + e * strideIn;
        const int warp = threadIdx.x >> 5;
        float* scratch = at<float>(S_SCRATCH) + warp * sd[D_SCRATCH_FLOATS];

        __syncwarp();                                    // delta[l] of this example, written by other lanes
        for (int ic = 0; ic < strideIn; ic += 32) {
            const int rows = min(32, nIn - ic);
            float acc = 0.0f;
            for (int jc = 0; jc < nOut; jc += 32) {
                const int cols = min(32, nOut - jc);
                if (lane < cols) {
                    const float dj = d[jc + lane];
                    const float* w = W + ic * stride + jc + lane;
                    for (int r = 0; r < rows; r++) {
                        scratch[lane * SCRATCH_PITCH + r] = __fmul_rn(dj, w[r * stride]);
                    }
                }
                __syncwarp();
                if (lane < rows) {
                    for (int q = 0; q < cols; q++) {
                        acc = __fadd_rn(acc, scratch[q * SCRATCH_PITCH + lane]);
                    }
                }
                __syncwarp();                            // the scratch is reused
            }
            const int i = ic + lane;
            dIn[i] = lane < rows ? __fmul_rn(acc, derivative(actIn, aIn[i])) : 0.0f;
        }
    }

    // ---- phase A, loader warps ----

    // Prepares step t+1 (if any) in buffer (t+1)&1, computes the L2 partial sums of step t's weights
    // and the loss of step t-1. t = -1: the prologue (step 0 only).
    __device__ void loader(int t, int lw, int loaders) const {
        const int threads = loaders * 32;
        const int ltid = lw * 32 + lane;
        const int next = t + 1;
        const int nb = next & 1;
        const bool load = next < steps;
        const float l2 = desc_float(sd, D_L2);

        if (load) {
            clear(nb, ltid, threads);
            if (lw == 0) {
                describe(next, nb);
            }
        }
        if (t >= 0 && l2 > 0.0f) {
            l2_partials(t & 1, lw, loaders);
        }
        loader_barrier(threads);
        if (load) {
            copy_entries(nb, ltid, threads);
        }
        loader_barrier(threads);
        if (load && lw == 0) {
            compact(nb);
        }
        if (t >= 1 && lw == loaders - 1) {
            loss(t - 1);
        }
    }

    // Undo what the batch two steps ago left in buffer nb: its masks and pixel bytes (the rest is overwritten).
    __device__ void clear(int nb, int ltid, int threads) const {
        const int inputs = sd[D_INPUTS];
        const int batch = sd[D_BATCH];
        const int n = at<int>(S_COUNTS)[nb];
        const int* touched = at<int>(S_TOUCHED) + nb * inputs;
        unsigned long long* masks = at<unsigned long long>(S_MASKS) + nb * inputs;
        unsigned char* pixels = at<unsigned char>(S_PIXELS) + (size_t) nb * batch * inputs;
        for (int r = ltid; r < n; r += threads) {
            const int p = touched[r];
            unsigned long long m = masks[p];
            masks[p] = 0ull;
            while (m != 0ull) {
                const int e = __ffsll((long long) m) - 1;
                m &= m - 1ull;
                pixels[e * inputs + p] = 0;
            }
        }
    }

    // One warp: the examples of step s (image, entry count, label) and where their entries go.
    __device__ void describe(int s, int nb) const {
        const int batch = sd[D_BATCH];
        int4* ex = at<int4>(S_EXAMPLES) + nb * batch;
        for (int e = lane; e < batch; e += 32) {
            const int n = batches[s * batch + e];
            if (n < 0 || n >= imageCount) {
                __trap();                                // a batch index outside the images
            }
            const int begin = offsets[n];
            const int count = offsets[n + 1] - begin;
            if (count < 0 || count > sd[D_MAX_NONZEROS]) {
                __trap();                                // more lit pixels than KernelLayout planned for
            }
            // labels are Java bytes (signed), as MlpKernel compares them
            ex[e] = make_int4(0, count, begin, (int) (signed char) labels[n]);
        }
        __syncwarp();
        if (lane == 0) {
            int first = 0;
            for (int e = 0; e < batch; e++) {
                ex[e].x = first;
                first += ex[e].y;
            }
            at<int>(S_COUNTS)[2 + nb] = first;
        }
    }

    // All loader threads: the batch's entries, flattened, 4 loads in flight per thread.
    __device__ void copy_entries(int nb, int ltid, int threads) const {
        const int batch = sd[D_BATCH];
        const int inputs = sd[D_INPUTS];
        const int stride0 = layer(0)[F_STRIDE];
        const int total = at<int>(S_COUNTS)[2 + nb];
        const int4* ex = at<int4>(S_EXAMPLES) + nb * batch;
        const size_t first = (size_t) nb * batch * sd[D_MAX_NONZEROS];
        const bool wide = sd[D_ENTRY_BYTES] == 8;
        unsigned long long* masks = at<unsigned long long>(S_MASKS) + nb * inputs;
        unsigned char* pixels = at<unsigned char>(S_PIXELS) + (size_t) nb * batch * inputs;
        const float* table = at<float>(S_SCALE_TABLE);
        constexpr int U = 4;
        int e = 0;
        int4 cur = ex[0];
        for (int f0 = ltid; f0 < total; f0 += U * threads) {
            int raw[U];
            int owner[U];
#pragma unroll
            for (int u = 0; u < U; u++) {
                const int f = f0 + u * threads;
                owner[u] = -1;
                raw[u] = 0;
                if (f < total) {
                    while (f >= cur.x + cur.y) {
                        cur = ex[++e];
                    }
                    owner[u] = e;
                    raw[u] = __ldg(entries + cur.z + (f - cur.x));
                }
            }
#pragma unroll
            for (int u = 0; u < U; u++) {
                if (owner[u] >= 0) {
                    const int p = raw[u] >> 8;
                    const int byte = raw[u] & 0xff;
                    if (p >= inputs) {
                        __trap();                        // a pixel index outside the image
                    }
                    const int f = f0 + u * threads;
                    const int rowBytes = p * stride0 * 4;
                    if (wide) {
                        at<int2>(S_ENTRIES)[first + f] = make_int2(rowBytes, __float_as_int(table[byte]));
                    } else {
                        at<int>(S_ENTRIES)[first + f] = rowBytes << 8 | byte;
                    }
                    pixels[owner[u] * inputs + p] = (unsigned char) byte;
                    atomicOr(masks + p, 1ull << owner[u]);
                }
            }
        }
    }

    // One warp: the lit pixels, ascending (the rows phase B updates).
    __device__ void compact(int nb) const {
        const int inputs = sd[D_INPUTS];
        const unsigned long long* masks = at<unsigned long long>(S_MASKS) + nb * inputs;
        int* touched = at<int>(S_TOUCHED) + nb * inputs;
        int n = 0;
        for (int p0 = 0; p0 < inputs; p0 += 32) {
            const int p = p0 + lane;
            const bool lit = p < inputs && masks[p] != 0ull;
            const unsigned ballot = __ballot_sync(FULL_MASK, lit);
            if (lit) {
                touched[n + __popc(ballot & ((1u << lane) - 1u))] = p;
            }
            n += __popc(ballot);
        }
        if (lane == 0) {
            at<int>(S_COUNTS)[nb] = n;
        }
    }

    // sum W^2 of every layer (MlpKernel.sumOfSquaredWeights) in L2_PARTS partial sums: the weights'
    // 32-column row pieces are numbered u = 0, 1, ... layer by layer; part k sums the pieces u = k mod
    // L2_PARTS in increasing u, each lane its column, then the 32 lanes by a butterfly. The order
    // depends on neither the block size nor where the parameters live; it is not Java's sequential
    // order, so the L2 loss may differ from MlpKernel's in its last bit (the updates never use it).
    __device__ void l2_partials(int b, int lw, int loaders) const {
        const int L = sd[D_LAYERS];
        double* parts = at<double>(S_L2_PARTS) + b * L2_PARTS;
        for (int k = lw; k < L2_PARTS; k += loaders) {
            double s = 0.0;
            int first = 0;                               // number of the layer's first piece
            for (int l = 0; l < L; l++) {
                const int* ly = layer(l);
                const int stride = ly[F_STRIDE];
                const int chunks = stride >> 5;
                const int pieces = ly[F_NIN] * chunks;
                const float* W = P + ly[F_W];
                for (int v = ((k - first) % L2_PARTS + L2_PARTS) % L2_PARTS; v < pieces; v += L2_PARTS) {
                    const int row = v / chunks;
                    const double w = (double) W[row * stride + (v - row * chunks) * 32 + lane];
                    s = __dadd_rn(s, __dmul_rn(w, w));    // exact product, one rounding: Java's sum += (double) v * v
                }
                first += pieces;
            }
            for (int m = 16; m >= 1; m >>= 1) {
                s = __dadd_rn(s, __shfl_xor_sync(FULL_MASK, s, m));   // both partners get the same sum
            }
            if (lane == 0) {
                parts[k] = s;
            }
        }
    }

    // One warp: the loss of step s (MlpKernel.step's return value), written to losses[s].
    __device__ void loss(int s) const {
        const int batch = sd[D_BATCH];
        const int L = sd[D_LAYERS];
        const int outs = sd[D_OUTPUTS];
        const int stride = layer(L - 1)[F_STRIDE];
        const int b = s & 1;
        const bool xent = sd[D_LOSS] == LOSS_XENT;
        const float* v = at<float>(S_LOSS_IN) + (size_t) b * batch * stride;
        const int* lab = at<int>(S_LOSS_LABELS) + b * batch;
        double* terms = at<double>(S_LOSS_TERMS);
        const int n = batch * outs;
        double sum = 0.0;
        for (int q0 = 0; q0 < n; q0 += 32) {
            const int q = q0 + lane;
            double term = 0.0;
            if (q < n) {
                const int e = q / outs;
                const int j = q - e * outs;
                const float z = v[e * stride + j];
                const float y = j == lab[e] ? 1.0f : 0.0f;
                if (xent) {
                    // Math.max(z, 0f) - z * y is float; + Math.log1p(Math.exp(-Math.abs(z))) is double
                    const float f = __fsub_rn(java_max0(z), __fmul_rn(z, y));
                    term = __dadd_rn((double) f, log1p(exp(-(double) fabsf(z))));
                } else {
                    // 0.5 * diff * diff, left to right in double
                    const float diff = __fsub_rn(z, y);
                    term = __dmul_rn(__dmul_rn(0.5, (double) diff), (double) diff);
                }
            }
            // the terms in parallel, their sum in MlpKernel's order: e-major, then j
            terms[lane] = term;
            __syncwarp();
            if (lane == 0) {
                const int m = min(32, n - q0);
                for (int r = 0; r < m; r++) {
                    sum = __dadd_rn(sum, terms[r]);
                }
            }
            __syncwarp();
        }
        if (lane == 0) {
            float result = (float) __ddiv_rn(sum, (double) (xent ? n : batch));
            const float l2 = desc_float(sd, D_L2);
            if (l2 > 0.0f) {
                const double* parts = at<double>(S_L2_PARTS) + b * L2_PARTS;
                double squares = 0.0;
                for (int k = 0; k < L2_PARTS; k++) {
                    squares = __dadd_rn(squares, parts[k]);
                }
                // (float) (batchLoss + 0.5 * l2 * sumOfSquaredWeights())
                result = (float) __dadd_rn((double) result, __dmul_rn(__dmul_rn(0.5, (double) l2), squares));
            }
            losses[s] = result;
        }
    }

    // ---- phase B, all warps: gradients fused with the updates ----
    __device__ void update(int t, int warp, int warps) const {
        const int L = sd[D_LAYERS];
        const int batch = sd[D_BATCH];
        const int inputs = sd[D_INPUTS];
        const float lr = desc_float(sd, D_LR);
        const float l2 = desc_float(sd, D_L2);
        const int buf = t & 1;
        int base = 0;                                    // work items are dealt round-robin across warps

        // dense layers (MlpKernel.denseGradients + applyDense): g = fma(d[e][j], a[e][i], g), e ascending from 0
        for (int l = 1; l < L; l++) {
            const int* ly = layer(l);
            const int stride = ly[F_STRIDE];
            const int strideIn = layer(l - 1)[F_STRIDE];
            const int chunks = stride >> 5;
            const int n = ly[F_NIN] * chunks;
            const int width = ly[F_UPDATE_WIDTH];
            const float* d = layer_at<float>(l, F_DELTAS);
            const float* aIn = layer_at<float>(l - 1, F_ACTS);
            float* W = P + ly[F_W];
            for (int it = first_item(base, warp, warps); it < n; it += warps) {
                const int row = it / chunks;
                const int j = (it - row * chunks) * 32 + lane;
                if (j < width) {
                    float g = 0.0f;
                    for (int e = 0; e < batch; e++) {
                        g = fmaf(d[e * stride + j], aIn[e * strideIn + row], g);
                    }
                    float* w = W + row * stride + j;
                    *w = sgd(*w, g, lr, l2);
                }
            }
            base += n;
        }
        // biases of every layer (MlpKernel: gb = d + gb, e ascending; applyBias: b -= lr * gb, no L2)
        for (int l = 0; l < L; l++) {
            const int* ly = layer(l);
            const int stride = ly[F_STRIDE];
            const int n = stride >> 5;
            const float* d = layer_at<float>(l, F_DELTAS);
            float* B = P + ly[F_B];
            for (int it = first_item(base, warp, warps); it < n; it += warps) {
                const int j = it * 32 + lane;
                if (j < ly[F_UPDATE_WIDTH]) {
                    float gb = 0.0f;
                    for (int e = 0; e < batch; e++) {
                        gb = __fadd_rn(d[e * stride + j], gb);
                    }
                    B[j] = __fsub_rn(B[j], __fmul_rn(lr, gb));
                }
            }
            base += n;
        }
        // layer 0 (MlpKernel.inputGradients + applyInput): per lit row, the examples in increasing order;
        // the first example's term is a plain product, the others are fused in. Without L2 only lit rows
        // move: w = fma(g, -lr, w). With L2 every row moves: w -= lr * (g + l2 * w), g = 0 for unlit rows.
        {
            const int* ly = layer(0);
            const int stride = ly[F_STRIDE];
            const int chunks = stride >> 5;
            const int width = ly[F_UPDATE_WIDTH];
            const bool decay = l2 > 0.0f;
            const int rows = decay ? inputs : at<int>(S_COUNTS)[buf];
            const int n = rows * chunks;
            const int* touched = at<int>(S_TOUCHED) + buf * inputs;
            const unsigned long long* masks = at<unsigned long long>(S_MASKS) + buf * inputs;
            const unsigned char* pixels = at<unsigned char>(S_PIXELS) + (size_t) buf * batch * inputs;
            const float* table = at<float>(S_SCALE_TABLE);
            const float* d = layer_at<float>(0, F_DELTAS);
            float* W = P + ly[F_W];
            for (int it = first_item(base, warp, warps); it < n; it += warps) {
                const int r = it / chunks;
                const int j = (it - r * chunks) * 32 + lane;
                const int p = decay ? r : touched[r];
                unsigned long long m = masks[p];
                if (j < width) {
                    float g = 0.0f;
                    bool fresh = true;
                    while (m != 0ull) {
                        const int e = __ffsll((long long) m) - 1;
                        m &= m - 1ull;
                        const float x = table[pixels[e * inputs + p]];
                        const float de = d[e * stride + j];
                        g = fresh ? __fmul_rn(de, x) : fmaf(de, x, g);
                        fresh = false;
                    }
                    float* w = W + p * stride + j;
                    // an unlit row's g is the literal 0f of MlpKernel (+0), as here
                    *w = decay ? sgd(*w, g, lr, l2) : fmaf(g, -lr, *w);
                }
            }
        }
    }

    __device__ static int first_item(int base, int warp, int warps) {
        return ((warp - base) % warps + warps) % warps;
    }
};

// Trains R runs (one block each, blockIdx.x = run) for `steps` SGD steps.
//   desc       int32[D_LENGTH]            KernelLayout.descriptor()
//   params     float[R][paramStride]      KernelLayout.packParameters; read at start, written at the end
//   entries    int32[]                    pixelIndex << 8 | pixelByte of every non-zero pixel (CSR)
//   offsets    int32[imageCount + 1]      image n: entries[offsets[n] .. offsets[n+1])
//   labels     uint8[imageCount]          the digit
//   imageCount int
//   batches    int32[R][steps][batch]     image indices of every step of every run
//   losses     float[R][steps]            out: each step's loss before its update (MlpKernel.step)
//   steps      int
// blockDim.x = D_TRAIN_THREADS, dynamic shared memory = D_TRAIN_SMEM bytes.
extern "C" __global__ void __launch_bounds__(1024, 1)
mlp_train(const int* __restrict__ desc, float* __restrict__ params, const int* __restrict__ entries,
          const int* __restrict__ offsets, const unsigned char* __restrict__ labels, int imageCount,
          const int* __restrict__ batches, float* __restrict__ losses, int steps) {
    MLP_SHARED_MEMORY(smem);
    int* sd = (int*) smem;
    const int tid = threadIdx.x;
    for (int i = tid; i < D_LENGTH; i += blockDim.x) {
        sd[i] = desc[i];
    }
    __syncthreads();
    if (sd[D_MAGIC] != MAGIC || sd[D_TRAIN_THREADS] != (int) blockDim.x) {
        __trap();                                        // a descriptor made for another block size
    }
    if (steps <= 0) {
        return;
    }
    const int run = blockIdx.x;
    const int warp = tid >> 5;
    const int warps = blockDim.x >> 5;
    const int batch = sd[D_BATCH];
    const int inputs = sd[D_INPUTS];
    const int paramStride = sd[D_PARAM_STRIDE];
    const bool inShared = sd[D_PARAMS_SHARED] != 0;
    float* global = params + (size_t) run * paramStride;

    Train k;
    k.sd = sd;
    k.smem = smem;
    k.P = inShared ? (float*) (smem + sd[S_PARAMS]) : global;
    k.entries = entries;
    k.offsets = offsets;
    k.labels = labels;
    k.imageCount = imageCount;
    k.batches = batches + (size_t) run * steps * batch;
    k.losses = losses + (size_t) run * steps;
    k.steps = steps;
    k.lane = tid & 31;

    // Prologue: parameters in, both buffers empty, the pixel scale table.
    if (inShared) {
        const float4* from = (const float4*) global;     // paramStride is a multiple of 32 floats
        float4* to = (float4*) k.P;
        for (int i = tid; i < paramStride / 4; i += blockDim.x) {
            to[i] = from[i];
        }
    }
    {
        unsigned long long* masks = k.at<unsigned long long>(S_MASKS);
        for (int i = tid; i < 2 * inputs; i += blockDim.x) {
            masks[i] = 0ull;
        }
        unsigned char* pixels = k.at<unsigned char>(S_PIXELS);
        for (int i = tid; i < 2 * batch * inputs; i += blockDim.x) {
            pixels[i] = 0;
        }
        if (tid < 4) {
            k.at<int>(S_COUNTS)[tid] = 0;
        }
        float* table = k.at<float>(S_SCALE_TABLE);
        const float scale = desc_float(sd, D_PIXEL_SCALE);
        for (int i = tid; i < 256; i += blockDim.x) {
            table[i] = __fmul_rn((float) i, scale);      // KernelImages.of: (byte & 0xFF) * scale
        }
    }
    __syncthreads();
    const int exampleWarps = sd[D_EXAMPLE_WARPS];
    const int loaders = warps - exampleWarps;
    if (warp >= exampleWarps) {
        k.loader(-1, warp - exampleWarps, loaders);      // step 0's batch into buffer 0
    }
    __syncthreads();

    for (int t = 0; t < steps; t++) {
        if (warp < exampleWarps) {
            for (int e = warp; e < batch; e += exampleWarps) {
                k.example(t, e);
            }
        } else {
            k.loader(t, warp - exampleWarps, loaders);
        }
        __syncthreads();
        k.update(t, warp, warps);
        __syncthreads();
    }

    // Epilogue: the last loss, the parameters out.
    if (warp == 0) {
        k.loss(steps - 1);
    }
    if (inShared) {
        const float4* from = (const float4*) k.P;
        float4* to = (float4*) global;
        for (int i = tid; i < paramStride / 4; i += blockDim.x) {
            to[i] = from[i];
        }
    }
}

// ---------------------------------------------------------------- the test count

// Counts, for R runs (blockIdx.y = run), the images whose argmax output equals the label, as
// MlpKernel.countCorrect: the same forward pass, argmax over the activations with strict > (the
// first index wins a tie, SPEC section 6). One warp per image, images spread over blocks and warps;
// parameters read from global memory.
//   desc    int32[D_LENGTH]        params  float[R][paramStride]
//   entries, offsets, labels       the images, as for mlp_train
//   count   int                    correct int32[R]  (out: atomically added to; zero it first)
// blockDim.x = D_EVAL_THREADS (256), dynamic shared memory = D_EVAL_SMEM bytes, any gridDim.x.
extern "C" __global__ void __launch_bounds__(256)
mlp_count_correct(const int* __restrict__ desc, const float* __restrict__ params,
                  const int* __restrict__ entries, const int* __restrict__ offsets,
                  const unsigned char* __restrict__ labels, int count, int* __restrict__ correct) {
    MLP_SHARED_MEMORY(smem);
    int* sd = (int*) smem;
    const int tid = threadIdx.x;
    for (int i = tid; i < D_LENGTH; i += blockDim.x) {
        sd[i] = desc[i];
    }
    __syncthreads();
    if (sd[D_MAGIC] != MAGIC || sd[D_EVAL_THREADS] != (int) blockDim.x) {
        __trap();                                        // the shared memory was sized for D_EVAL_THREADS
    }
    float* table = (float*) (smem + sd[S_SCALE_TABLE]);
    const float scale = desc_float(sd, D_PIXEL_SCALE);
    for (int i = tid; i < 256; i += blockDim.x) {
        table[i] = __fmul_rn((float) i, scale);
    }
    __syncthreads();

    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int warps = blockDim.x >> 5;
    const int L = sd[D_LAYERS];
    const int half = sd[D_EVAL_SCRATCH] / 2;
    const float* P = params + (size_t) blockIdx.y * sd[D_PARAM_STRIDE];
    float* scratch = (float*) (smem + sd[S_EVAL_SCRATCH]) + warp * sd[D_EVAL_SCRATCH];
    int local = 0;
    for (int n = blockIdx.x * warps + warp; n < count; n += gridDim.x * warps) {
        const int begin = offsets[n];
        const int end = offsets[n + 1];
        float* out = scratch;
        for (int l = 0; l < L; l++) {
            const int* ly = sd + D_LAYER_TABLE + l * LAYER_FIELDS;
            const int nIn = ly[F_NIN];
            const int stride = ly[F_STRIDE];
            const int act = ly[F_ACTIVATION];
            const float* W = P + ly[F_W];
            const float* B = P + ly[F_B];
            const float* in = out;
            out = scratch + (l & 1) * half;
            if (l > 0) {
                __syncwarp();
            }
            for (int c = 0; c < stride; c += 32) {
                const int j = c + lane;
                float z = B[j];
                const float* w = W + j;
                if (l == 0) {
#pragma unroll 4
                    for (int k = begin; k < end; k++) {
                        const int q = __ldg(entries + k);           // the same address in every lane: one load
                        z = fmaf(w[(q >> 8) * stride], table[q & 0xff], z);
                    }
                } else {
#pragma unroll 4
                    for (int i = 0; i < nIn; i++) {
                        z = fmaf(w[i * stride], in[i], z);
                    }
                }
                out[j] = activate(act, z);
            }
        }
        __syncwarp();
        if (lane == 0) {
            const int outs = sd[D_OUTPUTS];
            int best = 0;
            for (int j = 1; j < outs; j++) {
                if (out[j] > out[best]) {
                    best = j;
                }
            }
            if (best == (int) (signed char) labels[n]) {
                local++;
            }
        }
        __syncwarp();                                     // out is overwritten by the next image
    }
    if (lane == 0 && local > 0) {
        atomicAdd(correct + blockIdx.y, local);
    }
}
