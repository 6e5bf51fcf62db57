// A grader fixture for admission-control tests: takes `delay_ms` per submission, appends the
// submission id to `log_file` when it starts, and passes every test. No sandbox involved.
#include <assay/plugin/sdk.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace {

using namespace assay::plugin;

class Sleepy : public Plugin, public Grader {
  public:
    void start(HostServices& host) override { host_ = &host; }
    Grader* grader() override { return this; }
    std::vector<std::string> testTypes() const override { return {"io", "unittest"}; }
    GradeResult grade(const GradeRequest& req) override {
        {
            std::ofstream log(host_->config("log_file"), std::ios::app);
            log << req.submissionId << "\n";
        }
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::stoi(host_->config("delay_ms"))));
        GradeResult r;
        for (const auto& t : req.tests)
            r.tests.push_back({t.name, "passed", 1.0, "ok", "{}"});
        return r;
    }

  private:
    HostServices* host_ = nullptr;
};

Plugin* create() {
    return new Sleepy;
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
        kGrader,
        R"([{"name":"delay_ms","default":"200"},{"name":"log_file","default":"/dev/null"}])",
        &create,
        &destroy};
    return &d;
}

}  // namespace

ASSAY_PLUGIN_EXPORT(describe)
