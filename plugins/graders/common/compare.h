#pragma once
// Output comparison for io tests, and a line diff for feedback. Pure functions: the student's
// output is compared here, in the grader, never executed.
#include <string>
#include <vector>

namespace assay::graders {

struct CompareSpec {
    std::string mode = "trailing_whitespace";  // exact, trailing_whitespace, whitespace,
                                               // case_insensitive, numeric, regex, unordered_lines
    double absTolerance = 0;
    double relTolerance = 0;
};

bool outputMatches(const std::string& expected, const std::string& actual, const CompareSpec& spec);

// "-" lines expected but missing, "+" lines printed but not expected, " " lines shared; at most
// `maxLines` lines of diff.
std::string lineDiff(const std::string& expected, const std::string& actual, size_t maxLines = 60);

}  // namespace assay::graders
