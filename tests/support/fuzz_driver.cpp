// Stand-alone driver for LLVMFuzzerTestOneInput when the build is not using libFuzzer (g++).
// It replays every file of the corpus directories, then feeds mutated inputs (byte flips,
// insertions, deletions, splices of corpus files) for -max_total_time seconds.
// The fuzz preset (clang) links the same targets against libFuzzer instead, for coverage-
// guided runs by hand: cmake --preset fuzz && cmake --build --preset fuzz.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> loadCorpus(const std::vector<std::string>& dirs) {
    std::vector<std::string> corpus;
    for (const auto& d : dirs) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(d, ec)) {
            if (!entry.is_regular_file()) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            corpus.emplace_back(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
        }
    }
    return corpus;
}

std::string mutate(std::string s, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
    static const char* const kTokens[] = {"{",   "}",    "[",    "]",  "\"",    ":",
                                          ",",   "null", "true", "-1", "1e999", "\\u0000",
                                          "../", "\n",   "\0",   "%"};
    const int ops = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < ops; ++i) {
        const size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
        switch (rng() % 6) {
            case 0:
                if (!s.empty() && pos < s.size())
                    s[pos] = static_cast<char>(s[pos] ^ (1u << (rng() % 8)));
                break;
            case 1:
                s.insert(pos, 1, static_cast<char>(rng() % 256));
                break;
            case 2:
                if (!s.empty() && pos < s.size())
                    s.erase(pos, 1 + rng() % std::min<size_t>(8, s.size() - pos));
                break;
            case 3:
                s.insert(pos, kTokens[rng() % std::size(kTokens)]);
                break;
            case 4:
                if (!corpus.empty()) {
                    const auto& other = corpus[rng() % corpus.size()];
                    if (!other.empty()) {
                        size_t from = rng() % other.size();
                        s.insert(pos, other.substr(from, 1 + rng() % 64));
                    }
                }
                break;
            default:
                if (!s.empty() && pos < s.size()) s.insert(pos, s.substr(pos, 1 + rng() % 16));
                break;
        }
    }
    if (s.size() > 1 << 16) s.resize(1 << 16);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 5;
    uint64_t seed = std::random_device{}();
    std::vector<std::string> dirs;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("-max_total_time=", 0) == 0)
            seconds = std::atof(a.c_str() + 16);
        else if (a.rfind("-seed=", 0) == 0)
            seed = std::strtoull(a.c_str() + 6, nullptr, 10);
        else if (!a.empty() && a[0] != '-')
            dirs.push_back(a);
    }
    auto corpus = loadCorpus(dirs);
    std::cerr << "fuzz driver: " << corpus.size() << " corpus inputs, seed " << seed << ", "
              << seconds << " s\n";
    for (const auto& c : corpus)
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(c.data()), c.size());
    std::mt19937_64 rng(seed);
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    uint64_t runs = 0;
    std::string empty;
    while (std::chrono::steady_clock::now() < end) {
        const std::string& base = corpus.empty() ? empty : corpus[rng() % corpus.size()];
        std::string input = mutate(base, corpus, rng);
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
        ++runs;
    }
    std::cerr << "fuzz driver: " << runs << " mutated inputs, no crash\n";
    return 0;
}
