// The built-in graders against a real assay-runner and real containers: every comparison
// mode end to end, the feedback students get for errors and limits, unittest grading with
// hidden tests, one container start-up for all io tests, and student modules that try to
// forge a pass.
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>

#include "assay/core/bundle/bundle.h"
#include "assay/core/grading/grading_service.h"
#include "assay/core/store/migrations.h"
#include "runner_process.h"
#include "sandbox_adapter.h"
#include "test_host.h"

#include <assay/containers/runner_client.h>

using namespace assay;

namespace {

std::string pluginDir() {
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    return std::string(b ? b : ".") + "/lib/assay/plugins";
}

int64_t runsSoFar(const std::string& socket) {
    containers::RunnerClient c(socket);
    Poco::JSON::Parser p;
    auto o = p.parse(c.statusJson()).extract<Poco::JSON::Object::Ptr>();
    auto counters = o->getObject("counters");
    int64_t total = 0;
    if (counters && counters->has("runs_by_verdict")) {
        auto byVerdict = counters->getObject("runs_by_verdict");
        for (const auto& [k, v] : *byVerdict)
            total += v.convert<int64_t>();
    } else if (o->has("runs")) {
        total = o->getValue<int64_t>("runs");
    }
    return total;
}

}  // namespace

class GraderSandboxTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GraderSandboxTest);
    CPPUNIT_TEST(testEveryComparisonModeEndToEnd);
    CPPUNIT_TEST(testFeedbackForErrorsAndLimits);
    CPPUNIT_TEST(testAllIoTestsInOneStartUp);
    CPPUNIT_TEST(testUnittestWithHiddenTests);
    CPPUNIT_TEST(testForgeryAttemptsNeverPass);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        dir_ = std::make_unique<test::TempDir>();
        runner_ = std::make_unique<test::RunnerProcess>(dir_->path(), 2);
        db_ = db::open("sqlite::memory:", 1, 1000);
        db::migrate(*db_);
        config_.set("plugins.dir", pluginDir());
        config_.set("data_dir", dir_->path());
        outbox_ = std::make_unique<Outbox>(*db_, metrics_);
        plugins_ = std::make_unique<PluginManager>(config_, *db_, metrics_, *outbox_);
        plugins_->setSandbox(app::runnerAt(runner_->socket()));
        plugins_->scan();
        CPPUNIT_ASSERT(plugins_->get("assay.grader.io"));
        CPPUNIT_ASSERT(plugins_->get("assay.grader.unittest"));
    }
    void tearDown() override {
        plugins_.reset();
        outbox_.reset();
        db_.reset();
        runner_.reset();
        dir_.reset();
    }

    void testEveryComparisonModeEndToEnd() {
        const std::string manifest = R"({"id":"modes","title":"Modes","statement":"s.md","tests":[
          {"name":"exact","stdin":"exact","expected":"A b\n","compare":"exact"},
          {"name":"trailing","stdin":"trailing","expected":"A b\n","compare":"trailing_whitespace"},
          {"name":"whitespace","stdin":"whitespace","expected":"1 2 3\n","compare":"whitespace"},
          {"name":"case","stdin":"case","expected":"Hello World\n","compare":"case_insensitive"},
          {"name":"numeric","stdin":"numeric","expected":"pi 3.14159\n","compare":"numeric","tolerance":{"abs":0.001}},
          {"name":"regex","stdin":"regex","expected":"Total: [0-9]+","compare":"regex"},
          {"name":"unordered","stdin":"unordered","expected":"b\na\nc\n","compare":"unordered_lines"},
          {"name":"exact fails","stdin":"trailing","expected":"A b\n","compare":"exact"}]})";
        const std::string program = R"(mode = input()
out = {"exact": "A b\n", "trailing": "A b   \n\n", "whitespace": "1\n2   3", "case": "hELLO wORLD\n",
       "numeric": "pi 3.1416\n", "regex": "Total: 42\n", "unordered": "c\nb\na\n"}[mode]
