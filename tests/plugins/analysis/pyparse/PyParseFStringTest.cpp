// F-strings as Python 3.12 tokenizes them (PEP 701): nested quotes, format specs,
// debug '=', conversions, escapes, comments and newlines inside replacement fields.
#include <cppunit/extensions/HelperMacros.h>

#include "TreeQuery.h"

using namespace assay::pyparse;
using namespace assay::pyparse::testing;
using P = PyParser;

namespace {

size_t fields(const ParseResult& r) {
    return find<P::Fstring_replacement_fieldContext>(r).size();
}
size_t fstrings(const ParseResult& r) {
    return find<P::FstringContext>(r).size();
}

}  // namespace

class PyParseFStringTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PyParseFStringTest);
    CPPUNIT_TEST(testNestedSameQuotes);
    CPPUNIT_TEST(testFormatSpecs);
    CPPUNIT_TEST(testDebugAndConversion);
    CPPUNIT_TEST(testDoubledBraces);
    CPPUNIT_TEST(testColonEqualsIsASpec);
    CPPUNIT_TEST(testMultiLineFieldsWithComments);
    CPPUNIT_TEST(testBackslashes);
    CPPUNIT_TEST(testTripleQuotedBodies);
    CPPUNIT_TEST(testBracketsInsideFields);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testNestedSameQuotes() {
        auto r = parseValid(
            "x = f'{f'{f'{1}'}'}' + f\"{'a' if x else \"b\"}\" + f'{\"\\n\".join(a)}'\n");
        CPPUNIT_ASSERT_EQUAL(size_t(5), fstrings(*r));
        CPPUNIT_ASSERT_EQUAL(size_t(5), fields(*r));
    }

    void testFormatSpecs() {
        auto r = parseValid(
            "x = f'{value:>{width}.{precision}f}' + f'{t:%H:%M:%S}' + f'{3.14:.2f}' + "
            "f'{x:{y}{z}}'\n");
        CPPUNIT_ASSERT_EQUAL(size_t(8), fields(*r));  // 3 + 1 + 1 + 3
        const auto middles = tokenTexts(*r, PyLexer::FSTRING_MIDDLE);
        CPPUNIT_ASSERT(std::find(middles.begin(), middles.end(), "%H:%M:%S") != middles.end());
        CPPUNIT_ASSERT(std::find(middles.begin(), middles.end(), ">") != middles.end());
        CPPUNIT_ASSERT(std::find(middles.begin(), middles.end(), ".2f") != middles.end());
    }

    void testDebugAndConversion() {
        auto r = parseValid("x = f'{x=} {x = !s:^10} {y!r} {z!a:>3} {a!=b} {a==b}'\n");
        auto all = find<P::Fstring_replacement_fieldContext>(*r);
        CPPUNIT_ASSERT_EQUAL(size_t(6), all.size());
        CPPUNIT_ASSERT(all[0]->EQUAL() != nullptr);
        CPPUNIT_ASSERT(all[1]->EQUAL() != nullptr && all[1]->name()->getText() == "s");
        CPPUNIT_ASSERT_EQUAL(std::string("r"), all[2]->name()->getText());
        CPPUNIT_ASSERT_EQUAL(std::string("a"), all[3]->name()->getText());
        CPPUNIT_ASSERT(all[4]->name() == nullptr &&
                       all[4]->EQUAL() == nullptr);  // '!=' is a comparison
        CPPUNIT_ASSERT(all[5]->EQUAL() == nullptr);
    }

    void testDoubledBraces() {
        auto r = parseValid("x = f'{{literal}} {{{inner}}} }}{{'\n");
        CPPUNIT_ASSERT_EQUAL(size_t(1), fields(*r));
    }

    void testColonEqualsIsASpec() {
        auto spec = parseValid("x = f'{x:=10}'\n");
        CPPUNIT_ASSERT_EQUAL(size_t(1), fields(*spec));
        CPPUNIT_ASSERT(tokenTexts(*spec, PyLexer::COLONEQUAL).empty());
        CPPUNIT_ASSERT(tokenTexts(*spec, PyLexer::FSTRING_MIDDLE) ==
                       std::vector<std::string>{"=10"});
        auto walrus = parseValid("x = f'{(x:=10)}'\n");
        CPPUNIT_ASSERT_EQUAL(size_t(1), tokenTexts(*walrus, PyLexer::COLONEQUAL).size());
    }

    void testMultiLineFieldsWithComments() {
        auto r = parseValid(
            "x = F'''{\n    a  # a comment inside the field\n    + b\n}''' + f'{\n  c\n}'\n"
            "def g():\n    return 1\n");
        CPPUNIT_ASSERT_EQUAL(size_t(2), fields(*r));
        CPPUNIT_ASSERT_EQUAL(size_t(1), find<P::FuncdefContext>(*r).size());
    }

    void testBackslashes() {
        // "\\" before the closing quote, "\{" (a backslash, then a field), "\N{...}" (no field).
        auto r = parseValid(
            "a = f'{x}\\\\'\nb = f\"\\{x}\"\nc = f'\\N{EM DASH}'\nd = rf'\\N{x}\\d'\ne = f'\\''\n");
        auto all = find<P::Fstring_replacement_fieldContext>(*r);
        CPPUNIT_ASSERT_EQUAL(size_t(3), all.size());  // a, b, d
        CPPUNIT_ASSERT_EQUAL(size_t(5), fstrings(*r));
    }

    void testTripleQuotedBodies() {
        auto r = parseValid("x = f\"\"\"a\"b''c{x}\"\"\" + f'''it's {y}''' + f'''\n{z}\n'''\n");
        CPPUNIT_ASSERT_EQUAL(size_t(3), fields(*r));
        CPPUNIT_ASSERT_EQUAL(size_t(3), fstrings(*r));
    }

    void testBracketsInsideFields() {
        auto r = parseValid(
            "x = f'{ {\"a\": 1}[\"a\"] }' + f'{(lambda: 1)()}' + f'{d[\"k\"]:>{w}}' + f'{a, b}' + "
            "f'{[i for i in y]}'\n");
        CPPUNIT_ASSERT_EQUAL(size_t(6), fields(*r));
        CPPUNIT_ASSERT_EQUAL(size_t(1), find<P::LambdefContext>(*r).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PyParseFStringTest);
