#include "direct_attach.h"

#include "cgroup.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace assay::containers {
namespace {

constexpr int kNamespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET |
                            CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;

// The run's process, already in every namespace: drop to the student, wire stdio, exec.
[[noreturn]] void becomeRun(ExecPayload& payload, int in, int out, int err) {
    for (int cap = 0; cap <= CAP_LAST_CAP; ++cap)
        ::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
    if (::setgroups(0, nullptr) != 0 || ::setresgid(1000, 1000, 1000) != 0 ||
        ::setresuid(1000, 1000, 1000) != 0) {
        ::_exit(126);
    }
    if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
    if (::chdir("/work") != 0) ::_exit(126);
    execInSandbox(&payload);
    ::_exit(127);
}

// The short-lived middle process: join the cgroups, enter the namespaces, clone the run's
// process as a child of the runner and report its pid.
[[noreturn]] void middle(int pidfd, const std::vector<int>& procs, int report, ExecPayload& payload,
                         int in, int out, int err) {
    for (int fd : procs) {
        if (::write(fd, "0", 1) != 1) ::_exit(10);
    }
    if (::setns(pidfd, kNamespaces) != 0) ::_exit(11);
    const long child = ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, 0);
    if (child == 0) becomeRun(payload, in, out, err);
    if (child < 0) ::_exit(12);
    const pid_t pid = static_cast<pid_t>(child);
    ::_exit(::write(report, &pid, sizeof pid) == static_cast<ssize_t>(sizeof pid) ? 0 : 13);
}

}  // namespace

DirectAttach::DirectAttach(pid_t initPid) {
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, initPid, 0));
    if (pidfd_ < 0) throw std::runtime_error(std::string("pidfd_open: ") + std::strerror(errno));
    // Every hierarchy init belongs to (v1: one per controller, plus named ones; v2: one).
    std::istringstream in(readSmallFile("/proc/" + std::to_string(initPid) + "/cgroup"));
    std::string line;
    const bool v2 = hostCgroupVersion() == CgroupVersion::V2;
    while (std::getline(in, line)) {
        const auto a = line.find(':');
        const auto b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        std::string controllers = line.substr(a + 1, b - a - 1);
        const std::string path = line.substr(b + 1);
        std::string dir;
        if (controllers.empty()) {
            dir = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
        } else {
            if (controllers.rfind("name=", 0) == 0) controllers = controllers.substr(5);
            dir = "/sys/fs/cgroup/" + controllers;
        }
        const int fd = ::open((dir + path + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
        if (fd >= 0) cgroupProcs_.push_back(fd);
    }
    if (cgroupProcs_.empty())
        throw std::runtime_error("direct attach: no cgroup of the container is writable");
}

DirectAttach::~DirectAttach() {
    for (int fd : cgroupProcs_)
        ::close(fd);
    if (pidfd_ >= 0) ::close(pidfd_);
}

pid_t DirectAttach::spawn(ExecPayload& payload, int stdinFd, int stdoutFd, int stderrFd) {
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) return -1;
    const pid_t mid = ::fork();
    if (mid == 0) {
        ::close(report[0]);
        middle(pidfd_, cgroupProcs_, report[1], payload, stdinFd, stdoutFd, stderrFd);
    }
    ::close(report[1]);
    pid_t run = -1;
    if (mid > 0) {
        if (::read(report[0], &run, sizeof run) != static_cast<ssize_t>(sizeof run)) run = -1;
        int status = 0;
        while (::waitpid(mid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    ::close(report[0]);
    return run;
}

}  // namespace assay::containers
