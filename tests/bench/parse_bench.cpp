// Python parser benchmark: files and lines per second, single-threaded, over a tree
// of .py files (default: the CPython standard library), next to CPython's own parser
// (python3 -c "ast.parse ...") on the same files in the same run.
//
//   build/<dir>/tests/plugins/analysis/pyparse/parse_bench [--dir /usr/lib/python3.11]
//       [--repeat N] [--no-python]
//
// Prints one JSON object ("seconds" is wall time, "cpu_seconds" process CPU time, which
// is steadier on a shared machine). "first_parse_ms" is a cold parse in a fresh process (ATN
// deserialisation and empty caches); "student_file_ms" is the median warm parse of a
// 200-line program, the latency a long-running server sees.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "assay/pyparse/Model.h"
#include "assay/pyparse/Parser.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Resident set size of this process in MB (Linux /proc), or -1.
double residentMegabytes() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
    return -1;
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A 200-line program of the kind students write: classes, loops, comprehensions, f-strings.
std::string studentProgram() {
    std::string out = "import math\nfrom dataclasses import dataclass\n\n\n";
    int lines = 4;
    for (int i = 0; lines < 200; ++i) {
        const std::string n = std::to_string(i);
        out += "@dataclass\nclass Shape" + n +
               ":\n    width: float = 1.0\n    height: float = 2.0\n\n";
        out += "    def area(self) -> float:\n        return self.width * self.height\n\n";
        out += "    def describe(self, precision=2):\n";
        out += "        parts = [f'{k}={v:.{precision}f}' for k, v in vars(self).items() if v]\n";
        out += "        if not parts:\n            raise ValueError('empty shape')\n";
        out += "        for index, part in enumerate(parts):\n            if index % 2 == 0:\n";
        out += "                continue\n        return ', '.join(parts) + str(math.pi)\n\n\n";
        lines += 17;
    }
    return out;
}

// CPython's parser over the same files, in one python3 process; -1 if python3 is missing.
double pythonAstSeconds(const std::vector<fs::path>& files) {
    const fs::path list = fs::temp_directory_path() / "assay_parse_bench_files.txt";
    {
        std::ofstream out(list);
        for (const auto& f : files)
            out << f.string() << "\n";
    }
    const std::string command =
        "python3 -c \"import ast,sys,time\npaths=open(sys.argv[1]).read().split(chr(10))[:-1]\n"
        "srcs=[open(p,'rb').read() for p in paths]\nt=time.perf_counter()\nfor s in srcs:\n"
        "    try: ast.parse(s)\n    except Exception: pass\nprint(time.perf_counter()-t)\" " +
        list.string() + " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    char buffer[128] = {0};
    const bool got = fgets(buffer, sizeof buffer, pipe) != nullptr;
    const int status = pclose(pipe);
    fs::remove(list);
    if (!got || status != 0) return -1;
    return std::atof(buffer);
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = "/usr/lib/python3.11";
    int repeat = 1;
    bool python = true;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else if (arg == "--repeat" && i + 1 < argc)
            repeat = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--no-python")
            python = false;
        else {
            std::cerr << "usage: parse_bench [--dir DIR] [--repeat N] [--no-python]\n";
            return 2;
        }
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".py")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> sources;
    size_t bytes = 0;
    for (const auto& f : files) {
        sources.push_back(readFile(f));
        bytes += sources.back().size();
    }

    assay::pyparse::Parser parser;
    const std::string student = studentProgram();
    auto coldStart = Clock::now();
    parser.parse(student, "student.py");
    const double firstMs = secondsSince(coldStart) * 1000;

    size_t lines = 0, withErrors = 0;
    double best = 1e300;
    double bestCpu = 1e300;
    for (int r = 0; r < repeat; ++r) {
        lines = 0;
        withErrors = 0;
        const auto start = Clock::now();
        const std::clock_t cpuStart = std::clock();
        for (size_t i = 0; i < sources.size(); ++i) {
            const auto result = parser.parse(sources[i], files[i].string());
            lines += result->lineCount();
            withErrors += !result->ok();
        }
        best = std::min(best, secondsSince(start));
        bestCpu = std::min(bestCpu, static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC);
    }

    // Parsing plus the typed model (what every analyzer starts from), CPU time.
    const std::clock_t modelStart = std::clock();
    size_t functions = 0;
    for (size_t i = 0; i < sources.size(); ++i) {
        const auto result = parser.parse(sources[i], files[i].string());
        functions += assay::pyparse::buildModel(*result)->functions.size();
    }
    const double modelCpu = static_cast<double>(std::clock() - modelStart) / CLOCKS_PER_SEC;

    std::vector<double> studentMs;
    for (int i = 0; i < 51; ++i) {
        const auto start = Clock::now();
        parser.parse(student, "student.py");
        studentMs.push_back(secondsSince(start) * 1000);
    }
    std::sort(studentMs.begin(), studentMs.end());
    const double astSeconds = python ? pythonAstSeconds(files) : -1;

    std::printf(
        "{\"benchmark\":\"parse\",\"dir\":\"%s\",\"files\":%zu,\"lines\":%zu,\"bytes\":%zu,"
        "\"files_with_errors\":%zu,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"files_per_second\":%.1f,"
        "\"lines_per_second\":%.0f,"
        "\"first_parse_ms\":%.2f,\"student_file_lines\":200,\"student_file_ms\":%.3f,"
        "\"lines_per_cpu_second\":%.0f,\"dfa_states\":%zu,\"parse_and_model_cpu_seconds\":%.3f,"
        "\"model_functions\":%zu,\"peak_rss_mb\":%.1f,"
        "\"cpython_ast_seconds\":%.3f}\n",
        dir.c_str(), files.size(), lines, bytes, withErrors, best, bestCpu, files.size() / best,
        lines / best, firstMs, studentMs[studentMs.size() / 2], lines / bestCpu,
        assay::pyparse::Parser::cachedDfaStates(), modelCpu, functions, residentMegabytes(),
        astSeconds);
    return 0;
}
