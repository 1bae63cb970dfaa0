// emulate.cpp: runs mlp.cu's kernels on the CPU (cuda_emulation.h) on buffers read from files.
//
//   emulate train DIR gridX blockX sharedBytes imageCount steps
//       reads  DIR/{desc,params,entries,offsets,labels,batches}.bin
//       writes DIR/params_out.bin (float[runs][paramStride]) and DIR/losses.bin (float[runs][steps])
//   emulate eval DIR gridX gridY blockX sharedBytes count
//       reads  DIR/{desc,params,entries,offsets,labels}.bin
//       writes DIR/correct.bin (int32[gridY])
//
// Files are raw little-endian arrays (int32, float32, uint8), as the device buffers would be.
// Build: g++ -std=c++20 -O2 -pthread -ffp-contract=off -x c++ src/test/cuda/emulate.cpp -o emulate
#include "cuda_emulation.h"
#include "../../main/cuda/mlp.cu"

#include <fstream>
#include <iterator>
#include <string>

namespace {

template <typename T>
std::vector<T> read(const std::string& dir, const char* name) {
    std::string path = dir + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "emulate: cannot read %s\n", path.c_str());
        std::exit(2);
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() % sizeof(T) != 0) {
        std::fprintf(stderr, "emulate: %s is not a whole number of elements\n", path.c_str());
        std::exit(2);
    }
    std::vector<T> values(bytes.size() / sizeof(T));
    if (!values.empty()) {
        std::memcpy(values.data(), bytes.data(), bytes.size());
    }
    return values;
}

template <typename T>
void write(const std::string& dir, const char* name, const std::vector<T>& values) {
    std::string path = dir + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
    if (!out) {
        std::fprintf(stderr, "emulate: cannot write %s\n", path.c_str());
        std::exit(2);
    }
}

int number(const char* text) {
    return std::stoi(text);
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "train" && argc == 8) {
        std::string dir = argv[2];
        unsigned gridX = number(argv[3]);
        unsigned blockX = number(argv[4]);
        size_t shared = number(argv[5]);
        int imageCount = number(argv[6]);
        int steps = number(argv[7]);
        std::vector<int> desc = read<int>(dir, "desc.bin");
        std::vector<float> params = read<float>(dir, "params.bin");
        std::vector<int> entries = read<int>(dir, "entries.bin");
        std::vector<int> offsets = read<int>(dir, "offsets.bin");
        std::vector<unsigned char> labels = read<unsigned char>(dir, "labels.bin");
        std::vector<int> batches = read<int>(dir, "batches.bin");
        std::vector<float> losses(static_cast<size_t>(gridX) * steps, -1.0f);
        emu::launch(dim3{gridX, 1, 1}, dim3{blockX, 1, 1}, shared, [&] {
            mlp_train(desc.data(), params.data(), entries.data(), offsets.data(), labels.data(), imageCount,
                      batches.data(), losses.data(), steps);
        });
        write(dir, "params_out.bin", params);
        write(dir, "losses.bin", losses);
        return 0;
    }
    if (mode == "eval" && argc == 8) {
        std::string dir = argv[2];
        unsigned gridX = number(argv[3]);
        unsigned gridY = number(argv[4]);
        unsigned blockX = number(argv[5]);
        size_t shared = number(argv[6]);
        int count = number(argv[7]);
        std::vector<int> desc = read<int>(dir, "desc.bin");
        std::vector<float> params = read<float>(dir, "params.bin");
        std::vector<int> entries = read<int>(dir, "entries.bin");
        std::vector<int> offsets = read<int>(dir, "offsets.bin");
        std::vector<unsigned char> labels = read<unsigned char>(dir, "labels.bin");
        std::vector<int> correct(gridY, 0);
        emu::launch(dim3{gridX, gridY, 1}, dim3{blockX, 1, 1}, shared, [&] {
            mlp_count_correct(desc.data(), params.data(), entries.data(), offsets.data(), labels.data(), count,
                              correct.data());
        });
        write(dir, "correct.bin", correct);
        return 0;
    }
    std::fprintf(stderr,
                 "usage: emulate train DIR gridX blockX sharedBytes imageCount steps\n"
                 "       emulate eval DIR gridX gridY blockX sharedBytes count\n");
    return 2;
}
