// Differential test against CPython: mutated fragments of the standard library
// (mutate_stdlib.py, fixed seed) are compiled by python3 and parsed here. Every
// accept/reject verdict must agree; the reported error (message, line, column) must
// agree for at least 93% of the rejected fragments (95.5% with Debian's python3.11 when
// this was written, leaving room for other 3.11 patch releases; the
// rest are CPython's second-pass messages whose choice depends on how far its PEG
// parser looked ahead).
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "assay/pyparse/Parser.h"

namespace fs = std::filesystem;

class PyParseDifferentialTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PyParseDifferentialTest);
    CPPUNIT_TEST(testMutatedStdlibFragments);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testMutatedStdlibFragments() {
        const char* source = std::getenv("ASSAY_SOURCE_DIR");
        CPPUNIT_ASSERT_MESSAGE("ASSAY_SOURCE_DIR is not set", source != nullptr);
        const fs::path script =
            fs::path(source) / "tests/plugins/analysis/pyparse/mutate_stdlib.py";
        const fs::path dir =
            fs::temp_directory_path() / ("assay_pyparse_mutations_" + std::to_string(::getpid()));
        const std::string python = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        const std::string command = python + " " + script.string() + " " + dir.string() + " 1500 7";
        CPPUNIT_ASSERT_EQUAL_MESSAGE(command, 0, std::system(command.c_str()));

        std::ifstream verdicts(dir / "verdicts.tsv");
        std::string row;
        size_t total = 0, rejected = 0, sameError = 0;
        std::ostringstream verdictProblems;
        size_t verdictFailures = 0;
        assay::pyparse::Parser parser;
        while (std::getline(verdicts, row)) {
            std::vector<std::string> fields;
            std::istringstream split(row);
            for (std::string field; std::getline(split, field, '\t');)
                fields.push_back(field);
            std::ifstream in(dir / fields[0], std::ios::binary);
            const std::string text((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
            const auto result = parser.parse(text, fields[0]);
            ++total;
            const bool pythonAccepts = fields.size() == 2 && fields[1] == "ok";
            if (pythonAccepts != result->ok()) {
                ++verdictFailures;
                verdictProblems << "\n  " << fields[0] << ": python "
                                << (pythonAccepts ? "accepts" : "rejects (" + row + ")") << ", we "
                                << (result->ok() ? "accept"
                                                 : "reject: " + result->errors()[0].message);
                continue;
            }
            if (pythonAccepts || fields.size() < 5) continue;
            ++rejected;
            const auto& e = result->errors().front();
            sameError += std::to_string(e.line) == fields[1] &&
                         std::to_string(e.column) == fields[2] && e.kind == fields[3] &&
                         e.message == fields[4];
        }
        fs::remove_all(dir);
        std::cerr << "\n  " << total << " fragments, " << rejected << " rejected by both, "
                  << sameError << " with the same error\n";
        CPPUNIT_ASSERT_EQUAL(size_t(1500), total);
        CPPUNIT_ASSERT_MESSAGE(
            std::to_string(verdictFailures) + " verdicts differ:" + verdictProblems.str(),
            verdictFailures == 0);
        CPPUNIT_ASSERT_MESSAGE(
            std::to_string(sameError) + " of " + std::to_string(rejected) + " errors agree",
            sameError * 100 >= rejected * 93);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PyParseDifferentialTest);
