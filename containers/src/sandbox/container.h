// One started LXC container that runs jobs one at a time by attaching to it.
#pragma once

#include <assay/containers/job.h>
#include <assay/containers/sandbox/sandbox_config.h>

#include "cgroup.h"
#include "exec_in_sandbox.h"
#include "seccomp_filter.h"

#include <memory>
#include <string>

struct lxc_container;

namespace assay::containers {

// A helper process of a container and our end of its socket pair.
struct Helper {
    pid_t pid = -1;
    int fd = -1;
};

class Container {
  public:
    // Creates and starts the container `name`; throws std::runtime_error with liblxc's log tail.
    // The filter must outlive the container.
    Container(const SandboxConfig& config, std::string name, unsigned idmapBase,
              const SeccompFilter& seccomp);
    ~Container();  // stops it (kills everything) and releases the handle
    Container(const Container&) = delete;
    Container& operator=(const Container&) = delete;

    // Runs one job with already clamped limits. Never throws: failures become SandboxError.
    RunResult run(const Job& job, const Limits& limits);

    // Gets the container ready for the next job: an empty work dir of the last job's size
    // (`tmpfsBytes` before the first job). Called between runs so that a job's path holds no
    // mount work. Never throws (marks unhealthy).
    void recycle(std::uint64_t tmpfsBytes);

    // False once the container lost its init or kept processes after a run.
    bool healthy() const;
    // Why the container became unhealthy (empty while healthy or when init vanished).
    const std::string& failure() const { return failure_; }
    const std::string& name() const { return name_; }
    pid_t initPid() const { return initPid_; }

  private:
    void configure();
    // The container's helpers (helper.cpp): processes inside the container, one that resets
    // the work dir and one that starts runs.
    void startHelpers();
    void stopHelpers();
    void prepareWorkdir(std::uint64_t tmpfsBytes);  // an empty tmpfs at /work, /tmp, /dev/shm
    // Starts the run's process through the run starter: a child of the runner, inside the
    // container, as the student. Throws std::runtime_error.
    pid_t spawnRun(const std::vector<std::string>& argv, std::uint64_t cpuSeconds,
                   std::uint64_t fileSize, int stdinFd, int stdoutFd, int stderrFd);
    static std::size_t maxArgvBytes();  // the longest command line spawnRun takes
    // " (it ended at step N)" once the helper is gone, else "".
    static std::string helperExit(Helper& h);
    // The processes a run's end must leave alive: init and the helpers.
    std::vector<pid_t> keptPids() const { return {initPid_, workdirHelper_.pid, runStarter_.pid}; }
    void writeJobFiles(const Job& job);  // throws std::length_error when full
    RunResult execute(const Job& job, const Limits& limits);
    void endRun();  // kills every process but keptPids(); marks the container unhealthy on failure

    const SandboxConfig& config_;
    std::string name_;
    unsigned idmapBase_;
    const SeccompFilter& seccomp_;
    bool prepared_ = false;
    std::uint64_t preparedBytes_ = 0;
    Helper workdirHelper_, runStarter_;  // our children, inside the container
    lxc_container* lxc_ = nullptr;       // owned; released with lxc_container_put
    pid_t initPid_ = -1;
    int initPidfd_ = -1;  // readable once init has exited (a zombie included)
    std::unique_ptr<ContainerCgroup> cgroup_;
    bool healthy_ = true;
    std::string failure_;
    void markUnhealthy(const std::string& why) {
        healthy_ = false;
        if (failure_.empty()) failure_ = why;
    }
};

}  // namespace assay::containers
