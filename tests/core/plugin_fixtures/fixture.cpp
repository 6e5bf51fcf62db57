// Test fixture plugins, one source built in several ways:
//   default            a good plugin: analyzer + notifier + analytics sink
//   FIXTURE_WRONG_ABI  reports ABI 999 in its descriptor
//   FIXTURE_NO_ENTRY   exports no entry point
//   FIXTURE_THROWS     create() throws
#include <assay/plugin/sdk.h>

#include <sys/stat.h>
#include <fstream>
#include <stdexcept>
#include <string>

namespace {

using namespace assay::plugin;

class FixturePlugin : public Plugin, public Analyzer, public Notifier {
  public:
    void start(HostServices& host) override {
        host_ = &host;
        host.subscribe("assignment.published");
        host.subscribe("submission.");
        host.log(LogLevel::Info, "fixture " ASSAY_PLUGIN_VERSION " started");
    }
    Analyzer* analyzer() override { return this; }
    Notifier* notifier() override { return this; }

    AnalysisResult analyze(const AnalysisRequest& req) override {
        if (host_->config("fail") == "always")
            throw std::runtime_error("this analyzer always fails");
        host_->count("analyses");
        const std::string file = req.files.empty() ? "none" : req.files[0].path;
        AnalysisResult r;
        r.sarifRunJson =
            R"({"tool":{"driver":{"name":")" ASSAY_PLUGIN_NAME
            R"(","version":")" ASSAY_PLUGIN_VERSION
            R"("}},"results":[{"ruleId":"FIX001","level":"note","message":{"text":"seen by version )" ASSAY_PLUGIN_VERSION
            R"("},"locations":[{"physicalLocation":{"artifactLocation":{"uri":")" +
            file + R"("},"region":{"startLine":1}}}]}]})";
        return r;
    }

    // Delivers only when the gate file exists; otherwise fails so the host retries.
    void notify(const Event& ev) override {
        const std::string gate = host_->config("gate_file");
        struct stat st {};
        if (!gate.empty() && stat(gate.c_str(), &st) != 0) throw std::runtime_error("gate closed");
        const std::string log = host_->config("log_file");
        if (!log.empty()) {
            std::ofstream out(log, std::ios::app);
            out << ev.id << " " << ev.type << " " << ev.payloadJson << "\n";
        }
        auto n = host_->get("delivered");
        host_->put("delivered", std::to_string(n ? std::stoi(*n) + 1 : 1));
    }

  private:
    HostServices* host_ = nullptr;
};

Plugin* create() {
#ifdef FIXTURE_THROWS
    throw std::runtime_error("the fixture refuses to start");
#else
    return new FixturePlugin;
#endif
}

void destroy(Plugin* p) {
    delete p;
}

const Descriptor* descriptor() {
    static const Descriptor d{
#ifdef FIXTURE_WRONG_ABI
        999u,
#else
        ASSAY_PLUGIN_ABI_VERSION,
#endif
        sizeof(Descriptor),
        ASSAY_PLUGIN_NAME,
        ASSAY_PLUGIN_VERSION,
        kAnalyzer | kNotifier,
        R"([{"name":"log_file","type":"path","default":""},{"name":"gate_file","type":"path","default":""},
            {"name":"fail","type":"string","default":"never"}])",
        &create,
        &destroy};
    return &d;
}

}  // namespace

#ifndef FIXTURE_NO_ENTRY
ASSAY_PLUGIN_EXPORT(descriptor)
#else
extern "C" BOOST_SYMBOL_EXPORT int unrelated_symbol();
extern "C" int unrelated_symbol() {
    return descriptor() != nullptr;
}
#endif
