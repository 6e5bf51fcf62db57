// assay.grader.unittest: the instructor's unittest (or pytest-style) files run against the
// student's module in the sandbox. Visible and hidden test files run in separate sandbox
// start-ups, so nothing a hidden test holds can leak into output a student sees. Each test
// file scores the share of its test methods that pass.
#include <assay/plugin/sdk.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "outcome.h"
#include "unittest_harness.h"

namespace {

using namespace assay::plugin;

std::string json(const Poco::JSON::Object::Ptr& o) {
    std::ostringstream s;
    Poco::JSON::Stringifier::condense(o, s);
    return s.str();
}

class UnittestGrader : public Plugin, public Grader {
  public:
    void start(HostServices& host) override { host_ = &host; }
    Grader* grader() override { return this; }
    std::vector<std::string> testTypes() const override { return {"unittest"}; }

    GradeResult grade(const GradeRequest& req) override {
        const auto lim = assay::graders::limitsFrom(req.manifestJson);
        std::vector<TestSpec> visible, hidden;
        for (const auto& t : req.tests)
            (t.hidden ? hidden : visible).push_back(t);
        GradeResult result;
        for (const auto* group : {&visible, &hidden}) {
            if (group->empty()) continue;
            auto outcomes = runGroup(req, *group, lim);
            for (auto& o : outcomes)
                result.tests.push_back(std::move(o));
        }
        return result;
    }

  private:
    std::vector<TestOutcome> runGroup(const GradeRequest& req, const std::vector<TestSpec>& tests,
                                      const assay::graders::RunLimits& lim) {
        Poco::JSON::Parser parser;
        std::vector<std::string> files;
        for (const auto& t : tests)
            files.push_back(parser.parse(t.specJson)
                                .extract<Poco::JSON::Object::Ptr>()
                                ->getValue<std::string>("file"));
        auto payload = runHarness(req, files, lim);
        if (!payload) {
            // The harness did not report (the student's code stopped it): one start-up per file.
            host_->count("fallbacks");
            std::vector<TestOutcome> out;
            for (size_t i = 0; i < tests.size(); ++i) {
                auto single = runHarness(req, {files[i]}, lim);
                out.push_back(single
                                  ? judge(tests[i], single->getObject(0))
                                  : stopped(tests[i],
                                            "Your code stopped the test run before it could finish "
                                            "(did it end or kill other processes?)."));
            }
            return out;
        }
        if (payload->size() == 1 && payload->getObject(0)->has("sandbox_error")) {
            std::vector<TestOutcome> out;
            for (const auto& t : tests) {
                TestOutcome o;
                o.name = t.name;
                o.status = "error";
                o.feedback = payload->getObject(0)->getValue<std::string>("sandbox_error");
                out.push_back(o);
            }
            return out;
        }
        std::vector<TestOutcome> out;
        for (size_t i = 0; i < tests.size(); ++i)
            out.push_back(i < payload->size()
                              ? judge(tests[i], payload->getObject(static_cast<unsigned>(i)))
                              : stopped(tests[i], "This test file did not run."));
        return out;
    }

    // Runs the harness over `files`; the per-file reports, or nothing if it did not finish.
    Poco::JSON::Array::Ptr runHarness(const GradeRequest& req,
                                      const std::vector<std::string>& files,
                                      const assay::graders::RunLimits& lim) {
        const std::string nonce = assay::graders::newNonce();
        Poco::JSON::Object::Ptr job = new Poco::JSON::Object;
        job->set("nonce", nonce);
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const auto& f : files) {
            Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
            j->set("file", f);
            j->set("cpu", static_cast<int>(lim.cpuSeconds + 0.999));
            j->set("wall", lim.wallSeconds);
            j->set("memory", lim.memoryBytes);
            list->add(j);
        }
        job->set("files", list);
        SandboxJob sj;
        sj.files = req.studentFiles;
        for (const auto& f : req.assignmentFiles)
            for (const auto& name : files)
                if (f.path == name) sj.files.push_back(f);
        sj.files.push_back({"_assay_unittest_harness.py", assay::graders::kUnittestHarness});
        sj.argv = {"python3", "-I", "_assay_unittest_harness.py"};
        sj.stdinText = json(job);
        // Generous totals: every test method gets the per-test limits inside.
        sj.cpuSeconds =
            std::min(120.0, 30 * (lim.cpuSeconds + 0.5) * static_cast<double>(files.size()) + 2);
        sj.wallSeconds =
            std::min(300.0, 30 * (lim.wallSeconds + 0.5) * static_cast<double>(files.size()) + 5);
        sj.memoryBytes = lim.memoryBytes + (128ll << 20);
        sj.outputBytes = 8 << 20;
        SandboxResult r = host_->runInSandbox(sj);
        if (r.verdict == "sandbox_error") {
            Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            o->set("sandbox_error", "the sandbox failed: " + r.error);
            a->add(o);
            return a;
        }
        const std::string payload = assay::graders::framed(r.stdoutText, nonce);
        if (payload.empty()) return nullptr;
        try {
            Poco::JSON::Parser p;
            auto arr = p.parse(payload).extract<Poco::JSON::Array::Ptr>();
            if (arr->size() != files.size()) return nullptr;
            return arr;
        } catch (const std::exception&) {
            return nullptr;
        }
    }

    static TestOutcome stopped(const TestSpec& t, const std::string& why) {
        TestOutcome o;
        o.name = t.name;
        o.status = "failed";
        o.feedback = why;
        o.detailsJson = "{}";
        return o;
    }

    static TestOutcome judge(const TestSpec& t, const Poco::JSON::Object::Ptr& report) {
        TestOutcome o;
        o.name = t.name;
        if (report->has("error")) {
            o.status = "error";  // the test file itself could not be read: the bundle's fault
            o.feedback = "The instructor's test file could not run: " +
                         report->getValue<std::string>("error");
            return o;
        }
        auto cases = report->getArray("cases");
        Poco::JSON::Object::Ptr details = new Poco::JSON::Object;
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        int passed = 0;
        const int total = static_cast<int>(cases->size());
        std::string failures;
        for (int i = 0; i < total; ++i) {
            auto c = cases->getObject(static_cast<unsigned>(i));
            const bool ok = c->optValue<std::string>("status", "") == "passed";
            passed += ok;
            Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
            item->set("name", c->getValue<std::string>("id"));
            item->set("passed", ok);
            item->set("message", c->optValue<std::string>("message", ""));
            item->set("traceback", c->optValue<std::string>("traceback", ""));
            item->set("stdout", c->optValue<std::string>("stdout", ""));
            list->add(item);
            if (!ok && failures.size() < 3000)
                failures += "- " + c->getValue<std::string>("id") + ": " +
                            c->optValue<std::string>("message", "failed") + "\n";
        }
        details->set("cases", list);
        o.detailsJson = json(details);
        o.fraction = total ? static_cast<double>(passed) / total : 0;
        o.status = total && passed == total ? "passed" : "failed";
        if (total == 0)
            o.feedback = "The test file holds no tests.";
        else if (passed == total)
            o.feedback = "All " + std::to_string(total) + " checks passed.";
        else
            o.feedback = std::to_string(passed) + " of " + std::to_string(total) +
                         " checks passed.\n" + failures;
        return o;
    }

    HostServices* host_ = nullptr;
};

}  // namespace

ASSAY_PLUGIN_DEFINE(UnittestGrader, assay::plugin::kGrader, "[]")
