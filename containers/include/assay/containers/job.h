// What a sandbox run is asked to do (Job) and what came of it (RunResult).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace assay::containers {

// One file placed in the run's work dir. `path` is relative ("pkg/mod.py"), no "..".
struct JobFile {
    std::string path;
    std::string content;  // raw bytes
    bool executable = false;
};

// Resource limits of one run. Zero means "use the runner's default".
struct Limits {
    std::uint64_t cpuMs = 0;          // CPU time of all processes of the run
    std::uint64_t wallMs = 0;         // wall-clock time from start to exit
    std::uint64_t memoryBytes = 0;    // cgroup memory (+swap) limit
    std::uint64_t outputBytes = 0;    // cap per stream (stdout, stderr)
    std::uint64_t pids = 0;           // tasks alive at once
    std::uint64_t fileSizeBytes = 0;  // RLIMIT_FSIZE
    std::uint64_t tmpfsBytes = 0;     // size of the work dir + /tmp tmpfs
};

struct Job {
    std::vector<JobFile> files;
    std::vector<std::string> argv;  // argv[0] is looked up in the sandbox PATH
    std::string stdinData;
    Limits limits;
};

// The closed set of outcomes. SandboxError is the sandbox's own failure, never the student's.
enum class Verdict {
    Ok,
    RuntimeError,
    CpuTimeExceeded,
    WallTimeExceeded,
    MemoryExceeded,
    OutputExceeded,
    SandboxError,
};

const char* verdictName(Verdict v);
std::optional<Verdict> verdictFromName(const std::string& name);
const std::vector<Verdict>& allVerdicts();

struct RunResult {
    Verdict verdict = Verdict::SandboxError;
    int exitCode = -1;  // -1 when killed by a signal or never started
    int signal = 0;     // terminating signal, 0 if none
    std::string stdoutData;
    std::string stderrData;
    bool truncated = false;  // stdout or stderr hit the output cap
    std::uint64_t wallMs = 0;
    std::uint64_t cpuMs = 0;
    std::uint64_t memoryKb = 0;  // peak of the run's cgroup
    std::string errorMessage;    // set with SandboxError: what failed
};

}  // namespace assay::containers
