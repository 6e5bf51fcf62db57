// The IRIs Assay's statements use. docs/xapi.md describes each one.
#pragma once

#include <string>
#include <string_view>

namespace assay::xapi::vocab {

// Verbs from the ADL vocabulary.
inline constexpr std::string_view kLaunched = "http://adlnet.gov/expapi/verbs/launched";
inline constexpr std::string_view kAttempted = "http://adlnet.gov/expapi/verbs/attempted";
inline constexpr std::string_view kScored = "http://adlnet.gov/expapi/verbs/scored";
inline constexpr std::string_view kPassed = "http://adlnet.gov/expapi/verbs/passed";
inline constexpr std::string_view kFailed = "http://adlnet.gov/expapi/verbs/failed";
inline constexpr std::string_view kCompleted = "http://adlnet.gov/expapi/verbs/completed";
inline constexpr std::string_view kVoided = "http://adlnet.gov/expapi/verbs/voided";
// Activity Streams "submit", as listed in the xAPI registry.
inline constexpr std::string_view kSubmitted = "http://activitystrea.ms/schema/1.0/submit";

// Activity types from the ADL vocabulary.
inline constexpr std::string_view kCourseType = "http://adlnet.gov/expapi/activities/course";
inline constexpr std::string_view kAssessmentType =
    "http://adlnet.gov/expapi/activities/assessment";

// Terms of Assay's own vocabulary, relative to the configured vocabulary base
// (by default <public URL>/xapi/vocab/).
inline constexpr std::string_view kRanTerm = "verbs/ran";
inline constexpr std::string_view kTestCaseTypeTerm = "activity-types/test-case";
inline constexpr std::string_view kFailingTestsTerm = "extensions/failing-tests";
inline constexpr std::string_view kTestsRunTerm = "extensions/tests-run";
inline constexpr std::string_view kRunIdTerm = "extensions/run-id";
inline constexpr std::string_view kSubmissionIdTerm = "extensions/submission-id";

// Namespace of the name-based UUIDs Assay derives (statement ids and registrations).
inline constexpr std::string_view kUuidNamespace = "a7c3f0d2-5b1e-4c8a-9d6f-2e4b8a1c0f37";

}  // namespace assay::xapi::vocab
