// Parses each file once and runs the analyzers in parallel within a time budget.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "Analysis.h"
#include "Options.h"
#include "assay/pyparse/Parser.h"

namespace assay::analysis {

struct InputFile {
    std::string path;
    std::string content;
};

struct EngineResult {
    std::string sarifRunJson;             // one SARIF 2.1.0 run
    bool complete = true;                 // false: some analyzers missed the budget
    std::vector<std::string> finished;    // analyzers whose results are included
    std::vector<std::string> unfinished;  // analyzers cut off by the budget
};

class Engine {
  public:
    explicit Engine(pyparse::ParserOptions parserOptions = {});
    ~Engine();  // waits for analyzers still running after a budget ran out
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Throws std::invalid_argument for malformed options. Non-.py files are ignored.
    // budgetMs <= 0: no budget. parallel=false runs the analyzers one after another on
    // this thread (benchmarks).
    EngineResult analyze(const std::vector<InputFile>& files, const std::string& optionsJson,
                         int64_t budgetMs, bool parallel = true);

    const pyparse::Parser& parser() const { return parser_; }

  private:
    pyparse::Parser parser_;
    std::mutex mutex_;
    std::condition_variable idle_;
    int running_ = 0;  // detached analyzer threads
};

}  // namespace assay::analysis
