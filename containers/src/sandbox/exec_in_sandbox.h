// The last steps of every run's process, inside the container: limits, signals, descriptors,
// seccomp, then execve with the run's fixed environment.
#pragma once

#include <sys/resource.h>

namespace assay::containers {

class SeccompFilter;

struct ExecPayload {
    char** argv;                   // argv[0] looked up in the sandbox PATH
    const SeccompFilter* seccomp;  // installed right before execve; nullptr: inherited
    rlim_t cpuSeconds;             // RLIMIT_CPU soft limit (hard: one more)
    rlim_t fileSize;               // RLIMIT_FSIZE
    bool resetSignals;             // default dispositions, nothing blocked (false: inherited)
};

// Never returns (execve, or _exit 126/127). Async-signal-safe: it runs in a forked child.
// Takes void* to serve as liblxc's lxc_attach_exec_t.
int execInSandbox(void* payload);

}  // namespace assay::containers
