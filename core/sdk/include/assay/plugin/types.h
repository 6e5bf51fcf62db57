#pragma once
// Plain data that crosses the plugin boundary. JSON travels as text so a plugin may use any
// JSON library it likes; nothing of the host's internals appears here.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace assay::plugin {

struct File {
    std::string path;     // relative, '/'-separated
    std::string content;  // bytes
};

// A job for the sandbox (graders only). Limits of 0 take the assignment's limits.
struct SandboxJob {
    std::vector<File> files;
    std::vector<std::string> argv;  // e.g. {"python3", "main.py"}
    std::string stdinText;
    double cpuSeconds = 0;
    double wallSeconds = 0;
    int64_t memoryBytes = 0;
    int64_t outputBytes = 0;
};

struct SandboxResult {
    // ok, runtime_error, cpu_time_exceeded, wall_time_exceeded, memory_exceeded,
    // output_exceeded, sandbox_error
    std::string verdict;
    int exitCode = 0;
    int signal = 0;
    std::string stdoutText;
    std::string stderrText;
    bool truncated = false;
    int64_t wallMs = 0;
    int64_t cpuMs = 0;
    int64_t memoryKb = 0;
    std::string error;  // for sandbox_error: what went wrong (never the student's fault)
};

struct TestSpec {
    std::string name;
    std::string type;      // "io", "unittest", or a type a vendor grader declares
    std::string specJson;  // the test's object from the assignment manifest
    double weight = 1;
    bool hidden = false;
};

struct GradeRequest {
    int64_t submissionId = 0;
    std::string kind;  // "run" or "submit"
    std::vector<File> studentFiles;
    std::vector<File> assignmentFiles;  // tests, data files (never shown to students)
    std::string manifestJson;
    std::vector<TestSpec> tests;  // the tests this grader is asked to run
};

struct TestOutcome {
    std::string name;
    std::string status;       // "passed", "failed", or "error" (the test itself could not run)
    double fraction = 0;      // share of the test's weight earned, 0..1
    std::string feedback;     // for the student: what is wrong and how to fix it
    std::string detailsJson;  // e.g. {"diff": "...", "stdout": "..."}
};

struct GradeResult {
    std::vector<TestOutcome> tests;
};

struct AnalysisRequest {
    std::vector<File> files;
    std::string optionsJson = "{}";  // per-assignment options (e.g. an OOP rubric)
    int64_t budgetMs = 0;            // 0: no budget
};

struct AnalysisResult {
    std::string sarifRunJson;  // one SARIF 2.1.0 "run" object
    bool complete = true;      // false when the budget ran out
};

struct RecommendRequest {
    int64_t userId = 0;
    int64_t courseId = 0;
    std::string historyJson;  // the student's recent results and skills
};

struct Recommendation {
    std::string target;  // e.g. an assignment slug or a resource URL
    std::string reason;
    double score = 0;
};

struct Event {
    int64_t id = 0;
    std::string type;  // "submission.created", "submission.graded", "assignment.published", ...
    std::string payloadJson;
    int64_t atMs = 0;
};

using Labels = std::map<std::string, std::string>;

}  // namespace assay::plugin
