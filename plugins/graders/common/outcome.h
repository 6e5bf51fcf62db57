#pragma once
// Shared by the graders: reading the manifest's limits, the sandbox nonce, and turning a
// process's fate into feedback a student can act on.
#include <assay/plugin/sdk.h>

#include <string>

namespace assay::graders {

struct RunLimits {
    double cpuSeconds = 2;
    double wallSeconds = 10;
    int64_t memoryBytes = 256ll << 20;
    int64_t outputBytes = 64 << 10;
};

RunLimits limitsFrom(const std::string& manifestJson);
std::string entryFrom(const std::string& manifestJson);
std::string newNonce();
// The text between the two nonce lines, or "" when the frame is missing or damaged.
std::string framed(const std::string& output, const std::string& nonce);
std::string lastLines(const std::string& text, size_t n);

}  // namespace assay::graders