print(out, end="")
)";
        auto out = grade(manifest, {{"main.py", program}});
        CPPUNIT_ASSERT_MESSAGE(out.error, !out.systemError);
        for (const auto& r : out.scored.results) {
            const bool shouldPass = r.testName != "exact fails";
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.testName + ": " + r.feedback, shouldPass, r.passed);
        }
        CPPUNIT_ASSERT_DOUBLES_EQUAL(100.0 * 7 / 8, out.scored.score, 1e-6);
        CPPUNIT_ASSERT(out.scored.results[7].detailsJson.find("diff") != std::string::npos);
    }

    void testFeedbackForErrorsAndLimits() {
        const std::string m =
            R"({"id":"f","title":"F","statement":"s.md","limits":{"time_s":1,"wall_s":3,"output_kb":4},
            "tests":[{"name":"t","stdin":"5\n","expected":"25\n"}]})";
        auto crash = grade(m, {{"main.py", "n = int(input())\nprint(n * undefined_name)\n"}});
        CPPUNIT_ASSERT(!crash.systemError);
        CPPUNIT_ASSERT(!crash.scored.results[0].passed);
        CPPUNIT_ASSERT_MESSAGE(
            crash.scored.results[0].feedback,
            crash.scored.results[0].feedback.find("NameError") != std::string::npos);
        auto loop = grade(m, {{"main.py", "while True:\n    pass\n"}});
        CPPUNIT_ASSERT(loop.scored.results[0].feedback.find("processor time") != std::string::npos);
        auto sleeper = grade(m, {{"main.py", "import time\ntime.sleep(100)\n"}});
        CPPUNIT_ASSERT_MESSAGE(
            sleeper.scored.results[0].feedback,
            sleeper.scored.results[0].feedback.find("did not finish within") != std::string::npos);
        auto flood = grade(m, {{"main.py", "while True:\n    print('x' * 1000)\n"}});
        CPPUNIT_ASSERT_MESSAGE(
            flood.scored.results[0].feedback,
            flood.scored.results[0].feedback.find("printed more than") != std::string::npos);
        auto ok = grade(m, {{"main.py", "n = int(input())\nprint(n * n)\n"}});
        CPPUNIT_ASSERT(ok.scored.results[0].passed);
    }

    void testAllIoTestsInOneStartUp() {
        auto b = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/01-greeting");
        const int64_t before = runsSoFar(runner_->socket());
        auto out = grade(b.manifestJson, {{"main.py", b.files.at("solution/main.py")}}, b.files);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(10.0, out.scored.score, 1e-9);
        CPPUNIT_ASSERT_EQUAL(int64_t{1},
                             runsSoFar(runner_->socket()) - before);  // three tests, one run
    }

    void testUnittestWithHiddenTests() {
        auto b = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/02-word-stats");
        auto good = grade(b.manifestJson, {{"words.py", b.files.at("solution/words.py")}}, b.files);
        CPPUNIT_ASSERT_MESSAGE(good.error, !good.systemError);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(10.0, good.scored.score, 1e-9);
        CPPUNIT_ASSERT(good.scored.results[1].hidden);
        auto starter =
            grade(b.manifestJson, {{"words.py", b.files.at("starter/words.py")}}, b.files);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.0, starter.scored.score, 1e-9);
        CPPUNIT_ASSERT(starter.scored.results[0].feedback.find("NotImplementedError") !=
                       std::string::npos);
        CPPUNIT_ASSERT(starter.scored.results[1].feedback.find("Not checked yet") !=
                       std::string::npos);
        // Partial credit: count_words right, most_common wrong.
        const std::string half =
            b.files.at("solution/words.py") + "\ndef most_common(text, n):\n    return []\n";
        auto partial = grade(b.manifestJson, {{"words.py", half}}, b.files);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(10.0 * 4 / 6 * 3 / 5, partial.scored.score, 1e-6);
        CPPUNIT_ASSERT(partial.scored.results[0].feedback.find("3 of 5 checks passed") !=
                       std::string::npos);
    }

    void testForgeryAttemptsNeverPass() {
        auto b = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/02-word-stats");
        const std::string stubs =
            "\ndef count_words(text):\n    return {}\n\ndef most_common(text, n):\n    return []\n";
        const std::vector<std::pair<std::string, std::string>> attacks = {
            {"prints a fake report",
             "import sys\nprint('[{\"file\": \"tests/test_words.py\", \"cases\": [{\"id\": \"x\", "
             "\"status\": \"passed\"}]}]')\n"
             "sys.stderr.write('passed')\n"},
            {"patches assertEqual",
             "import unittest\nunittest.TestCase.assertEqual = lambda *a, **k: None\n"},
            {"replaces TestCase",
             "import unittest\nclass T(unittest.TestCase):\n    def assertEqual(self, *a, **k):\n  "
             "      pass\n"
             "unittest.TestCase = T\n"},
            {"rewrites the test methods",
             "import builtins\nreal = builtins.__build_class__\n"
             "def build(func, name, *bases, **kw):\n    cls = real(func, name, *bases, **kw)\n"
             "    for k in list(vars(cls)):\n        if k.startswith('test'):\n            "
             "setattr(cls, k, lambda self: None)\n"
             "    return cls\nbuiltins.__build_class__ = build\n"},
            {"patches TestResult",
             "import unittest\nunittest.TestResult.addFailure = lambda *a: None\n"
             "unittest.TestResult.addError = lambda *a: None\n"},
            {"exits at import", "import os\nos._exit(0)\n"},
            {"kills the harness", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"},
            {"raises SystemExit", "raise SystemExit(0)\n"},
        };
        // What the stubs earn honestly (an empty dict is right for empty text): no attack may
        // earn more.
        const double honest = grade(b.manifestJson, {{"words.py", stubs}}, b.files).scored.score;
        CPPUNIT_ASSERT(honest < 2.0);
        for (const auto& [what, code] : attacks) {
            auto out = grade(b.manifestJson, {{"words.py", code + stubs}}, b.files);
            CPPUNIT_ASSERT_MESSAGE(what + ": " + out.error, !out.systemError);
            CPPUNIT_ASSERT_MESSAGE(what + " earned " + std::to_string(out.scored.score) + ": " +
                                       out.scored.results[0].feedback,
                                   out.scored.score <= honest + 1e-9);
            CPPUNIT_ASSERT(!out.scored.results[1].passed);  // the hidden tests stay locked
        }
    }

  private:
    grading::GradeOutput grade(const std::string& manifestJson, const FileMap& student,
                               FileMap files = {}) {
        grading::GradeInput in;
        in.manifest = bundle::parseManifest(manifestJson);
        in.manifestJson = manifestJson;
        in.assignmentFiles = std::move(files);
        in.studentFiles = student;
        grading::GradingService service(*plugins_);
        return service.grade(in);
    }

    std::unique_ptr<test::TempDir> dir_;
    std::unique_ptr<test::RunnerProcess> runner_;
    std::unique_ptr<db::Database> db_;
    Config config_;
    Metrics metrics_;
    std::unique_ptr<Outbox> outbox_;
    std::unique_ptr<PluginManager> plugins_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(GraderSandboxTest);
