#pragma once
// Turns the graders' outcomes into the submission's results and score: weights, partial
// credit, dependencies between tests (AND / OR), feedback text, normalised to max_score.
#include <map>
#include <string>
#include <vector>

#include "assay/core/bundle/manifest.h"
#include "assay/core/model.h"
#include "assay/plugin/types.h"

namespace assay::grading {

struct Scored {
    std::vector<TestResult> results;  // in manifest order
    double score = 0;
    double maxScore = 0;
};

// `outcomes` by test name; a test with no outcome counts as not run (an error).
Scored applyRubric(const bundle::Manifest& m,
                   const std::map<std::string, plugin::TestOutcome>& outcomes);

}  // namespace assay::grading
