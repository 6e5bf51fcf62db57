// Per-run work dir. prepareWorkdir mounts a fresh size-limited tmpfs at /run/sandbox inside
// the container, with /work and /tmp bound onto it; whatever a previous run left goes away
// with the old mount. It runs in a short-lived helper that enters the container's mount
// namespace, and normally between runs (off a job's path). writeJobFiles then fills /work
// through /proc/<init>/root while no process of the run exists yet.
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

// Runs in the forked helper (syscalls only); returns the failed step, 0 if none.
int remountMain(int mntns, const char* tmpfsOptions, uid_t uid, gid_t gid) {
    if (::setns(mntns, CLONE_NEWNS) != 0) return 10;
    if (::chdir("/") != 0) return 11;
    ::umount2("/tmp", MNT_DETACH);
    ::umount2("/work", MNT_DETACH);
    ::umount2("/run/sandbox", MNT_DETACH);
    if (::mount("tmpfs", "/run/sandbox", "tmpfs", MS_NOSUID | MS_NODEV, tmpfsOptions) != 0)
        return 12;
    if (::mkdir("/run/sandbox/work", 0755) != 0 || ::chown("/run/sandbox/work", uid, gid) != 0)
        return 13;
    if (::mkdir("/run/sandbox/tmp", 01777) != 0 || ::chmod("/run/sandbox/tmp", 01777) != 0)
        return 14;
    if (::mount("/run/sandbox/work", "/work", nullptr, MS_BIND, nullptr) != 0) return 15;
    if (::mount("/run/sandbox/tmp", "/tmp", nullptr, MS_BIND, nullptr) != 0) return 16;
    return 0;
}

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

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

void Container::prepareWorkdir(std::uint64_t tmpfsBytes) {
    prepared_ = false;
    const std::string options = "size=" + std::to_string(tmpfsBytes) + ",nr_inodes=16384,mode=0755";
    const uid_t uid = idmapBase_ + 1000;
    const std::string nsPath = "/proc/" + std::to_string(initPid_) + "/ns/mnt";
    Fd mntns{::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC)};
    if (mntns.fd < 0) throw std::runtime_error("cannot open the container's mount namespace");
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(remountMain(mntns.fd, options.c_str(), uid, uid));
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error("preparing the work dir failed at step " +
                                 std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    }
    prepared_ = true;
    preparedBytes_ = tmpfsBytes;
}

void Container::writeJobFiles(const Job& job) {
    const uid_t uid = idmapBase_ + 1000;
    const std::string workPath = "/proc/" + std::to_string(initPid_) + "/root/work";
    Fd work{::open(workPath.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)};
    if (work.fd < 0) throw std::runtime_error("cannot open the container's work dir");
    for (const auto& f : job.files) {
        // Parent directories first; the tmpfs is fresh, so nothing in it is a symlink.
        for (std::size_t slash = f.path.find('/'); slash != std::string::npos;
             slash = f.path.find('/', slash + 1)) {
            const std::string dir = f.path.substr(0, slash);
            if (::mkdirat(work.fd, dir.c_str(), 0755) == 0) {
                if (::fchownat(work.fd, dir.c_str(), uid, uid, AT_SYMLINK_NOFOLLOW) != 0) {
                    throw std::runtime_error("cannot chown " + dir);
                }
            } else if (errno == ENOSPC) {
                throw std::length_error("the job's files do not fit in the work dir");
            } else if (errno != EEXIST) {
                throw std::runtime_error("cannot create directory " + dir + ": " +
                                         std::strerror(errno));
            }
        }
        Fd fd{::openat(work.fd, f.path.c_str(),
                       O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                       f.executable ? 0755 : 0644)};
        if (fd.fd < 0) {
            if (errno == ENOSPC)
                throw std::length_error("the job's files do not fit in the work dir");
            throw std::runtime_error("cannot create " + f.path + ": " + std::strerror(errno));
        }
        if (writeAll(fd.fd, f.content.data(), f.content.size()) != 0) {
            if (errno == ENOSPC || errno == EFBIG)
                throw std::length_error("the job's files do not fit in the work dir");
            throw std::runtime_error("cannot write " + f.path + ": " + std::strerror(errno));
        }
        if (::fchown(fd.fd, uid, uid) != 0) throw std::runtime_error("cannot chown " + f.path);
    }
}

}  // namespace assay::containers
