// Cyclomatic complexity from the model agrees with `radon cc -j` (Debian package radon)
// on every function, method and class of the standard library that radon reports.
// Known, explained disagreements are listed in kExplained; anything else fails.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "assay/pyparse/Model.h"
#include "assay/pyparse/Parser.h"

namespace fs = std::filesystem;
using namespace assay::pyparse;

namespace {

const char* const kStdlib = "/usr/lib/python3.11";

// "file:kind:qualified name:line" of blocks where the two are known to differ, with why.
const std::map<std::string, std::string> kExplained = {};

using Blocks = std::map<std::string, int>;  // "kind:name:line" -> complexity

std::string runRadon(const std::string& dir) {
    const std::string command = "radon cc -j " + dir + " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return {};
    std::string out;
    char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
        out.append(buffer, n);
    pclose(pipe);
    return out;
}

void radonBlock(const Poco::JSON::Object::Ptr& block, const std::string& prefix, Blocks& out) {
    const std::string type = block->getValue<std::string>("type");
    const std::string name = block->getValue<std::string>("name");
    const int line = block->getValue<int>("lineno");
    std::string qualified = prefix + name;
    if (type == "method") qualified = block->getValue<std::string>("classname") + "." + name;
    out[type + ":" + qualified + ":" + std::to_string(line)] = block->getValue<int>("complexity");
    if (auto closures = block->getArray("closures"))
        for (size_t i = 0; i < closures->size(); ++i)
            radonBlock(closures->getObject(i), qualified + ".", out);
}

void ourFunction(const Function& fn, const std::string& kind, const std::string& qualified,
                 Blocks& out) {
    out[kind + ":" + qualified + ":" + std::to_string(fn.at.line)] = fn.complexity;
    for (const auto& inner : fn.functions)
        ourFunction(*inner, "function", qualified + "." + inner->name, out);
}

Blocks ourBlocks(const Module& module) {
    Blocks out;
    for (const auto& fn : module.functions)
        ourFunction(*fn, "function", fn->name, out);
    for (const auto& cls : module.classes) {
        out["class:" + cls->name + ":" + std::to_string(cls->at.line)] = cls->complexity;
        for (const auto& m : cls->methods)
            ourFunction(*m, "method", cls->name + "." + m->name, out);
    }
    return out;
}

}  // namespace

class PyParseRadonTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PyParseRadonTest);
    CPPUNIT_TEST(testStandardLibrary);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testStandardLibrary() {
        const std::string json = runRadon(kStdlib);
        CPPUNIT_ASSERT_MESSAGE("radon produced no output (package radon installed?)",
                               json.size() > 1000);
        Poco::JSON::Parser parser;
        auto files = parser.parse(json).extract<Poco::JSON::Object::Ptr>();

        Parser python;
        std::ostringstream problems;
        size_t compared = 0, disagreements = 0, explained = 0, filesCompared = 0;
        std::set<std::string> unusedExplanations;
        for (const auto& [key, why] : kExplained)
            unusedExplanations.insert(key);
        for (const auto& [path, value] : *files) {
            auto blocks = files->getArray(path);
            if (!blocks) continue;  // radon could not read the file
            Blocks theirs;
            for (size_t i = 0; i < blocks->size(); ++i) {
                auto block = blocks->getObject(i);
                // Methods appear both inside their class and at top level; keep one.
                radonBlock(block, "", theirs);
            }
            std::ifstream in(path, std::ios::binary);
            const std::string source((std::istreambuf_iterator<char>(in)),
                                     std::istreambuf_iterator<char>());
            auto result = python.parse(source, path);
            if (!result->ok())
                continue;  // radon's Python accepted what 3.12 rejects; none expected
            const Blocks ours = ourBlocks(*buildModel(*result));
            ++filesCompared;
            const std::string relative = fs::relative(path, kStdlib).string();
            std::set<std::string> keys;
            for (const auto& [k, v] : theirs)
                keys.insert(k);
            for (const auto& [k, v] : ours)
                keys.insert(k);
            for (const auto& k : keys) {
                ++compared;
                auto a = theirs.find(k);
                auto b = ours.find(k);
                if (a != theirs.end() && b != ours.end() && a->second == b->second) continue;
                const std::string id = relative + ":" + k;
                if (kExplained.count(id)) {
                    ++explained;
                    unusedExplanations.erase(id);
                    continue;
                }
                ++disagreements;
                if (disagreements <= 60)
                    problems << "\n  " << id
                             << " radon=" << (a == theirs.end() ? "-" : std::to_string(a->second))
                             << " ours=" << (b == ours.end() ? "-" : std::to_string(b->second));
            }
        }
        std::cerr << "\n  " << filesCompared << " files, " << compared << " blocks compared, "
                  << explained << " explained differences\n";
        CPPUNIT_ASSERT_MESSAGE("only " + std::to_string(filesCompared) + " files compared",
                               filesCompared > 500);
        CPPUNIT_ASSERT_MESSAGE(
            std::to_string(disagreements) + " unexplained disagreements:" + problems.str(),
            disagreements == 0);
        CPPUNIT_ASSERT_MESSAGE("stale explanations: " + std::to_string(unusedExplanations.size()),
                               unusedExplanations.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PyParseRadonTest);
