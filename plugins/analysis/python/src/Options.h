// Per-request options, read from AnalysisRequest::optionsJson.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace assay::analysis {

// One OOP rubric item: {"id", "check", "class", "base", "method", "points"}.
struct RubricItem {
    std::string id;
    std::string check;  // class_exists, inherits, abstract, overrides, polymorphic,
                        // encapsulation, no_module_state
    std::string className;
    std::string base;
    std::string method;
    double points = 1;
};

struct Options {
    int maxLineLength = 79;
    int maxComplexity = 10;
    int maxNesting = 4;
    int maxFunctionLength = 50;
    std::set<std::string> analyzers;  // empty: all
    std::vector<RubricItem> rubric;
};

// Parses the options object; unknown keys are ignored, wrong types throw std::invalid_argument.
Options parseOptions(const std::string& json);

}  // namespace assay::analysis
