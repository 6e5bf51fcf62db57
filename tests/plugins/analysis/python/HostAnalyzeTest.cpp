// The plugin loaded by the real host: POST /api/v1/analyze answers with the analyzers'
// SARIF run, the OOP rubric from the request's options, and budgets.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdlib>
#include <filesystem>

#include "test_host.h"

namespace fs = std::filesystem;
using namespace assay;

class HostAnalyzeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostAnalyzeTest);
    CPPUNIT_TEST(testAnalyzeThroughTheApi);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testAnalyzeThroughTheApi() {
        test::TestHost host;
        const std::string pluginDir =
            std::string(std::getenv("ASSAY_BINARY_DIR")) + "/lib/assay/plugins";
        fs::create_directories(host.dataDir() + "/plugins");
        for (const char* f : {"assay.analyzer.python.so", "assay.analyzer.python.json"})
            fs::copy_file(pluginDir + "/" + f, host.dataDir() + "/plugins/" + f,
                          fs::copy_options::overwrite_existing);
        auto admin = host.adminClient();
        auto load = admin.post("/api/v1/plugins/load", R"({"name":"assay.analyzer.python"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(load.body, 200, load.status);

        auto student = host.userClient("sam", Role::Student);
        const std::string body =
            R"({"files":{"main.py":"import os\nclass Shape:\n    pass\n\n\nx = eval(input())\n"},)"
            R"("options":{"rubric":[{"id":"r1","check":"class_exists","class":"Shape"},)"
            R"({"id":"r2","check":"class_exists","class":"Circle"}]}})";
        auto r = student.post("/api/v1/analyze", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto json = r.json();
        auto runs = json->getObject("sarif")->getArray("runs");
        CPPUNIT_ASSERT_EQUAL(size_t(1), runs->size());
        auto run = runs->getObject(0);
        CPPUNIT_ASSERT_EQUAL(
            std::string("assay.analyzer.python"),
            run->getObject("tool")->getObject("driver")->getValue<std::string>("name"));
        auto results = run->getArray("results");
        std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> byRule;
        for (size_t i = 0; i < results->size(); ++i)
            byRule[results->getObject(i)->getValue<std::string>("ruleId")].push_back(
                results->getObject(i));
        CPPUNIT_ASSERT_EQUAL(size_t(1), byRule["security/eval"].size());
        CPPUNIT_ASSERT_EQUAL(size_t(1), byRule["correctness/unused-import"].size());
        CPPUNIT_ASSERT_EQUAL(size_t(2), byRule["oop/class_exists"].size());
        CPPUNIT_ASSERT_EQUAL(std::string("pass"),
                             byRule["oop/class_exists"][0]->getValue<std::string>("kind"));
        CPPUNIT_ASSERT_EQUAL(std::string("fail"),
                             byRule["oop/class_exists"][1]->getValue<std::string>("kind"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), json->getArray("incomplete")->size());

        // Malformed options are the plugin's failure for this call only; the host still answers.
        auto bad = student.post(
            "/api/v1/analyze", R"({"files":{"a.py":"x = 1\n"},"options":{"max_line_length":"x"}})");
        CPPUNIT_ASSERT_EQUAL(200, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("assay.analyzer.python"),
                             bad.json()->getArray("incomplete")->getElement<std::string>(0));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostAnalyzeTest);
