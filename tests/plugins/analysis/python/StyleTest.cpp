// style: each PEP 8 check with a clean and a faulty example.
#include <cppunit/extensions/HelperMacros.h>

#include "AnalyzerTestUtil.h"

using namespace assay::analysis::test;

class StyleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StyleTest);
    CPPUNIT_TEST(testCleanFileHasNoFindings);
    CPPUNIT_TEST(testLineLengthAndIndentation);
    CPPUNIT_TEST(testSpacing);
    CPPUNIT_TEST(testBlankLines);
    CPPUNIT_TEST(testNaming);
    CPPUNIT_TEST(testImportPositionAndSingletons);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testCleanFileHasNoFindings() {
        const char* clean =
            "\"\"\"Shapes.\"\"\"\nimport math\n\n\nclass Circle:\n    def __init__(self, radius):\n"
            "        self.radius = radius\n\n    def area(self):\n        return math.pi * "
            "self.radius ** 2\n\n\n"
            "def describe(shape, precision=2):\n    if shape is None:\n        return ''\n"
            "    return f'{shape.area():.{precision}f}'\n";
        auto hs = analyze("style", clean);
        std::string all;
        for (const auto& h : hs)
            all += h.ruleId + " " + std::to_string(h.line) + ": " + h.message + "\n";
        CPPUNIT_ASSERT_EQUAL_MESSAGE(all, size_t(0), hs.size());
    }

    void testLineLengthAndIndentation() {
        auto hs = analyze("style",
                          "x = '" + std::string(90, 'a') + "'\nif x:\n  y = 1\nif x:\n\tz = 2\n");
        const Hit* l = first(hs, "style/line-too-long");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(1, l->line);
        CPPUNIT_ASSERT_EQUAL(80, l->column);
        CPPUNIT_ASSERT_EQUAL(3, first(hs, "style/indentation")->line);
        CPPUNIT_ASSERT_EQUAL(5, first(hs, "style/tab-indentation")->line);
        CPPUNIT_ASSERT_EQUAL(0, count(analyze("style", "x = 'é" + std::string(70, 'a') + "'\n"),
                                      "style/line-too-long"));
    }

    void testSpacing() {
        auto hs =
            analyze("style", "x=1\ny = f(a,b)\nz = g(a , b)\nw = h(key=1)\nif x==y:\n    pass\n");
        CPPUNIT_ASSERT_EQUAL(2,
                             count(hs, "style/operator-spacing"));  // x=1 and x==y; key=1 is fine
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "style/comma-spacing"));
        CPPUNIT_ASSERT_EQUAL(2, first(hs, "style/comma-spacing")->line);
        CPPUNIT_ASSERT_EQUAL(
            0, count(analyze("style", "f = lambda a, b=1: a + b\n"), "style/operator-spacing"));
    }

    void testBlankLines() {
        auto hs = analyze("style",
                          "import os\ndef f():\n    return os\nclass A:\n    x = 1\n    def "
                          "m(self):\n        pass\n");
        CPPUNIT_ASSERT_EQUAL(3, count(hs, "style/blank-lines"));
        CPPUNIT_ASSERT_EQUAL(2, first(hs, "style/blank-lines")->line);
    }

    void testNaming() {
        auto hs = analyze("style",
                          "class my_shape:\n    pass\n\n\ndef ComputeArea(Width):\n    Total = "
                          "Width\n    return Total\n");
        CPPUNIT_ASSERT_EQUAL(4, count(hs, "style/naming"));
        CPPUNIT_ASSERT(first(hs, "style/naming")->message.find("CapWords") != std::string::npos);
    }

    void testImportPositionAndSingletons() {
        auto hs = analyze("style",
                          "\"\"\"Doc.\"\"\"\n__all__ = []\nimport os\nprint(os)\nimport sys\nif "
                          "sys == None:\n    pass\nif sys.argv != True:\n    pass\n");
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "style/import-position"));
        CPPUNIT_ASSERT_EQUAL(5, first(hs, "style/import-position")->line);
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "style/compare-singleton"));
        CPPUNIT_ASSERT(first(hs, "style/compare-singleton")->message.find("is None") !=
                       std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StyleTest);
