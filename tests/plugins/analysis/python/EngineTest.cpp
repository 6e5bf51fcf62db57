// The engine: syntax errors, non-Python files, options errors, budgets and concurrency.
#include <cppunit/extensions/HelperMacros.h>

#include <future>
#include <stdexcept>

#include "AnalyzerTestUtil.h"

using namespace assay::analysis;
using namespace assay::analysis::test;

class EngineTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EngineTest);
    CPPUNIT_TEST(testSyntaxErrorIsReported);
    CPPUNIT_TEST(testAllAnalyzersRunAndFinish);
    CPPUNIT_TEST(testTinyBudgetIsIncomplete);
    CPPUNIT_TEST(testBadOptionsThrow);
    CPPUNIT_TEST(testConcurrentRequests);
    CPPUNIT_TEST_SUITE_END();

    static std::string bigSource() {
        std::string s;
        for (int i = 0; i < 3000; ++i)
            s += "def f" + std::to_string(i) +
                 "(a, b=[]):\n    if a==b:\n        return eval(a)\n    return b\n\n\n";
        return s;
    }

  public:
    void testSyntaxErrorIsReported() {
        auto r = engine().analyze({{"a.py", "def f(:\n    pass\n"}, {"notes.txt", "not python"}},
                                  "{}", 0);
        auto hs = hits(r.sarifRunJson);
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "python/syntax-error"));
        CPPUNIT_ASSERT_EQUAL(1, first(hs, "python/syntax-error")->line);
        CPPUNIT_ASSERT_EQUAL(7, first(hs, "python/syntax-error")->column);
        CPPUNIT_ASSERT(r.complete);
    }

    void testAllAnalyzersRunAndFinish() {
        auto r = engine().analyze({{"m.py", "import os\nx=eval('1')\n"}}, "{}", 0);
        CPPUNIT_ASSERT(r.complete);
        CPPUNIT_ASSERT_EQUAL(size_t(5), r.finished.size());
        auto hs = hits(r.sarifRunJson);
        CPPUNIT_ASSERT(
            count(hs, "security/eval") == 1 && count(hs, "style/operator-spacing") == 1 &&
            count(hs, "correctness/unused-import") == 1 && count(hs, "metrics/summary") == 1);
    }

    void testTinyBudgetIsIncomplete() {
        // Parsing alone of this file takes far longer than 1 ms, so no analyzer can finish.
        auto r = engine().analyze({{"big.py", bigSource()}}, "{}", 1);
        CPPUNIT_ASSERT(!r.complete);
        CPPUNIT_ASSERT(!r.unfinished.empty());
        auto run = Poco::JSON::Parser().parse(r.sarifRunJson).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT(
            !run->getArray("invocations")->getObject(0)->getValue<bool>("executionSuccessful"));
        CPPUNIT_ASSERT(!run->getObject("properties")->getValue<bool>("complete"));
        // The same request with no budget completes.
        CPPUNIT_ASSERT(engine().analyze({{"big.py", bigSource()}}, "{}", 0).complete);
    }

    void testBadOptionsThrow() {
        CPPUNIT_ASSERT_THROW(engine().analyze({{"a.py", "x = 1\n"}}, "[1", 0),
                             std::invalid_argument);
        CPPUNIT_ASSERT_THROW(
            engine().analyze({{"a.py", "x = 1\n"}}, R"({"max_line_length":"long"})", 0),
            std::invalid_argument);
    }

    void testConcurrentRequests() {
        std::vector<std::future<size_t>> fs;
        for (int i = 0; i < 6; ++i) {
            fs.push_back(std::async(std::launch::async, [] {
                return hits(engine()
                                .analyze({{"m.py", "import os\nx=eval('1')\n"}}, "{}", 0)
                                .sarifRunJson)
                    .size();
            }));
        }
        const size_t expected =
            hits(engine().analyze({{"m.py", "import os\nx=eval('1')\n"}}, "{}", 0).sarifRunJson)
                .size();
        for (auto& f : fs)
            CPPUNIT_ASSERT_EQUAL(expected, f.get());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EngineTest);
