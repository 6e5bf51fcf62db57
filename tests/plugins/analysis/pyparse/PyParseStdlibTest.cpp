// Every .py file of the installed CPython standard library (with its test suite)
// parses without a syntax error, except the files that are invalid on purpose; those
// must be rejected, as CPython rejects them.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "assay/pyparse/Parser.h"

namespace fs = std::filesystem;

namespace {

const char* const kStdlib = "/usr/lib/python3.11";

// Files (relative to the stdlib root) that CPython itself refuses to compile.
const std::map<std::string, std::string> kInvalidOnPurpose = {
    {"lib2to3/tests/data/bom.py", "Python 2 print statement (lib2to3 fixer input)"},
    {"lib2to3/tests/data/crlf.py", "Python 2 print statement (lib2to3 fixer input)"},
    {"lib2to3/tests/data/different_encoding.py", "Python 2 print statement (lib2to3 fixer input)"},
    {"lib2to3/tests/data/false_encoding.py", "Python 2 print statement (lib2to3 fixer input)"},
    {"lib2to3/tests/data/py2_test_grammar.py",
     "Python 2 grammar test data (octal literals, print, exec)"},
    {"test/bad_coding.py", "declares the unknown encoding 'uft-8'"},
    {"test/bad_coding2.py", "UTF-8 BOM together with a 'utf8' cookie"},
    {"test/badsyntax_3131.py", "identifier with a non-identifier character (PEP 3131 test)"},
    {"test/badsyntax_future3.py", "unknown __future__ feature"},
    {"test/badsyntax_future4.py", "__future__ import after other code"},
    {"test/badsyntax_future5.py", "__future__ import after other code"},
    {"test/badsyntax_future6.py", "__future__ import after other code"},
    {"test/badsyntax_future7.py", "__future__ import after other code on the same line"},
    {"test/badsyntax_future8.py", "'from __future__ import *'"},
    {"test/badsyntax_future9.py", "'from __future__ import braces'"},
    {"test/badsyntax_future10.py", "__future__ import after other code"},
    {"test/badsyntax_pep3120.py", "Latin-1 bytes without an encoding declaration (PEP 3120 test)"},
};

}  // namespace

class PyParseStdlibTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PyParseStdlibTest);
    CPPUNIT_TEST(testStandardLibrary);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testStandardLibrary() {
        CPPUNIT_ASSERT_MESSAGE(
            std::string(kStdlib) + " is missing (see packaging/deps/analysis.txt)",
            fs::is_directory(kStdlib));
        std::vector<fs::path> files;
        for (const auto& entry : fs::recursive_directory_iterator(kStdlib)) {
            if (entry.is_regular_file() && entry.path().extension() == ".py")
                files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        // Guards against a walk that silently finds nothing.
        CPPUNIT_ASSERT_MESSAGE("only " + std::to_string(files.size()) + " files found",
                               files.size() > 500);

        assay::pyparse::Parser parser;
        std::ostringstream problems;
        size_t failures = 0, rejected = 0, lines = 0;
        for (const auto& path : files) {
            std::ifstream in(path, std::ios::binary);
            const std::string source((std::istreambuf_iterator<char>(in)),
                                     std::istreambuf_iterator<char>());
            const auto result = parser.parse(source, path.string());
            lines += result->lineCount();
            const std::string relative = fs::relative(path, kStdlib).string();
            const bool invalid = kInvalidOnPurpose.count(relative) > 0;
            if (invalid && result->ok()) {
                ++failures;
                problems << "\n  " << relative << ": accepted, but CPython rejects it ("
                         << kInvalidOnPurpose.at(relative) << ")";
            } else if (!invalid && !result->ok()) {
                const auto& e = result->errors().front();
                ++failures;
                problems << "\n  " << relative << ":" << e.line << ":" << e.column << ": " << e.kind
                         << ": " << e.message;
            }
            rejected += invalid;
        }
        std::cerr << "\n  " << files.size() << " files, " << lines << " lines, " << rejected
                  << " rejected on purpose\n";
        CPPUNIT_ASSERT_MESSAGE(std::to_string(failures) + " of " + std::to_string(files.size()) +
                                   " files misparsed:" + problems.str(),
                               failures == 0);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PyParseStdlibTest);
