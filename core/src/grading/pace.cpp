#include "assay/core/grading/pace.h"

#include <algorithm>

namespace assay::grading {

int64_t paceSeconds(const std::vector<int64_t>& pace, int runsSoFar) {
    if (pace.empty() || runsSoFar < 0) return 0;
    return pace[std::min<size_t>(static_cast<size_t>(runsSoFar), pace.size() - 1)];
}

int64_t nextWaitSeconds(const std::vector<int64_t>& questionPace,
                        const std::vector<int64_t>& examPace, const PaceState& s) {
    return std::max(paceSeconds(questionPace, s.questionRuns), paceSeconds(examPace, s.examRuns));
}

int64_t msUntilAllowed(const std::vector<int64_t>& questionPace,
                       const std::vector<int64_t>& examPace, const PaceState& s, int64_t nowMs) {
    int64_t allowedAt = 0;
    if (s.lastQuestionRunMs)
        allowedAt = *s.lastQuestionRunMs + paceSeconds(questionPace, s.questionRuns) * 1000;
    if (s.lastExamRunMs)
        allowedAt =
            std::max(allowedAt, *s.lastExamRunMs + paceSeconds(examPace, s.examRuns) * 1000);
    return std::max<int64_t>(0, allowedAt - nowMs);
}

}  // namespace assay::grading
