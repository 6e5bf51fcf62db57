// Static analysis benchmark: files and lines per second, single-threaded, over a tree of
// .py files (default: the CPython standard library) for parsing alone and for parsing plus
// all five analyzers with SARIF output, next to `python3 -m pycodestyle` and `radon cc` on
// the same files in the same run; then the warm latency of a full analysis of a 200-line
// student program (analyzers in parallel, as the plugin runs them).
//
//   build/<dir>/tests/plugins/analysis/python/analysis_bench [--dir /usr/lib/python3.11]
//       [--no-python] [--student-runs N]
//
// Prints one JSON object; "seconds" are wall time, "cpu_seconds" process CPU time.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "Engine.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }
double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A 200-line assignment solution: an inventory with classes, validation, reports.
std::string studentProgram() {
    std::string out = "\"\"\"Inventory management.\"\"\"\nimport json\nfrom abc import ABC, abstractmethod\n\n\n";
    out += "class Item(ABC):\n    def __init__(self, name, price, qty=0):\n        self._name = name\n"
           "        self._price = price\n        self._qty = qty\n\n    @property\n    def name(self):\n"
           "        return self._name\n\n    @abstractmethod\n    def value(self):\n        ...\n\n\n";
    int lines = 21;
    for (int i = 0; lines < 190; ++i) {
        const std::string n = std::to_string(i);
        out += "class Product" + n + "(Item):\n    def value(self):\n        total = 0\n"
               "        for step in range(self._qty):\n            if step % 2 == 0 and self._price > 10:\n"
               "                total += self._price * 0.9\n            elif step % 3 == 0:\n"
               "                total += self._price\n            else:\n                total += self._price * 1.1\n"
               "        return round(total, 2)\n\n    def report(self, fmt='text'):\n"
               "        data = {'name': self.name, 'value': self.value()}\n        if fmt == 'json':\n"
               "            return json.dumps(data)\n        return f\"{data['name']}: {data['value']:.2f}\"\n\n\n";
        lines += 19;
    }
    out += "def main():\n    items = [Product0('a', 3, 4), Product1('b', 12, 2)]\n"
           "    for item in items:\n        print(item.report())\n\n\nif __name__ == '__main__':\n    main()\n";
    return out;
}

// Wall seconds of a shell command, or -1 when it could not run.
double timeCommand(const std::string& command) {
    const auto start = Clock::now();
    const int rc = std::system(command.c_str());
    if (rc == -1 || (WIFEXITED(rc) && WEXITSTATUS(rc) == 127)) return -1;
    return secondsSince(start);
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = "/usr/lib/python3.11";
    bool python = true;
    int studentRuns = 200;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else if (a == "--no-python") python = false;
        else if (a == "--student-runs" && i + 1 < argc) studentRuns = std::atoi(argv[++i]);
        else {
            std::cerr << "usage: analysis_bench [--dir DIR] [--no-python] [--student-runs N]\n";
            return 2;
        }
    }
    std::vector<fs::path> paths;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied);
         it != fs::recursive_directory_iterator(); ++it) {
        if (it->is_regular_file() && it->path().extension() == ".py") paths.push_back(it->path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<std::string> sources;
    size_t lines = 0;
    for (const auto& p : paths) {
        sources.push_back(readFile(p));
        lines += static_cast<size_t>(std::count(sources.back().begin(), sources.back().end(), '\n'));
    }

    assay::analysis::Engine engine;
    // Parsing alone.
    auto start = Clock::now();
    double cpu = cpuSeconds();
    size_t syntaxErrors = 0;
    for (size_t i = 0; i < paths.size(); ++i) syntaxErrors += !engine.parser().parse(sources[i], paths[i].string())->ok();
    const double parseSeconds = secondsSince(start);
    const double parseCpu = cpuSeconds() - cpu;

    // Parsing, model, all analyzers and SARIF, one file at a time on this thread.
    start = Clock::now();
    cpu = cpuSeconds();
    size_t sarifBytes = 0;
    for (size_t i = 0; i < paths.size(); ++i)
        sarifBytes += engine.analyze({{paths[i].string(), sources[i]}}, "{}", 0, false).sarifRunJson.size();
    const double analyzeSeconds = secondsSince(start);
    const double analyzeCpu = cpuSeconds() - cpu;

    // Warm server: the student program, analyzers in parallel.
    const std::string student = studentProgram();
    std::vector<double> ms;
    for (int i = 0; i < studentRuns + 5; ++i) {
        const auto s = Clock::now();
        auto r = engine.analyze({{"main.py", student}}, "{}", 0, true);
        if (i >= 5) ms.push_back(secondsSince(s) * 1000);
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms.empty() ? 0 : ms[ms.size() / 2];
    const double p95 = ms.empty() ? 0 : ms[std::min(ms.size() - 1, ms.size() * 95 / 100)];

    double pycodestyle = -1, radon = -1;
    if (python) {
        const std::string list = (fs::temp_directory_path() / "analysis_bench_files.txt").string();
        {
            std::ofstream out(list);
            for (const auto& p : paths) out << p.string() << "\n";
        }
        pycodestyle = timeCommand("xargs -a " + list + " /usr/bin/python3 -m pycodestyle >/dev/null 2>&1; true");
        radon = timeCommand("xargs -a " + list + " radon cc -s >/dev/null 2>&1; true");
        fs::remove(list);
    }
    const size_t studentLines = static_cast<size_t>(std::count(student.begin(), student.end(), '\n'));
    std::cout << "{\n  \"dir\": \"" << dir << "\",\n  \"files\": " << paths.size() << ",\n  \"lines\": " << lines
              << ",\n  \"syntax_errors\": " << syntaxErrors << ",\n  \"parse\": {\"seconds\": " << parseSeconds
              << ", \"cpu_seconds\": " << parseCpu << ", \"files_per_second\": " << paths.size() / parseSeconds
              << ", \"lines_per_second\": " << lines / parseSeconds << "},\n  \"all_analyzers\": {\"seconds\": "
              << analyzeSeconds << ", \"cpu_seconds\": " << analyzeCpu
              << ", \"files_per_second\": " << paths.size() / analyzeSeconds
              << ", \"lines_per_second\": " << lines / analyzeSeconds << ", \"sarif_bytes\": " << sarifBytes
              << "},\n  \"pycodestyle_seconds\": " << pycodestyle << ",\n  \"radon_cc_seconds\": " << radon
              << ",\n  \"student_file\": {\"lines\": " << studentLines << ", \"runs\": " << ms.size()
              << ", \"median_ms\": " << median << ", \"p95_ms\": " << p95
              << "},\n  \"cached_dfa_states\": " << assay::pyparse::Parser::cachedDfaStates() << "\n}\n";
    return 0;
}
