// Writing findings as one SARIF 2.1.0 run.
#pragma once

#include <string>
#include <vector>

#include "Analysis.h"

namespace assay::analysis {

struct RunStatus {
    std::vector<std::string> finished;
    std::vector<std::string> unfinished;
};

// The run object: tool.driver "assay.analyzer.python" with every analyzer's rules,
// results in the order given, and an invocation that notes analyzers cut off by the budget.
std::string sarifRun(const std::vector<Finding>& findings, const RunStatus& status);

// Wraps runs (JSON objects) into a complete SARIF log.
std::string sarifLog(const std::vector<std::string>& runs);

}  // namespace assay::analysis
