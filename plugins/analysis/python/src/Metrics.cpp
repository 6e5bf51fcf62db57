// metrics: cyclomatic complexity (radon's count, from the model), nesting depth, function
// length and the maintainability index of each file.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <set>
#include <sstream>

#include "Checks.h"
#include "Walk.h"
#include "antlr4-runtime.h"
#include "assay/pyparse/Tree.h"

namespace assay::analysis {

const std::vector<Rule>& metricsRules() {
    static const std::vector<Rule> rules{
        {"metrics/complexity", "A function or class has more independent paths than the limit"},
        {"metrics/nesting", "Blocks are nested deeper than the limit"},
        {"metrics/function-length", "A function is longer than the limit"},
        {"metrics/maintainability", "The file's maintainability index is low"},
        {"metrics/summary", "Figures for every function and class (informational)"},
    };
    return rules;
}

namespace {

using pyparse::PyLexer;

// Halstead volume over the default-channel tokens: names, numbers and strings are
// operands, everything else (operators, keywords, brackets) operators.
double halsteadVolume(const SourceFile& f) {
    std::set<std::string> distinct;
    size_t total = 0;
    for (auto* t : f.tokens) {
        const size_t type = t->getType();
        if (type == PyLexer::NEWLINE || type == PyLexer::INDENT || type == PyLexer::DEDENT)
            continue;
        distinct.insert(t->getText());
        ++total;
    }
    if (total == 0 || distinct.size() < 2) return 0;
    return static_cast<double>(total) * std::log2(static_cast<double>(distinct.size()));
}

int commentLines(const SourceFile& f) {
    int n = 0;
    for (const auto& l : f.lines) {
        const auto p = l.find_first_not_of(" \t");
        if (p != std::string::npos && l[p] == '#') ++n;
    }
    return n;
}

int sourceLines(const SourceFile& f) {
    int n = 0;
    for (const auto& l : f.lines)
        n += l.find_first_not_of(" \t\f\r") != std::string::npos;
    return n;
}

}  // namespace

// SEI maintainability index, scaled to 0..100 as radon reports it.
double maintainabilityIndex(const SourceFile& f, int totalComplexity) {
    const int sloc = sourceLines(f);
    if (sloc == 0) return 100;
    const double volume = halsteadVolume(f);
    const double commentRatio = static_cast<double>(commentLines(f)) / sloc;
    double mi = 171 - 5.2 * std::log(std::max(volume, 1.0)) - 0.23 * totalComplexity -
                16.2 * std::log(static_cast<double>(sloc)) +
                50 * std::sin(std::sqrt(2.4 * commentRatio));
    mi = mi * 100 / 171;
    return std::clamp(mi, 0.0, 100.0);
}

void runMetrics(const std::vector<SourceFile>& files, const Options& options,
                std::vector<Finding>& out) {
    for (const auto& f : files) {
        int total = 0;
        Poco::JSON::Array::Ptr fns = new Poco::JSON::Array;
        forEachFunction(*f.model, [&](const pyparse::Function& fn) {
            const int length = fn.endLine - fn.at.line + 1;
            total += fn.complexity;
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            o->set("name", fn.qualifiedName);
            o->set("line", fn.at.line);
            o->set("complexity", fn.complexity);
            o->set("nesting", fn.nesting);
            o->set("length", length);
            fns->add(o);
            if (fn.complexity > options.maxComplexity) {
                out.push_back(
                    {"metrics/complexity", "warning",
                     "Function '" + fn.qualifiedName + "' has a cyclomatic complexity of " +
                         std::to_string(fn.complexity) + " (limit " +
                         std::to_string(options.maxComplexity) +
                         "): it has many branches, which makes it hard to test. Move parts of it "
                         "into smaller helper functions, or replace long if/elif chains with a "
                         "dictionary lookup.",
                     f.path, fn.at.line, fn.at.column, fn.endLine});
            }
            if (fn.nesting > options.maxNesting) {
                out.push_back(
                    {"metrics/nesting", "warning",
                     "Function '" + fn.qualifiedName + "' nests blocks " +
                         std::to_string(fn.nesting) + " levels deep (limit " +
                         std::to_string(options.maxNesting) +
                         "). Return early for special cases, or move the inner loop into a "
                         "function of its own.",
                     f.path, fn.at.line, fn.at.column, fn.endLine});
            }
            if (length > options.maxFunctionLength) {
                out.push_back({"metrics/function-length", "note",
                               "Function '" + fn.qualifiedName + "' is " + std::to_string(length) +
                                   " lines long (limit " +
                                   std::to_string(options.maxFunctionLength) +
                                   "). Split it into steps with a function for each step.",
                               f.path, fn.at.line, fn.at.column, fn.endLine});
            }
        });
        Poco::JSON::Array::Ptr classes = new Poco::JSON::Array;
        forEachClass(*f.model, [&](const pyparse::Class& c) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            o->set("name", c.qualifiedName);
            o->set("line", c.at.line);
            o->set("complexity", c.complexity);
            classes->add(o);
            if (c.complexity > options.maxComplexity) {
                out.push_back({"metrics/complexity", "warning",
                               "Class '" + c.qualifiedName + "' has an average complexity of " +
                                   std::to_string(c.complexity) + " per method (limit " +
                                   std::to_string(options.maxComplexity) +
                                   "). Simplify its methods or split the class by responsibility.",
                               f.path, c.at.line, c.at.column, c.endLine});
            }
        });
        const double mi = maintainabilityIndex(f, total);
        if (mi < 20) {
            std::ostringstream m;
            m.precision(1);
            m << std::fixed << "The maintainability index of this file is " << mi
              << " out of 100 (below 20 is hard to maintain). Shorter functions, fewer branches "
                 "and "
                 "comments that explain intent raise it.";
            out.push_back({"metrics/maintainability", "note", m.str(), f.path, 1, 1});
        }
        Poco::JSON::Object::Ptr props = new Poco::JSON::Object;
        props->set("functions", fns);
        props->set("classes", classes);
        props->set("maintainabilityIndex", std::round(mi * 100) / 100);
        props->set("lines", f.model->lines);
        std::ostringstream json;
        Poco::JSON::Stringifier::stringify(props, json);
        Finding summary{"metrics/summary", "none", "Metrics of " + f.path + ".", f.path, 1, 1};
        summary.kind = "informational";
        summary.propertiesJson = json.str();
        out.push_back(std::move(summary));
    }
}

}  // namespace assay::analysis
