// Source decoding (PEP 263), line endings, positions, and the parser's cache controls.
#include <cppunit/extensions/HelperMacros.h>

#include "TreeQuery.h"
#include "assay/pyparse/SourceText.h"

using namespace assay::pyparse;
using namespace assay::pyparse::testing;

class PyParseSourceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PyParseSourceTest);
    CPPUNIT_TEST(testUtf8Bom);
    CPPUNIT_TEST(testLatin1Cookie);
    CPPUNIT_TEST(testCookieOnSecondLine);
    CPPUNIT_TEST(testCookieAfterCodeIsIgnored);
    CPPUNIT_TEST(testBadEncodings);
    CPPUNIT_TEST(testLineEndings);
    CPPUNIT_TEST(testColumnsCountCharacters);
    CPPUNIT_TEST(testCacheReset);
    CPPUNIT_TEST(testReusableParser);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testUtf8Bom() {
        auto r = parseValid("\xEF\xBB\xBFx = '\xC3\xA9'\n");
        CPPUNIT_ASSERT_EQUAL(std::string("x = '\xC3\xA9'\n"), r->text());
    }

    void testLatin1Cookie() {
        // 0xE9 is 'é' in Latin-1; the text comes out as UTF-8.
        auto decoded = decodeSource("# -*- coding: latin-1 -*-\ns = '\xE9'\n");
        CPPUNIT_ASSERT(!decoded.error);
        CPPUNIT_ASSERT_EQUAL(std::string("iso-8859-1"), decoded.encoding);
        CPPUNIT_ASSERT_EQUAL(std::string("# -*- coding: latin-1 -*-\ns = '\xC3\xA9'\n"),
                             decoded.text);
        auto r = parseValid("# vim: set fileencoding=cp1252 :\nname = '\x80'\n");
        CPPUNIT_ASSERT(r->text().find("\xE2\x82\xAC") != std::string::npos);  // the euro sign
    }

    void testCookieOnSecondLine() {
        auto decoded = decodeSource("#!/usr/bin/env python3\n# coding=latin-1\nx = '\xFC'\n");
        CPPUNIT_ASSERT(!decoded.error);
        CPPUNIT_ASSERT_EQUAL(std::string("iso-8859-1"), decoded.encoding);
    }

    void testCookieAfterCodeIsIgnored() {
        auto decoded = decodeSource("x = 1\n# coding: latin-1\n");
        CPPUNIT_ASSERT_EQUAL(std::string("utf-8"), decoded.encoding);
    }

    void testBadEncodings() {
        auto unknown = parse("# coding: uft-8\nx = 1\n", "<bad>");
        CPPUNIT_ASSERT(!unknown->ok());
        CPPUNIT_ASSERT_EQUAL(std::string("unknown encoding: uft-8"), unknown->errors()[0].message);
        auto bom = parse("\xEF\xBB\xBF# coding: latin-1\nx = 1\n", "<bad>");
        CPPUNIT_ASSERT_EQUAL(std::string("encoding problem: latin-1 with BOM"),
                             bom->errors()[0].message);
        auto invalid = parse("x = 1\ns = '\xF6'\n", "<bad>");
        CPPUNIT_ASSERT(!invalid->ok());
        CPPUNIT_ASSERT_EQUAL(2, invalid->errors()[0].line);
        CPPUNIT_ASSERT(
            invalid->errors()[0].message.rfind("Non-UTF-8 code starting with '\\xf6'", 0) == 0);
        CPPUNIT_ASSERT(invalid->tree() == nullptr);
    }

    void testLineEndings() {
        auto crlf = parseValid("if x:\r\n    y = 1\r\nz = (1,\r\n 2)\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("if x:\n    y = 1\nz = (1,\n 2)\n"), crlf->text());
        auto cr = parse("x = 1\ry = = 2\r", "<cr>");
        CPPUNIT_ASSERT_EQUAL(2, cr->errors()[0].line);
        CPPUNIT_ASSERT_EQUAL(5, cr->errors()[0].column);
    }

    void testColumnsCountCharacters() {
        // Columns count code points, as CPython's SyntaxError.offset does.
        auto r = parse("s = '\xC3\xA9\xC3\xA9' $\n", "<utf8>");
        CPPUNIT_ASSERT_EQUAL(10, r->errors()[0].column);
    }

    void testCacheReset() {
        Parser parser;
        parser.warmUp();
        parseValid("match x:\n    case [1, *r]: pass\n");
        CPPUNIT_ASSERT(Parser::cachedDfaStates() > 0);
        CPPUNIT_ASSERT(Parser::resetCaches() > 0);
        CPPUNIT_ASSERT_EQUAL(size_t(0), Parser::cachedDfaStates());
        // Parsing after a reset still works and rebuilds the caches.
        auto again = parser.parse("x = [a for a in b]\n", "<after-reset>");
        CPPUNIT_ASSERT(again->ok());
        CPPUNIT_ASSERT(Parser::cachedDfaStates() > 0);
    }

    void testReusableParser() {
        ParserOptions options;
        options.maxCachedDfaStates = 1;  // forces a reset every 64 parses
        Parser parser(options);
        for (int i = 0; i < 130; ++i) {
            auto r =
                parser.parse("def f" + std::to_string(i) + "(a, *, b): return a + b\n", "<loop>");
            CPPUNIT_ASSERT(r->ok());
            CPPUNIT_ASSERT_EQUAL(std::string("<loop>"), r->filename());
            CPPUNIT_ASSERT_EQUAL(size_t(1), r->lineCount());
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PyParseSourceTest);
