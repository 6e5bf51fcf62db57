// edu.example.linelength: an analyzer that flags Python lines longer than `max_length`
// characters (default 79), with feedback a student can act on.
#include <assay/plugin/sdk.h>

#include <sstream>
#include <string>

namespace {

using namespace assay::plugin;

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

class LineLength : public Plugin, public Analyzer {
  public:
    void start(HostServices& host) override {
        host_ = &host;
        const std::string v = host.config("max_length");
        maxLength_ = v.empty() ? 79 : std::stoul(v);
    }
    Analyzer* analyzer() override { return this; }

    AnalysisResult analyze(const AnalysisRequest& request) override {
        std::string results;
        for (const auto& file : request.files) {
            if (file.path.size() < 3 || file.path.compare(file.path.size() - 3, 3, ".py") != 0)
                continue;
            std::istringstream in(file.content);
            std::string line;
            for (int number = 1; std::getline(in, line); ++number) {
                if (line.size() <= maxLength_) continue;
                if (!results.empty()) results += ",";
                results += R"({"ruleId":"LL001","level":"warning","message":{"text":")" +
                           escape("Line " + std::to_string(number) + " has " +
                                  std::to_string(line.size()) + " characters; keep lines to " +
                                  std::to_string(maxLength_) +
                                  " so they read without scrolling. Break long expressions inside "
                                  "brackets.") +
                           R"("},"locations":[{"physicalLocation":{"artifactLocation":{"uri":")" +
                           escape(file.path) + R"("},"region":{"startLine":)" +
                           std::to_string(number) + R"(,"startColumn":)" +
                           std::to_string(maxLength_ + 1) + "}}}]}";
            }
        }
        host_->count("files_checked", static_cast<double>(request.files.size()));
        AnalysisResult r;
        r.sarifRunJson =
            R"({"tool":{"driver":{"name":"edu.example.linelength","version":"1.0.0",)"
            R"("rules":[{"id":"LL001","shortDescription":{"text":"Line too long"}}]}},"results":[)" +
            results + "]}";
        return r;
    }

  private:
    HostServices* host_ = nullptr;
    size_t maxLength_ = 79;
};

Plugin* create() {
    return new LineLength;
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
        R"([{"name":"max_length","type":"integer","default":"79","help":"longest line allowed"}])",
        &create,
        &destroy};
    return &d;
}

}  // namespace

ASSAY_PLUGIN_EXPORT(describe)
