// Per-run work dir: a fresh tmpfs (size-limited) at /run/sandbox inside the container, with
// /work and /tmp bound onto it, filled with the job's files. Whatever the previous run left is
// unmounted with it. Done by a short-lived helper that enters the container's mount namespace.
#include "container.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace assay::containers {
namespace {

// Everything the helper needs, computed before fork (the helper only makes syscalls).
struct WorkdirPlan {
    std::string tmpfsOptions;
    std::vector<std::string> dirs;  // absolute, parents first
    struct File {
        std::string path;
        const std::string* content;
        mode_t mode;
    };
    std::vector<File> files;
    uid_t uid;
    gid_t gid;
};

int writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t w = ::write(fd, data, size);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        data += w;
        size -= static_cast<std::size_t>(w);
    }
    return 0;
}

// Runs in the forked helper; returns the exit status (the step that failed, 0 if none).
int helperMain(int mntns, const WorkdirPlan& plan) {
    if (::setns(mntns, CLONE_NEWNS) != 0) return 10;
    if (::chdir("/") != 0) return 11;
    ::umount2("/tmp", MNT_DETACH);
    ::umount2("/work", MNT_DETACH);
    ::umount2("/run/sandbox", MNT_DETACH);
    if (::mount("tmpfs", "/run/sandbox", "tmpfs", MS_NOSUID | MS_NODEV,
                plan.tmpfsOptions.c_str()) != 0)
        return 12;
    if (::mkdir("/run/sandbox/work", 0755) != 0 ||
        ::chown("/run/sandbox/work", plan.uid, plan.gid) != 0)
        return 13;
    if (::mkdir("/run/sandbox/tmp", 01777) != 0 || ::chmod("/run/sandbox/tmp", 01777) != 0)
        return 14;
    if (::mount("/run/sandbox/work", "/work", nullptr, MS_BIND, nullptr) != 0) return 15;
    if (::mount("/run/sandbox/tmp", "/tmp", nullptr, MS_BIND, nullptr) != 0) return 16;
    for (const auto& d : plan.dirs) {
        if (::mkdir(d.c_str(), 0755) != 0 && errno != EEXIST) return 17;
        if (::chown(d.c_str(), plan.uid, plan.gid) != 0) return 17;
    }
    for (const auto& f : plan.files) {
        const int fd =
            ::open(f.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, f.mode);
        if (fd < 0) return 18;
        const int rc = writeAll(fd, f.content->data(), f.content->size());
        const int own = ::fchown(fd, plan.uid, plan.gid);
        ::close(fd);
        if (rc != 0) return 19;  // the files do not fit in the tmpfs
        if (own != 0) return 18;
    }
    return 0;
}

}  // namespace

void Container::resetWorkdir(const Job& job, const Limits& limits) {
    WorkdirPlan plan;
    plan.uid = idmapBase_ + 1000;
    plan.gid = idmapBase_ + 1000;
    plan.tmpfsOptions = "size=" + std::to_string(limits.tmpfsBytes) + ",nr_inodes=16384,mode=0755";
    for (const auto& f : job.files) {
        std::size_t slash = 0;
        while ((slash = f.path.find('/', slash)) != std::string::npos) {
            const std::string dir = "/work/" + f.path.substr(0, slash);
            bool seen = false;
            for (const auto& d : plan.dirs)
                seen |= d == dir;
            if (!seen) plan.dirs.push_back(dir);
            ++slash;
        }
        plan.files.push_back(
            {"/work/" + f.path, &f.content, static_cast<mode_t>(f.executable ? 0755 : 0644)});
    }
    const std::string nsPath = "/proc/" + std::to_string(initPid_) + "/ns/mnt";
    const int mntns = ::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC);
    if (mntns < 0) throw std::runtime_error("cannot open the container's mount namespace");
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(helperMain(mntns, plan));
    ::close(mntns);
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const int step = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (step == 19) throw std::length_error("the job's files do not fit in the work dir");
        throw std::runtime_error("preparing the work dir failed at step " + std::to_string(step));
    }
}

}  // namespace assay::containers
