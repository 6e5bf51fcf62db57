// The five analyzers: rules and run functions (one source file each).
#pragma once

#include <vector>

#include "Analysis.h"
#include "Options.h"

namespace assay::analysis {

const std::vector<Rule>& metricsRules();
void runMetrics(const std::vector<SourceFile>& files, const Options& options,
                std::vector<Finding>& out);

const std::vector<Rule>& styleRules();
void runStyle(const std::vector<SourceFile>& files, const Options& options,
              std::vector<Finding>& out);

const std::vector<Rule>& correctnessRules();
void runCorrectness(const std::vector<SourceFile>& files, const Options& options,
                    std::vector<Finding>& out);

const std::vector<Rule>& securityRules();
void runSecurity(const std::vector<SourceFile>& files, const Options& options,
                 std::vector<Finding>& out);

const std::vector<Rule>& oopRules();
void runOop(const std::vector<SourceFile>& files, const Options& options,
            std::vector<Finding>& out);

}  // namespace assay::analysis
