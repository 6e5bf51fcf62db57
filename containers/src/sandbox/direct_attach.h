// A leaner way into a started container than liblxc's attach, for the hot path of a run:
// one fork that joins the container's cgroups and enters all its namespaces through a pidfd
// of its init (one setns call), then one clone for the run's process, which becomes the
// runner's child. liblxc still creates, configures and stops the containers.
#pragma once

#include "exec_in_sandbox.h"

#include <sys/types.h>
#include <string>
#include <vector>

namespace assay::containers {

class DirectAttach {
  public:
    // Opens a pidfd of `initPid` and the cgroup.procs file of each of its cgroups.
    // Throws std::runtime_error.
    explicit DirectAttach(pid_t initPid);
    ~DirectAttach();
    DirectAttach(const DirectAttach&) = delete;
    DirectAttach& operator=(const DirectAttach&) = delete;

    // Starts the run's process as uid/gid 1000 in /work with the given stdio, then
    // execInSandbox(payload). Returns its pid (a child of the caller) or -1.
    pid_t spawn(ExecPayload& payload, int stdinFd, int stdoutFd, int stderrFd);

  private:
    int pidfd_ = -1;
    std::vector<int> cgroupProcs_;  // open for writing; "0" moves the writer
};

}  // namespace assay::containers
