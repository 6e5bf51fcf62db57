// The work behind `assay sandbox run` and `assay sandbox status`, so the CLI stays a thin call.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace assay::containers {

struct SandboxRunOptions {
    std::string socketPath;             // empty: kDefaultRunnerSocket
    std::string dir;                    // every regular file below it goes into the work dir
    std::vector<std::string> argv;      // e.g. {"python3", "main.py"}
    std::optional<double> cpuSeconds;   // --time
    std::optional<double> wallSeconds;  // --wall
    std::optional<std::string> memory;  // --memory, e.g. "256M", "1G", "1048576"
    std::optional<std::string> stdinFile;
};

// Parses "512", "64K", "256M", "1G" (powers of 1024). Throws std::invalid_argument.
std::uint64_t parseSize(const std::string& text);

// Runs the job, prints the result as one JSON object on `out`. Returns 0 when the sandbox
// worked (whatever the verdict), 1 with a message on `err` when it did not.
int sandboxRun(const SandboxRunOptions& options, std::ostream& out, std::ostream& err);

// Prints the runner's status (pool, busy, counters) as JSON. Same exit convention.
int sandboxStatus(const std::string& socketPath, std::ostream& out, std::ostream& err);

}  // namespace assay::containers
