// assay.grader.io: standard input / expected output tests. All tests of a submission run in
// one sandbox start-up through a small harness; if that harness cannot finish (the student's
// program broke it), each test runs again in a sandbox of its own.
#include <assay/plugin/sdk.h>

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <map>
#include <sstream>

#include "compare.h"
#include "io_harness.h"
#include "outcome.h"

namespace {

using namespace assay::plugin;
using assay::graders::CompareSpec;

struct IoTest {
    std::string name, stdinText, expected;
    CompareSpec compare;
};

struct Raw {  // what happened to one run of the student's program
    int exitCode = 0, signal = 0;
    std::string out, err;
    bool outputExceeded = false, memory = false;
    std::string timeout;  // "", "cpu", "wall"
    int64_t cpuMs = 0, wallMs = 0;
};

std::string b64decode(const std::string& s) {
    std::istringstream in(s);
    Poco::Base64Decoder dec(in);
    std::ostringstream out;
    out << dec.rdbuf();
    return out.str();
}

std::string fileOf(const GradeRequest& req, const std::string& path) {
    for (const auto& f : req.assignmentFiles)
        if (f.path == path) return f.content;
    throw std::runtime_error("the bundle has no file '" + path + "'");
}

std::vector<IoTest> testsOf(const GradeRequest& req) {
    std::vector<IoTest> out;
    Poco::JSON::Parser p;
    for (const auto& spec : req.tests) {
        auto o = p.parse(spec.specJson).extract<Poco::JSON::Object::Ptr>();
        IoTest t;
        t.name = spec.name;
        t.stdinText = o->has("stdin_file") ? fileOf(req, o->getValue<std::string>("stdin_file"))
                                           : o->optValue<std::string>("stdin", "");
        t.expected = o->has("expected_file")
                         ? fileOf(req, o->getValue<std::string>("expected_file"))
                         : o->optValue<std::string>("expected", "");
        t.compare.mode = o->optValue<std::string>("compare", "trailing_whitespace");
        if (auto tol = o->getObject("tolerance")) {
            t.compare.absTolerance = tol->optValue<double>("abs", 0);
            t.compare.relTolerance = tol->optValue<double>("rel", 0);
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::string json(const Poco::JSON::Object::Ptr& o) {
    std::ostringstream s;
    Poco::JSON::Stringifier::condense(o, s);
    return s.str();
}

TestOutcome judge(const IoTest& t, const Raw& r, const assay::graders::RunLimits& lim) {
    TestOutcome o;
    o.name = t.name;
    Poco::JSON::Object::Ptr d = new Poco::JSON::Object;
    d->set("stdout", r.out.substr(0, 4096));
    d->set("stderr", assay::graders::lastLines(r.err, 20));
    d->set("cpu_ms", r.cpuMs);
    d->set("wall_ms", r.wallMs);
    o.status = "failed";
    if (r.timeout == "cpu") {
        d->set("verdict", "cpu_time_exceeded");
        o.feedback = "Your program used more than " +
                     std::to_string(static_cast<int>(lim.cpuSeconds + 0.5)) +
                     " s of processor time and was stopped. Look for a loop that never ends, or a "
                     "much slower "
                     "method than needed.";
    } else if (r.timeout == "wall") {
        d->set("verdict", "wall_time_exceeded");
        o.feedback = "Your program did not finish within " +
                     std::to_string(static_cast<int>(lim.wallSeconds + 0.5)) +
                     " s. Is it waiting for input that never comes, or sleeping?";
    } else if (r.outputExceeded) {
        d->set("verdict", "output_exceeded");
        o.feedback = "Your program printed more than " + std::to_string(lim.outputBytes / 1024) +
                     " KiB and was stopped. Check for a print inside a loop that runs too often.";
    } else if (r.memory) {
        d->set("verdict", "memory_exceeded");
        o.feedback = "Your program needed more than " + std::to_string(lim.memoryBytes >> 20) +
                     " MiB of memory. Avoid building very large lists or strings.";
    } else if (r.exitCode != 0 || r.signal != 0) {
        d->set("verdict", "runtime_error");
        o.feedback = "Your program stopped with an error:\n" + assay::graders::lastLines(r.err, 12);
    } else if (assay::graders::outputMatches(t.expected, r.out, t.compare)) {
        d->set("verdict", "ok");
        o.status = "passed";
        o.fraction = 1;
        o.feedback = "Correct output.";
    } else {
        d->set("verdict", "ok");
        d->set("diff", assay::graders::lineDiff(t.expected, r.out));
        o.feedback =
            "Your output differs from the expected output (lines marked - were expected, + were "
            "printed).";
    }
    o.detailsJson = json(d);
    return o;
}

class IoGrader : public Plugin, public Grader {
  public:
    void start(HostServices& host) override { host_ = &host; }
    Grader* grader() override { return this; }
    std::vector<std::string> testTypes() const override { return {"io"}; }

    GradeResult grade(const GradeRequest& req) override {
        const auto tests = testsOf(req);
        const auto lim = assay::graders::limitsFrom(req.manifestJson);
        const std::string entry = assay::graders::entryFrom(req.manifestJson);
        std::vector<Raw> raws;
        if (!runTogether(req, tests, lim, entry, raws)) {
            host_->count("fallbacks");
            raws.clear();
            for (const auto& t : tests)
                raws.push_back(runAlone(req, t, lim, entry));
        }
        GradeResult result;
        for (size_t i = 0; i < tests.size(); ++i) {
            if (raws[i].timeout == "sandbox") {
                TestOutcome o;
                o.name = tests[i].name;
                o.status = "error";
                o.feedback = raws[i].err;
                result.tests.push_back(o);
                continue;
            }
            result.tests.push_back(judge(tests[i], raws[i], lim));
        }
        host_->count("tests", static_cast<double>(tests.size()));
        return result;
    }

  private:
    // All tests in one sandbox start-up. False when the harness did not report (fall back).
    bool runTogether(const GradeRequest& req, const std::vector<IoTest>& tests,
                     const assay::graders::RunLimits& lim, const std::string& entry,
                     std::vector<Raw>& raws) {
        const std::string nonce = assay::graders::newNonce();
        Poco::JSON::Object::Ptr job = new Poco::JSON::Object;
        job->set("nonce", nonce);
        job->set("entry", entry);
        job->set("output_limit", lim.outputBytes);
        job->set("memory", lim.memoryBytes);
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const auto& t : tests) {
            Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
            j->set("stdin", t.stdinText);
            j->set("cpu", lim.cpuSeconds);
            j->set("wall", lim.wallSeconds);
            list->add(j);
        }
        job->set("tests", list);
        SandboxJob sj;
        sj.files = req.studentFiles;
        sj.files.push_back({"_assay_io_harness.py", assay::graders::kIoHarness});
        sj.argv = {"python3", "-I", "_assay_io_harness.py"};
        sj.stdinText = json(job);
        const double n = static_cast<double>(tests.size());
        sj.cpuSeconds = n * (lim.cpuSeconds + 0.5) + 2;
        sj.wallSeconds = std::min(300.0, n * (lim.wallSeconds + 0.5) + 5);
        sj.memoryBytes = lim.memoryBytes + (64ll << 20);
        sj.outputBytes = static_cast<int64_t>(n) * (lim.outputBytes * 2 + 16384) + 65536;
        SandboxResult r = host_->runInSandbox(sj);
        if (r.verdict == "sandbox_error") {
            for (size_t i = 0; i < tests.size(); ++i)
                raws.push_back(sandboxFailure(r));
            return true;
        }
        const std::string payload = assay::graders::framed(r.stdoutText, nonce);
        if (r.verdict != "ok" || payload.empty()) return false;
        try {
            Poco::JSON::Parser p;
            auto arr = p.parse(payload).extract<Poco::JSON::Array::Ptr>();
            if (arr->size() != tests.size()) return false;
            for (size_t i = 0; i < arr->size(); ++i) {
                auto o = arr->getObject(static_cast<unsigned>(i));
                Raw raw;
                raw.exitCode = o->getValue<int>("exit");
                raw.signal = o->getValue<int>("signal");
                raw.out = b64decode(o->getValue<std::string>("stdout"));
                raw.err = b64decode(o->getValue<std::string>("stderr"));
                raw.outputExceeded = o->getValue<bool>("output_exceeded");
                raw.memory = o->getValue<bool>("memory");
                raw.timeout = o->isNull("timeout") ? "" : o->getValue<std::string>("timeout");
                raw.cpuMs = o->getValue<int64_t>("cpu_ms");
                raw.wallMs = o->getValue<int64_t>("wall_ms");
                raws.push_back(std::move(raw));
            }
        } catch (const std::exception&) {
            raws.clear();
            return false;
        }
        return true;
    }

    static Raw sandboxFailure(const SandboxResult& r) {
        Raw raw;
        raw.timeout = "sandbox";
        raw.err = "the sandbox failed: " + r.error;
        return raw;
    }

    // One test in a sandbox of its own; the sandbox's verdict says what happened.
    Raw runAlone(const GradeRequest& req, const IoTest& t, const assay::graders::RunLimits& lim,
                 const std::string& entry) {
        SandboxJob sj;
        sj.files = req.studentFiles;
        sj.argv = {"python3", entry};
        sj.stdinText = t.stdinText;
        sj.cpuSeconds = lim.cpuSeconds;
        sj.wallSeconds = lim.wallSeconds;
        sj.memoryBytes = lim.memoryBytes;
        sj.outputBytes = lim.outputBytes;
        SandboxResult r = host_->runInSandbox(sj);
        if (r.verdict == "sandbox_error") return sandboxFailure(r);
        Raw raw;
        raw.exitCode = r.exitCode;
        raw.signal = r.signal;
        raw.out = r.stdoutText;
        raw.err = r.stderrText;
        raw.cpuMs = r.cpuMs;
        raw.wallMs = r.wallMs;
        raw.outputExceeded = r.verdict == "output_exceeded";
        raw.memory = r.verdict == "memory_exceeded";
        if (r.verdict == "cpu_time_exceeded") raw.timeout = "cpu";
        if (r.verdict == "wall_time_exceeded") raw.timeout = "wall";
        return raw;
    }

    HostServices* host_ = nullptr;
};

}  // namespace

ASSAY_PLUGIN_DEFINE(IoGrader, assay::plugin::kGrader, "[]")
