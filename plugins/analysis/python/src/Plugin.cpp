// assay.analyzer.python: parses each file once and runs the metrics, style, correctness,
// security and OOP-rubric analyzers in parallel, within the request's time budget.
#include <assay/plugin/sdk.h>

#include <memory>
#include <string>

#include "Engine.h"

namespace {

using namespace assay::plugin;

class PythonAnalyzer : public Plugin, public Analyzer {
  public:
    void start(HostServices& host) override {
        host_ = &host;
        assay::pyparse::ParserOptions opts;
        const std::string maxStates = host.config("max_cached_dfa_states");
        if (!maxStates.empty()) opts.maxCachedDfaStates = std::stoul(maxStates);
        engine_ = std::make_unique<assay::analysis::Engine>(opts);
    }
    void stop() override { engine_.reset(); }
    Analyzer* analyzer() override { return this; }

    AnalysisResult analyze(const AnalysisRequest& request) override {
        if (!engine_) engine_ = std::make_unique<assay::analysis::Engine>();
        std::vector<assay::analysis::InputFile> files;
        files.reserve(request.files.size());
        for (const auto& f : request.files)
            files.push_back({f.path, f.content});
        auto r = engine_->analyze(files, request.optionsJson.empty() ? "{}" : request.optionsJson,
                                  request.budgetMs);
        if (host_) {
            host_->count("analyses", 1);
            if (!r.complete) host_->count("analyses_incomplete", 1);
        }
        AnalysisResult out;
        out.sarifRunJson = std::move(r.sarifRunJson);
        out.complete = r.complete;
        return out;
    }

  private:
    HostServices* host_ = nullptr;
    std::unique_ptr<assay::analysis::Engine> engine_;
};

Plugin* create() {
    return new PythonAnalyzer;
}
void destroy(Plugin* p) {
    delete p;
}

const Descriptor* describe() {
    static const Descriptor d{
        ASSAY_PLUGIN_ABI_VERSION,
        sizeof(Descriptor),
        ASSAY_PLUGIN_NAME,
        ASSAY_PLUGIN_VERSION,
        kAnalyzer,
        R"([{"name":"max_cached_dfa_states","type":"integer","default":"200000",)"
        R"("help":"clear the parser's prediction cache above this many DFA states"}])",
        &create,
        &destroy};
    return &d;
}

}  // namespace

ASSAY_PLUGIN_EXPORT(describe)
