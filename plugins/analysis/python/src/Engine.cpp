#include "Engine.h"

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "Sarif.h"

namespace assay::analysis {
namespace {

bool isPython(const std::string& path) {
    return path.size() >= 3 && path.compare(path.size() - 3, 3, ".py") == 0;
}

// Everything the analyzer threads share; kept alive by whoever finishes last.
struct Job {
    std::vector<std::unique_ptr<pyparse::ParseResult>> parses;
    std::vector<std::unique_ptr<pyparse::Module>> models;
    std::vector<SourceFile> files;
    Options options;
    std::mutex mutex;
    std::condition_variable done;
    std::vector<std::optional<std::vector<Finding>>> results;  // per selected analyzer
    size_t remaining = 0;
};

Finding syntaxFinding(const std::string& path, const pyparse::SyntaxError& e) {
    return {"python/syntax-error",
            "error",
            e.kind + ": " + e.message +
                ". Python cannot run this file until the line is fixed; the other checks skip it "
                "until then.",
            path,
            std::max(1, e.line),
            std::max(1, e.column)};
}

}  // namespace

Engine::Engine(pyparse::ParserOptions parserOptions) : parser_(parserOptions) {
    parser_.warmUp();
}

Engine::~Engine() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return running_ == 0; });
}

EngineResult Engine::analyze(const std::vector<InputFile>& input, const std::string& optionsJson,
                             int64_t budgetMs, bool parallel) {
    const auto start = std::chrono::steady_clock::now();
    auto job = std::make_shared<Job>();
    job->options = parseOptions(optionsJson);
    std::vector<Finding> findings;
    for (const auto& in : input) {
        if (!isPython(in.path)) continue;
        auto parse = parser_.parse(in.content, in.path);
        if (!parse->ok()) {
            findings.push_back(syntaxFinding(in.path, parse->errors().front()));
            continue;
        }
        auto model = pyparse::buildModel(*parse);
        job->files.push_back(prepare(in.path, *parse, *model));
        job->parses.push_back(std::move(parse));
        job->models.push_back(std::move(model));
    }

    std::vector<const AnalyzerSpec*> selected;
    for (const auto& a : analyzers()) {
        if (job->options.analyzers.empty() || job->options.analyzers.count(a.name))
            selected.push_back(&a);
    }
    job->results.resize(selected.size());
    job->remaining = selected.size();

    if (!parallel) {
        for (size_t i = 0; i < selected.size(); ++i) {
            std::vector<Finding> out;
            selected[i]->run(job->files, job->options, out);
            job->results[i] = std::move(out);
        }
    } else {
        for (size_t i = 0; i < selected.size(); ++i) {
            {
                std::lock_guard lock(mutex_);
                ++running_;
            }
            std::thread([this, job, i, spec = selected[i]] {
                std::vector<Finding> out;
                bool ok = true;
                try {
                    spec->run(job->files, job->options, out);
                } catch (const std::exception&) {
                    ok = false;  // reported like an analyzer that missed the budget
                }
                {
                    std::lock_guard lock(job->mutex);
                    if (ok) job->results[i] = std::move(out);
                    --job->remaining;
                }
                job->done.notify_all();
                std::lock_guard lock(mutex_);
                if (--running_ == 0) idle_.notify_all();
            }).detach();
        }
        std::unique_lock lock(job->mutex);
        if (budgetMs > 0) {
            job->done.wait_until(lock, start + std::chrono::milliseconds(budgetMs),
                                 [&] { return job->remaining == 0; });
        } else {
            job->done.wait(lock, [&] { return job->remaining == 0; });
        }
    }

    EngineResult result;
    RunStatus status;
    {
        std::lock_guard lock(job->mutex);
        for (size_t i = 0; i < selected.size(); ++i) {
            if (job->results[i]) {
                status.finished.push_back(selected[i]->name);
                findings.insert(findings.end(), job->results[i]->begin(), job->results[i]->end());
            } else {
                status.unfinished.push_back(selected[i]->name);
            }
        }
    }
    result.complete = status.unfinished.empty();
    result.finished = status.finished;
    result.unfinished = status.unfinished;
    result.sarifRunJson = sarifRun(findings, status);
    return result;
}

}  // namespace assay::analysis
