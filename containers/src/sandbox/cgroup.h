// The cgroup of one container, seen from the host: limits, per-run counters and kill-all.
// Works on cgroup v1 (one hierarchy per controller) and v2 (the unified hierarchy).
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace assay::containers {

enum class CgroupVersion { V1, V2 };

// The version the host runs: v2 when /sys/fs/cgroup is the unified hierarchy.
CgroupVersion hostCgroupVersion();

class ContainerCgroup {
  public:
    virtual ~ContainerCgroup() = default;

    // The cgroup(s) that `pid` (the container's init) belongs to. Throws std::runtime_error.
    static std::unique_ptr<ContainerCgroup> forPid(pid_t pid);

    virtual void setMemoryLimit(std::uint64_t bytes) = 0;  // memory and memory+swap
    virtual void setPidsLimit(std::uint64_t pids) = 0;
    // Starts a run's accounting: resets (v1) or records a baseline (v2) of the counters.
    virtual void beginRun() = 0;
    virtual std::uint64_t cpuUsageUs() = 0;  // CPU time used since beginRun
    virtual std::uint64_t
    peakMemoryBytes() = 0;                 // peak since beginRun (v2 without reset: whole life)
    virtual std::uint64_t oomKills() = 0;  // OOM kills since beginRun

    // SIGKILLs every process except those in `keep` (init and the container's helper), with
    // the cgroup frozen so that nothing can fork meanwhile; returns true when only those are
    // left within the timeout.
    virtual bool killAllExcept(const std::vector<pid_t>& keep, int timeoutMs) = 0;
};

// The cgroup.procs file of every hierarchy `pid` belongs to (v1: one per controller and the
// named ones; v2: one). Writing "0" to each moves the writer into all of that process's cgroups.
std::vector<std::string> cgroupProcsFiles(pid_t pid);

// Small file helpers shared by the cgroup implementations.
std::string readSmallFile(const std::string& path);
bool writeSmallFile(const std::string& path, const std::string& value);

}  // namespace assay::containers
