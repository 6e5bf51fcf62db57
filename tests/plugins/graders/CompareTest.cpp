// Output comparison modes and the feedback diff of the io grader.
#include <cppunit/extensions/HelperMacros.h>

#include "compare.h"

using namespace assay::graders;

class CompareTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CompareTest);
    CPPUNIT_TEST(testExact);
    CPPUNIT_TEST(testTrailingWhitespace);
    CPPUNIT_TEST(testWhitespace);
    CPPUNIT_TEST(testCaseInsensitive);
    CPPUNIT_TEST(testNumeric);
    CPPUNIT_TEST(testRegex);
    CPPUNIT_TEST(testUnorderedLines);
    CPPUNIT_TEST(testDiff);
    CPPUNIT_TEST_SUITE_END();

    static CompareSpec mode(const std::string& m, double abs = 0, double rel = 0) {
        return CompareSpec{m, abs, rel};
    }

  public:
    void testExact() {
        CPPUNIT_ASSERT(outputMatches("3\n", "3\n", mode("exact")));
        CPPUNIT_ASSERT(!outputMatches("3\n", "3", mode("exact")));
        CPPUNIT_ASSERT(!outputMatches("3\n", "3 \n", mode("exact")));
    }
    void testTrailingWhitespace() {
        auto m = mode("trailing_whitespace");
        CPPUNIT_ASSERT(outputMatches("a b\nc\n", "a b  \nc\n\n\n", m));
        CPPUNIT_ASSERT(outputMatches("a\n", "a", m));
        CPPUNIT_ASSERT(outputMatches("a\r\nb\r\n", "a\nb\n", m));
        CPPUNIT_ASSERT(!outputMatches("a b\n", "a  b\n", m));  // inner spaces count
        CPPUNIT_ASSERT(!outputMatches("a\nb\n", "a\n\nb\n", m));
        CPPUNIT_ASSERT(!outputMatches("a\n", " a\n", m));
    }
    void testWhitespace() {
        auto m = mode("whitespace");
        CPPUNIT_ASSERT(outputMatches("1 2\n3\n", "  1\t2 3  ", m));
        CPPUNIT_ASSERT(!outputMatches("1 2 3", "1 23", m));
    }
    void testCaseInsensitive() {
        auto m = mode("case_insensitive");
        CPPUNIT_ASSERT(outputMatches("Hello, World\n", "hello, WORLD  \n", m));
        CPPUNIT_ASSERT(!outputMatches("Hello\n", "Hallo\n", m));
    }
    void testNumeric() {
        CPPUNIT_ASSERT(outputMatches("x = 3.14159\n", "x = 3.1416", mode("numeric", 1e-3)));
        CPPUNIT_ASSERT(!outputMatches("x = 3.14159\n", "x = 3.15", mode("numeric", 1e-3)));
        CPPUNIT_ASSERT(outputMatches("1000\n", "1010\n", mode("numeric", 0, 0.02)));
        CPPUNIT_ASSERT(!outputMatches("1000\n", "1030\n", mode("numeric", 0, 0.02)));
        CPPUNIT_ASSERT(outputMatches("2 4\n", "2.0 4.000", mode("numeric")));  // equal values
        CPPUNIT_ASSERT(
            !outputMatches("y = 2\n", "x = 2\n", mode("numeric", 1)));  // words must match
        CPPUNIT_ASSERT(!outputMatches("1 2\n", "1\n", mode("numeric", 1)));
        CPPUNIT_ASSERT(!outputMatches("1\n", "nan\n", mode("numeric", 1)));
    }
    void testRegex() {
        auto m = mode("regex");
        CPPUNIT_ASSERT(outputMatches("Total: [0-9]+ items?", "Total: 12 items\n", m));
        CPPUNIT_ASSERT(!outputMatches("Total: [0-9]+ items?", "Total: twelve items\n", m));
        CPPUNIT_ASSERT(!outputMatches("[0-9]+", "12 and more", m));  // the whole output must match
        CPPUNIT_ASSERT(!outputMatches("(", "anything", m));  // a broken pattern matches nothing
    }
    void testUnorderedLines() {
        auto m = mode("unordered_lines");
        CPPUNIT_ASSERT(outputMatches("b\na\nc\n", "a\nb\nc", m));
        CPPUNIT_ASSERT(!outputMatches("a\na\nb\n", "a\nb\nb\n", m));  // counts matter
    }
    void testDiff() {
        const std::string d = lineDiff("a\nb\nc\n", "a\nx\nc\n");
        CPPUNIT_ASSERT_EQUAL(std::string("  a\n- b\n+ x\n  c\n"), d);
        std::string many;
        for (int i = 0; i < 200; ++i)
            many += std::to_string(i) + "\n";
        const std::string cut = lineDiff(many, "");
        CPPUNIT_ASSERT(cut.find("more lines") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CompareTest);
