#pragma once
// The assignment manifest (`assignment.json`), documented in docs/assignment-format.md.
#include <optional>
#include <string>
#include <vector>

#include "assay/core/json.h"
#include "assay/core/model.h"

namespace assay::bundle {

enum class TestType { Io, Unittest };

struct TestSpec {
    std::string name;
    TestType type = TestType::Io;
    // io
    std::optional<std::string> stdinText, stdinFile, expectedText, expectedFile;
    std::string compare = "trailing_whitespace";
    double absTolerance = 0, relTolerance = 0;
    // unittest
    std::string file;
    // both
    double weight = 1;
    bool hidden = false;
    std::string feedback;
    std::vector<std::string> requires_;  // names of tests that must pass first
    bool requiresAny = false;            // true: any one of requires_, false: all
};

struct Limits {
    double cpuSeconds = 2;
    double wallSeconds = 10;
    int64_t memoryMb = 256;
    int64_t outputKb = 64;
};

struct Manifest {
    int format = 1;
    std::string id;  // slug, unique within a course
    std::string title;
    std::string statement;  // path of the Markdown statement
    std::string language = "python3";
    std::string entry = "main.py";
    std::vector<std::string> starter;   // paths in the bundle
    std::vector<std::string> solution;  // paths in the bundle
    std::vector<TestSpec> tests;
    Limits limits;
    std::vector<int64_t> pace;  // seconds to wait before the n-th run
    std::vector<std::string> skills;
    double maxScore = 100;
};

// Parses and validates the manifest alone (types, ranges, names, references between tests).
// Throws ApiError 400 with a stable code: invalid_json, unknown_field, missing_field,
// invalid_field, invalid_manifest.
Manifest parseManifest(std::string_view text);
json::Object toJson(const Manifest& m);

// Checks that every file the manifest names is present in `files`.
void checkFiles(const Manifest& m, const FileMap& files);

// Safe relative path: no absolute path, no "..", no backslash, no NUL or control characters.
bool isSafePath(const std::string& path);

}  // namespace assay::bundle
