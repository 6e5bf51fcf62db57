// correctness: each check with a clean and a faulty example, with positions.
#include <cppunit/extensions/HelperMacros.h>

#include "AnalyzerTestUtil.h"

using namespace assay::analysis::test;

class CorrectnessTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CorrectnessTest);
    CPPUNIT_TEST(testCleanProgram);
    CPPUNIT_TEST(testUndefinedName);
    CPPUNIT_TEST(testUnusedImportAndVariable);
    CPPUNIT_TEST(testRedefinitionAndShadowing);
    CPPUNIT_TEST(testUnreachableCode);
    CPPUNIT_TEST(testMutableDefaultBareExceptIsLiteral);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testCleanProgram() {
        const char* clean =
            "import math\nfrom typing import Optional\n\nCOUNT = 0\n\n\ndef area(r: float, items: "
            "Optional[list] = None) -> float:\n"
            "    items = items or []\n    total = math.pi * r * r\n    for item in items:\n        "
            "total += item\n"
            "    try:\n        return total\n    except ValueError as e:\n        raise "
            "RuntimeError(str(e))\n\n\n"
            "class Shape:\n    def size(self):\n        return area(1) + "
            "COUNT\n\n\nprint(len([Shape().size()]), __name__)\n";
        auto hs = analyze("correctness", clean);
        std::string all;
        for (const auto& h : hs)
            all += h.ruleId + " " + std::to_string(h.line) + ": " + h.message + "\n";
        CPPUNIT_ASSERT_EQUAL_MESSAGE(all, size_t(0), hs.size());
    }

    void testUndefinedName() {
        auto hs =
            analyze("correctness", "def f():\n    return totl\n\n\nprint(f(), undefined_thing)\n");
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "correctness/undefined-name"));
        const Hit* h = first(hs, "correctness/undefined-name");
        CPPUNIT_ASSERT_EQUAL(5, h->line);  // module scope first, then the function's
        CPPUNIT_ASSERT_EQUAL(12, h->column);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), h->level);
        CPPUNIT_ASSERT(h->message.find("'undefined_thing'") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(2, hs[1].line);
        CPPUNIT_ASSERT(hs[1].message.find("'totl'") != std::string::npos);
        // A star import makes every name possibly defined.
        CPPUNIT_ASSERT_EQUAL(0, count(analyze("correctness", "from math import *\nprint(tau)\n"),
                                      "correctness/undefined-name"));
    }

    void testUnusedImportAndVariable() {
        auto hs = analyze("correctness",
                          "import os\nimport sys\n\n\ndef f():\n    result = 1\n    _ignored = 2\n "
                          "   return sys\n");
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "correctness/unused-import"));
        CPPUNIT_ASSERT_EQUAL(1, first(hs, "correctness/unused-import")->line);
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "correctness/unused-variable"));
        CPPUNIT_ASSERT_EQUAL(6, first(hs, "correctness/unused-variable")->line);
    }

    void testRedefinitionAndShadowing() {
        auto hs = analyze("correctness",
                          "def f():\n    return 1\n\n\ndef f():\n    return 2\n\n\nlist = "
                          "[1]\n\n\ndef g(id):\n    return id, f\n");
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "correctness/redefinition"));
        CPPUNIT_ASSERT_EQUAL(5, first(hs, "correctness/redefinition")->line);
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "correctness/shadowed-builtin"));
        // A property setter reuses the name on purpose.
        auto ok = analyze("correctness",
                          "class A:\n    @property\n    def x(self):\n        return 1\n\n    "
                          "@x.setter\n    def x(self, v):\n        pass\n");
        CPPUNIT_ASSERT_EQUAL(0, count(ok, "correctness/redefinition"));
        // Alternatives in if/else or try/except branches are not redefinitions.
        auto alt = analyze(
            "correctness",
            "try:\n    from textwrap import dedent\nexcept ImportError:\n    def dedent(s):\n      "
            "  return s\n"
            "if dedent:\n    def f():\n        pass\nelse:\n    def f():\n        pass\nf()\n");
        CPPUNIT_ASSERT_EQUAL(0, count(alt, "correctness/redefinition"));
    }

    void testUnreachableCode() {
        auto hs = analyze("correctness",
                          "def f(x):\n    return x\n    print(x)\n\n\nfor i in range(3):\n    "
                          "break\n    print(i)\n");
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "correctness/unreachable-code"));
        CPPUNIT_ASSERT_EQUAL(3, first(hs, "correctness/unreachable-code")->line);
        CPPUNIT_ASSERT_EQUAL(
            0,
            count(analyze("correctness", "def f(x):\n    if x:\n        return 1\n    return 2\n"),
                  "correctness/unreachable-code"));
    }

    void testMutableDefaultBareExceptIsLiteral() {
        auto hs = analyze(
            "correctness",
            "def add(item, items=[], seen=dict(), n=None):\n    try:\n        items.append(item)\n"
            "    except:\n        pass\n    if n is 1 or item is not 'a':\n        return seen\n"
            "    return n is None\n");
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "correctness/mutable-default"));
        CPPUNIT_ASSERT_EQUAL(21, first(hs, "correctness/mutable-default")->column);
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "correctness/bare-except"));
        CPPUNIT_ASSERT_EQUAL(4, first(hs, "correctness/bare-except")->line);
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "correctness/is-literal"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CorrectnessTest);
