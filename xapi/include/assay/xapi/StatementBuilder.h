// Builds the statements Assay emits for student events. Every statement validates under
// xAPI 1.0.3 and 2.0; ids are derived from the event so a retried delivery never duplicates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

namespace assay::xapi {

struct BuilderConfig {
    std::string publicUrl;       // the appliance's public base URL, e.g. https://assay.example.edu
    std::string vocabularyBase;  // empty: <publicUrl>/xapi/vocab/
    std::string platform = "Assay";
    std::string language = "en";  // language of names in definitions and verb displays
};

// The student as the LMS knows them: joins with the LMS's own statements.
struct Learner {
    std::string lmsIssuer;  // LTI platform issuer: becomes account.homePage
    std::string ltiUserId;  // LTI "sub": becomes account.name
    std::string name;       // optional display name
};

struct CourseRef {
    std::string id;  // Assay's course id
    std::string title;
};

struct AssignmentRef {
    std::string id;  // Assay's assignment id
    std::string title;
    CourseRef course;
};

// What happened, to whom, where and when. `eventId` is unique per event (e.g. the outbox
// row); `attemptId` identifies the attempt and becomes the context registration.
struct StudentEvent {
    Learner learner;
    AssignmentRef assignment;
    std::string attemptId;
    std::string eventId;
    int64_t timestampMillis = 0;
};

struct TestOutcome {
    std::string name;  // test name as the instructor wrote it
};

// One practice run (Run button).
struct RunResult {
    std::string runId;
    double points = 0;     // points earned
    double maxPoints = 0;  // points possible (> 0)
    bool success = false;  // all tests passed
    int64_t durationMillis = 0;
    int testsRun = 0;
    std::vector<TestOutcome> failingTests;
};

// A grade of a submission.
struct Grade {
    std::string submissionId;
    double points = 0;
    double maxPoints = 0;  // > 0
    bool passed = false;
};

class StatementBuilder {
  public:
    explicit StatementBuilder(BuilderConfig config);

    Poco::JSON::Object::Ptr launched(const StudentEvent& e) const;
    Poco::JSON::Object::Ptr attempted(const StudentEvent& e) const;
    Poco::JSON::Object::Ptr practiceRun(const StudentEvent& e, const RunResult& run) const;
    Poco::JSON::Object::Ptr submitted(const StudentEvent& e, const std::string& submissionId) const;
    Poco::JSON::Object::Ptr scored(const StudentEvent& e, const Grade& grade) const;
    // "passed" or "failed" according to grade.passed.
    Poco::JSON::Object::Ptr passedOrFailed(const StudentEvent& e, const Grade& grade) const;
    Poco::JSON::Object::Ptr completed(const StudentEvent& e) const;

    // Stable IRIs.
    std::string courseIri(const std::string& courseId) const;
    std::string assignmentIri(const std::string& assignmentId) const;
    std::string testIri(const std::string& assignmentId, const std::string& testName) const;
    std::string vocabulary(std::string_view term) const;  // vocabularyBase + term

    // Name-based UUIDs: the registration of an attempt and the id of an event's statement.
    std::string registrationFor(const std::string& attemptId) const;
    std::string statementIdFor(const std::string& eventId, std::string_view verb) const;

    // ISO 8601 duration for milliseconds ("PT1.25S"), at 0.01 s precision.
    static std::string duration(int64_t millis);

  private:
    Poco::JSON::Object::Ptr base(const StudentEvent& e, std::string_view verb,
                                 std::string_view display) const;
    Poco::JSON::Object::Ptr score(double points, double maxPoints) const;
    Poco::JSON::Object::Ptr languageMap(const std::string& text) const;
    // Adds context.extensions[<vocabulary term>] = value unless value is empty.
    void addContextExtension(Poco::JSON::Object& statement, std::string_view term,
                             const std::string& value) const;

    BuilderConfig config_;
};

}  // namespace assay::xapi
