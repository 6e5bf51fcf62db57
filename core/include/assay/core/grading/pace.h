#pragma once
// Pacing of practice runs: arrays of seconds a student waits before the n-th run, one per
// question and one for the whole exam (all questions together); the longer wait wins.
// Edgar's example: question [0, 5, 10, 15] and exam [0, 0, 30, 40]; after the first run of
// question 1 the next waits 5 s, after its second 30 s, after question 2's first 40 s.
#include <cstdint>
#include <optional>
#include <vector>

namespace assay::grading {

struct PaceState {
    int questionRuns = 0;  // runs of this question so far
    int examRuns = 0;      // runs of all the exam's questions so far
    std::optional<int64_t> lastQuestionRunMs;
    std::optional<int64_t> lastExamRunMs;
};

// Seconds before the run with 0-based index `runsSoFar`; past the end, the last value holds.
int64_t paceSeconds(const std::vector<int64_t>& pace, int runsSoFar);

// The wait, in seconds, that applies to the next run (what the student is shown).
int64_t nextWaitSeconds(const std::vector<int64_t>& questionPace,
                        const std::vector<int64_t>& examPace, const PaceState& s);

// Milliseconds from `nowMs` until the next run is allowed; 0 when it may run now.
int64_t msUntilAllowed(const std::vector<int64_t>& questionPace,
                       const std::vector<int64_t>& examPace, const PaceState& s, int64_t nowMs);

}  // namespace assay::grading
