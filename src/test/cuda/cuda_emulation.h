// cuda_emulation.h: just enough of CUDA for src/main/cuda/mlp.cu to compile and run on the CPU,
// unchanged, so that the tests can compare its results with MlpKernel's on a machine without a GPU.
//
// Model: one OS thread per CUDA thread; a block's threads run concurrently and meet at real
// barriers (__syncthreads, the named barriers of bar.sync, a per-warp barrier for __syncwarp),
// so a missing barrier shows up as a race (and under -fsanitize=thread as a report), not as luck.
// Warp collectives (__shfl*_sync, __ballot_sync) exchange through a per-warp slot array between
// two warp barriers, so they, like __syncwarp, must be reached by all 32 lanes (full mask only).
// Blocks run one after another. Dynamic shared memory is filled with 0xff bytes (NaN floats) at
// the start of every block, so a read of memory the kernel never wrote does not pass silently.
//
// Arithmetic: the __f*_rn / __d*_rn intrinsics are the plain IEEE operations; the host compiler
// must not contract a*b+c into an FMA or keep excess precision: compile with
// g++ -std=c++20 -O2 -pthread -ffp-contract=off (x86-64 uses SSE2 scalar math, never x87).
// fmaf is the C library's, a correctly rounded fused multiply-add. exp/log1p/tanh are glibc's,
// not CUDA's: see mlp.cu's header on what that means for exactness.
#pragma once

#define MLP_CPU_EMULATION 1

#include <array>
#include <barrier>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__i386__) && !defined(__SSE2_MATH__)
#error "x87 arithmetic keeps excess precision: build with -msse2 -mfpmath=sse"
#endif

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __align__(n) alignas(n)

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};
struct alignas(8) int2 {
    int x, y;
};
struct alignas(16) int4 {
    int x, y, z, w;
};
struct alignas(16) float4 {
    float x, y, z, w;
};
inline int2 make_int2(int x, int y) { return int2{x, y}; }
inline int4 make_int4(int x, int y, int z, int w) { return int4{x, y, z, w}; }

inline thread_local dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace emu {

struct Block {
    unsigned char* shared = nullptr;
    std::unique_ptr<std::barrier<>> all;
    std::vector<std::unique_ptr<std::barrier<>>> warps;
    std::vector<std::array<unsigned long long, 32>> exchange;
    std::mutex mutex;
    std::array<std::unique_ptr<std::barrier<>>, 16> named;
    std::array<int, 16> namedCount{};
};

inline thread_local Block* block = nullptr;

[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "cuda emulation: %s (thread %u of block %u,%u)\n", what, threadIdx.x, blockIdx.x, blockIdx.y);
    std::fflush(stderr);
    std::abort();
}

inline unsigned lane() { return threadIdx.x & 31u; }

inline void warp_barrier(unsigned mask) {
    if (mask != 0xffffffffu) {
        fail("only full-warp masks are emulated");
    }
    block->warps[threadIdx.x / 32]->arrive_and_wait();
}

// Runs `kernel` (a call of the kernel with its arguments) for every thread of every block.
inline void launch(dim3 grid, dim3 threads, size_t sharedBytes, const std::function<void()>& kernel) {
    if (threads.x % 32 != 0 || threads.y != 1 || threads.z != 1) {
        std::fprintf(stderr, "cuda emulation: blockDim must be (32k, 1, 1)\n");
        std::abort();
    }
    std::vector<unsigned char> memory(sharedBytes + 16);
    for (unsigned bz = 0; bz < grid.z; bz++) {
        for (unsigned by = 0; by < grid.y; by++) {
            for (unsigned bx = 0; bx < grid.x; bx++) {
                Block b;
                b.shared = memory.data() + (16 - reinterpret_cast<uintptr_t>(memory.data()) % 16) % 16;
                std::memset(b.shared, 0xff, sharedBytes);
                b.all = std::make_unique<std::barrier<>>(threads.x);
                for (unsigned w = 0; w < threads.x / 32; w++) {
                    b.warps.push_back(std::make_unique<std::barrier<>>(32));
                }
                b.exchange.resize(threads.x / 32);
                std::vector<std::thread> pool;
                pool.reserve(threads.x);
                for (unsigned t = 0; t < threads.x; t++) {
                    pool.emplace_back([&, t, bx, by, bz] {
                        threadIdx = dim3{t, 0, 0};
                        blockIdx = dim3{bx, by, bz};
                        blockDim = threads;
                        gridDim = grid;
                        block = &b;
                        kernel();
                    });
                }
                for (std::thread& t : pool) {
                    t.join();
                }
            }
        }
    }
}

}  // namespace emu

#define MLP_SHARED_MEMORY(name) unsigned char* name = emu::block->shared

inline void __syncthreads() { emu::block->all->arrive_and_wait(); }

inline void __syncwarp(unsigned mask = 0xffffffffu) { emu::warp_barrier(mask); }

// bar.sync id, threads: the first arrival fixes the count; every later use must agree.
inline void emu_named_barrier(int id, int threads) {
    emu::Block* b = emu::block;
    std::barrier<>* bar;
    {
        std::lock_guard<std::mutex> lock(b->mutex);
        if (id <= 0 || id >= 16 || threads <= 0 || threads % 32 != 0) {
            emu::fail("bad named barrier");
        }
        if (!b->named[id]) {
            b->named[id] = std::make_unique<std::barrier<>>(threads);
            b->namedCount[id] = threads;
        } else if (b->namedCount[id] != threads) {
            emu::fail("named barrier used with two thread counts");
        }
        bar = b->named[id].get();
    }
    bar->arrive_and_wait();
}

template <typename T>
inline T __shfl_sync(unsigned mask, T value, int source, int width = 32) {
    static_assert(sizeof(T) <= 8, "64 bits at most");
    if (width != 32) {
        emu::fail("only width 32 is emulated");
    }
    auto& slots = emu::block->exchange[threadIdx.x / 32];
    unsigned long long bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    slots[emu::lane()] = bits;
    emu::warp_barrier(mask);
    unsigned long long got = slots[source & 31];
    emu::warp_barrier(mask);
    T result;
    std::memcpy(&result, &got, sizeof(T));
    return result;
}

template <typename T>
inline T __shfl_xor_sync(unsigned mask, T value, int laneMask, int width = 32) {
    return __shfl_sync(mask, value, static_cast<int>(emu::lane()) ^ laneMask, width);
}

inline unsigned __ballot_sync(unsigned mask, int predicate) {
    auto& slots = emu::block->exchange[threadIdx.x / 32];
    slots[emu::lane()] = predicate != 0;
    emu::warp_barrier(mask);
    unsigned result = 0;
    for (unsigned i = 0; i < 32; i++) {
        result |= static_cast<unsigned>(slots[i] != 0) << i;
    }
    emu::warp_barrier(mask);
    return result;
}

inline unsigned long long atomicOr(unsigned long long* address, unsigned long long value) {
    return __atomic_fetch_or(address, value, __ATOMIC_SEQ_CST);
}
inline int atomicAdd(int* address, int value) {
    return __atomic_fetch_add(address, value, __ATOMIC_SEQ_CST);
}

inline int __ffsll(long long x) { return __builtin_ffsll(x); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }

inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }

inline float __int_as_float(int x) {
    float f;
    std::memcpy(&f, &x, sizeof f);
    return f;
}
inline int __float_as_int(float f) {
    int x;
    std::memcpy(&x, &f, sizeof x);
    return x;
}

template <typename T>
inline T __ldg(const T* p) { return *p; }

[[noreturn]] inline void __trap() { emu::fail("__trap()"); }
