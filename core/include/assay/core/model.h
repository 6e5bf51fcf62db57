#pragma once
// Domain records as the store returns them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace assay {

enum class Role { Admin, Instructor, Student };
const char* roleName(Role r);
std::optional<Role> parseRole(const std::string& s);

int64_t nowMs();
std::string isoTime(int64_t ms);  // 2026-11-22T02:10:00.123Z

struct User {
    int64_t id = 0;
    std::string username;
    std::string displayName;
    std::string email;
    Role role = Role::Student;
    bool mustChangePassword = false;
    bool disabled = false;
    int64_t createdAt = 0;
};

struct Course {
    int64_t id = 0;
    std::string code;
    std::string title;
    int64_t createdAt = 0;
};

struct Enrollment {
    int64_t courseId = 0;
    int64_t userId = 0;
    Role role = Role::Student;  // Instructor or Student within the course
};

struct Assignment {
    int64_t id = 0;
    int64_t courseId = 0;
    std::string slug;
    std::string title;
    int latestVersion = 0;
    std::optional<int> publishedVersion;
    int64_t createdAt = 0;
    int64_t updatedAt = 0;
};

using FileMap = std::map<std::string, std::string>;  // path inside the bundle -> bytes

struct AssignmentVersion {
    int64_t id = 0;
    int64_t assignmentId = 0;
    int version = 0;
    std::string manifestJson;
    FileMap files;
    int64_t createdAt = 0;
    std::optional<int64_t> publishedAt;
};

struct Submission {
    int64_t id = 0;
    int64_t assignmentId = 0;
    int64_t assignmentVersionId = 0;
    int64_t userId = 0;
    std::string kind;  // "run" (practice, feedback only) or "submit" (final)
    int ordinal = 0;   // the student's n-th submission of this kind for this assignment
    FileMap files;
    std::string status;  // queued, running, graded, failed
    std::optional<double> score;
    std::optional<double> maxScore;
    int64_t createdAt = 0;
    std::optional<int64_t> startedAt;
    std::optional<int64_t> finishedAt;
};

struct TestResult {
    std::string testName;
    bool passed = false;
    double points = 0;
    double maxPoints = 0;
    bool hidden = false;
    std::string feedback;
    std::string detailsJson;
};

struct Event {
    int64_t id = 0;
    int64_t at = 0;
    std::optional<int64_t> userId;
    std::string action;
    std::string target;
    std::string ip;
    std::string requestId;
    std::string detailsJson;
};

}  // namespace assay
