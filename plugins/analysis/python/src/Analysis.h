// Shared types of the Python analyzers: one parsed file in, findings out.
#pragma once

#include <string>
#include <vector>

#include "assay/pyparse/Model.h"
#include "assay/pyparse/Parser.h"

namespace antlr4 {
class Token;
}

namespace assay::analysis {

// One finding, ready for SARIF: rule id, level and a message meant for students.
struct Finding {
    std::string ruleId;  // "<analyzer>/<rule>", e.g. "style/line-too-long"
    std::string level;   // "error", "warning", "note" or "none"
    std::string message;
    std::string file;
    int line = 1;
    int column = 1;
    int endLine = 0;             // 0: same as line
    std::string kind = "fail";   // SARIF result kind: "fail", "pass", "informational"
    std::string propertiesJson;  // optional JSON object for result.properties
};

// A rule an analyzer can report, for tool.driver.rules.
struct Rule {
    std::string id;
    std::string summary;
};

// One parsed file with its model and default-channel tokens.
struct SourceFile {
    std::string path;
    const pyparse::ParseResult* parse = nullptr;
    const pyparse::Module* model = nullptr;
    std::vector<antlr4::Token*> tokens;  // default channel, EOF excluded
    std::vector<std::string> lines;      // decoded text split at '\n'
};

struct Options;  // per-request options, see Options.h

// An analyzer: a name (tool component), its rules, and a pure function over files.
struct AnalyzerSpec {
    std::string name;  // "metrics", "style", ...
    const std::vector<Rule>& (*rules)();
    void (*run)(const std::vector<SourceFile>& files, const Options& options,
                std::vector<Finding>& out);
};

const std::vector<AnalyzerSpec>& analyzers();

// Prepares a SourceFile (tokens, lines) for a parse result and its model.
SourceFile prepare(std::string path, const pyparse::ParseResult& parse,
                   const pyparse::Module& model);

// Token helpers.
int lineOf(const antlr4::Token* t);
int columnOf(const antlr4::Token* t);  // 1-based
bool isText(const antlr4::Token* t, const char* text);

}  // namespace assay::analysis
