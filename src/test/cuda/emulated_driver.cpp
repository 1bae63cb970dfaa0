// emulated_driver.cpp: a libcuda.so.1 that runs mlp.cu's kernels on the CPU (cuda_emulation.h), so that
// the CUDA engine's host side (the JNA binding, buffers, launches, packing) runs end to end on a machine
// without a GPU. It implements exactly the driver calls CudaDriver.java binds; "device memory" is host
// memory, a module load checks that the PTX names both kernels, and cuLaunchKernel runs the kernel of the
// function handle with the arguments it is given, as the driver would.
//
// Build: g++ -std=c++20 -O2 -pthread -ffp-contract=off -shared -fPIC -x c++ emulated_driver.cpp -o libcuda.so.1
#include "cuda_emulation.h"
#include "../../main/cuda/mlp.cu"

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {

enum : int { OK = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_FOUND = 500, LAUNCH_OUT_OF_RESOURCES = 701 };
enum : int { ATTR_MULTIPROCESSORS = 16, ATTR_MAJOR = 75, ATTR_MINOR = 76, ATTR_SHARED_OPTIN = 97 };
constexpr int SHARED_OPTIN = 232448;   // an H200's
constexpr uintptr_t TRAIN = 1;
constexpr uintptr_t EVAL = 2;

std::mutex lock;
std::map<uintptr_t, int> maxDynamicShared;

template <typename T>
T arg(void** params, int i) {
    return *static_cast<T*>(params[i]);
}

}  // namespace

extern "C" {

int cuInit(unsigned) { return OK; }
int cuDriverGetVersion(int* v) { *v = 13000; return OK; }
int cuDeviceGetCount(int* n) { *n = 1; return OK; }
int cuDeviceGet(int* d, int ordinal) { *d = ordinal; return ordinal == 0 ? OK : INVALID_VALUE; }

int cuDeviceGetName(char* name, int length, int) {
    std::snprintf(name, length, "Emulated GPU (mlp.cu on CPU threads)");
    return OK;
}

int cuDeviceGetAttribute(int* v, int attribute, int) {
    switch (attribute) {
        case ATTR_MULTIPROCESSORS: *v = 1; return OK;
        case ATTR_MAJOR: *v = 9; return OK;
        case ATTR_MINOR: *v = 0; return OK;
        case ATTR_SHARED_OPTIN: *v = SHARED_OPTIN; return OK;
        default: return INVALID_VALUE;
    }
}

int cuDeviceTotalMem_v2(size_t* bytes, int) { *bytes = size_t(1) << 34; return OK; }
int cuDevicePrimaryCtxRetain(void** ctx, int) { *ctx = reinterpret_cast<void*>(0x1); return OK; }
int cuDevicePrimaryCtxRelease_v2(int) { return OK; }
int cuCtxSetCurrent(void*) { return OK; }
int cuCtxSynchronize() { return OK; }

int cuModuleLoadDataEx(void** module, const void* image, unsigned, int*, void**) {
    const char* ptx = static_cast<const char*>(image);
    if (!std::strstr(ptx, ".entry mlp_train") || !std::strstr(ptx, ".entry mlp_count_correct")) {
        return INVALID_VALUE;
    }
    *module = reinterpret_cast<void*>(0x2);
    return OK;
}

int cuModuleGetFunction(void** f, void*, const char* name) {
    std::string n = name;
    if (n == "mlp_train") { *f = reinterpret_cast<void*>(TRAIN); return OK; }
    if (n == "mlp_count_correct") { *f = reinterpret_cast<void*>(EVAL); return OK; }
    return NOT_FOUND;
}

int cuModuleUnload(void*) { return OK; }

int cuFuncSetAttribute(void* f, int attribute, int value) {
    if (attribute != 8 || value > SHARED_OPTIN) {
        return INVALID_VALUE;
    }
    std::lock_guard<std::mutex> g(lock);
    maxDynamicShared[reinterpret_cast<uintptr_t>(f)] = value;
    return OK;
}

int cuFuncGetAttribute(int* v, int, void*) { *v = 0; return OK; }

int cuMemAlloc_v2(unsigned long long* p, size_t bytes) {
    void* m = std::malloc(bytes);
    if (!m) {
        return OUT_OF_MEMORY;
    }
    std::memset(m, 0xab, bytes);      // device memory starts as garbage
    *p = reinterpret_cast<unsigned long long>(m);
    return OK;
}

int cuMemFree_v2(unsigned long long p) { std::free(reinterpret_cast<void*>(p)); return OK; }
int cuMemcpyHtoD_v2(unsigned long long dst, const void* src, size_t n) {
    std::memcpy(reinterpret_cast<void*>(dst), src, n);
    return OK;
}
int cuMemcpyDtoH_v2(void* dst, unsigned long long src, size_t n) {
    std::memcpy(dst, reinterpret_cast<void*>(src), n);
    return OK;
}
int cuMemsetD32_v2(unsigned long long dst, unsigned value, size_t count) {
    unsigned* p = reinterpret_cast<unsigned*>(dst);
    for (size_t i = 0; i < count; i++) {
        p[i] = value;
    }
    return OK;
}

int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   unsigned shared, void*, void** params, void** extra) {
    uintptr_t which = reinterpret_cast<uintptr_t>(f);
    {
        std::lock_guard<std::mutex> g(lock);
        int allowed = maxDynamicShared.count(which) ? maxDynamicShared[which] : 48 * 1024;
        if (static_cast<int>(shared) > allowed || extra != nullptr || by != 1 || bz != 1) {
            return LAUNCH_OUT_OF_RESOURCES;
        }
    }
    dim3 grid{gx, gy, gz};
    dim3 block{bx, by, bz};
    if (which == TRAIN) {
        auto desc = arg<const int*>(params, 0);
        auto p = arg<float*>(params, 1);
        auto entries = arg<const int*>(params, 2);
        auto offsets = arg<const int*>(params, 3);
        auto labels = arg<const unsigned char*>(params, 4);
        int imageCount = arg<int>(params, 5);
        auto batches = arg<const int*>(params, 6);
        auto losses = arg<float*>(params, 7);
        int steps = arg<int>(params, 8);
        emu::launch(grid, block, shared, [&] {
            mlp_train(desc, p, entries, offsets, labels, imageCount, batches, losses, steps);
        });
        return OK;
    }
    if (which == EVAL) {
        auto desc = arg<const int*>(params, 0);
        auto p = arg<const float*>(params, 1);
        auto entries = arg<const int*>(params, 2);
        auto offsets = arg<const int*>(params, 3);
        auto labels = arg<const unsigned char*>(params, 4);
        int count = arg<int>(params, 5);
        auto correct = arg<int*>(params, 6);
        emu::launch(grid, block, shared, [&] {
            mlp_count_correct(desc, p, entries, offsets, labels, count, correct);
        });
        return OK;
    }
    return INVALID_VALUE;
}

int cuGetErrorName(int error, const char** s) {
    *s = error == OK ? "CUDA_SUCCESS" : "CUDA_ERROR_EMULATED";
    return OK;
}

int cuGetErrorString(int error, const char** s) {
    *s = error == OK ? "no error" : "an error of the emulated driver";
    return OK;
}

}  // extern "C"
