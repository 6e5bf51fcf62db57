// metrics: complexity as the model counts it, nesting, length, the per-file summary.
#include <cppunit/extensions/HelperMacros.h>

#include "AnalyzerTestUtil.h"

using namespace assay::analysis::test;

class MetricsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MetricsTest);
    CPPUNIT_TEST(testSimpleFunctionIsQuiet);
    CPPUNIT_TEST(testComplexAndDeepFunction);
    CPPUNIT_TEST(testSummaryCarriesFigures);
    CPPUNIT_TEST_SUITE_END();

    static std::string branches(int n) {
        std::string s = "def grade(score):\n";
        for (int i = 0; i < n; ++i)
            s += "    if score > " + std::to_string(i) + ":\n        return " + std::to_string(i) +
                 "\n";
        return s + "    return -1\n";
    }

  public:
    void testSimpleFunctionIsQuiet() {
        auto hs = analyze("metrics", "def add(a, b):\n    return a + b\n");
        CPPUNIT_ASSERT_EQUAL(0, count(hs, "metrics/complexity"));
        CPPUNIT_ASSERT_EQUAL(0, count(hs, "metrics/nesting"));
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "metrics/summary"));
    }

    void testComplexAndDeepFunction() {
        auto hs = analyze("metrics", branches(11));
        const Hit* c = first(hs, "metrics/complexity");
        CPPUNIT_ASSERT(c);
        CPPUNIT_ASSERT(c->message.find("complexity of 12") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1, c->line);
        CPPUNIT_ASSERT_EQUAL(0, count(analyze("metrics", branches(9)), "metrics/complexity"));

        const std::string deep =
            "def f(xs):\n    for a in xs:\n        for b in a:\n            if b:\n                "
            "while b:\n"
            "                    if b > 1:\n                        b -= 1\n";
        auto d = analyze("metrics", deep);
        CPPUNIT_ASSERT_EQUAL(1, count(d, "metrics/nesting"));
        CPPUNIT_ASSERT_EQUAL(
            0, count(analyze("metrics", deep, "\"max_nesting\":5"), "metrics/nesting"));

        std::string longFn = "def long():\n";
        for (int i = 0; i < 60; ++i)
            longFn += "    x" + std::to_string(i) + " = " + std::to_string(i) + "\n";
        CPPUNIT_ASSERT_EQUAL(1, count(analyze("metrics", longFn), "metrics/function-length"));
    }

    void testSummaryCarriesFigures() {
        auto hs =
            analyze("metrics", "class A:\n    def m(self, x):\n        return x if x else 0\n");
        const Hit* s = first(hs, "metrics/summary");
        CPPUNIT_ASSERT(s && s->properties);
        auto fns = s->properties->getArray("functions");
        CPPUNIT_ASSERT_EQUAL(size_t(1), fns->size());
        CPPUNIT_ASSERT_EQUAL(std::string("A.m"), fns->getObject(0)->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(2, fns->getObject(0)->getValue<int>("complexity"));
        const double mi = s->properties->getValue<double>("maintainabilityIndex");
        CPPUNIT_ASSERT(mi > 20 && mi <= 100);
        CPPUNIT_ASSERT_EQUAL(std::string("informational"), s->kind);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MetricsTest);
