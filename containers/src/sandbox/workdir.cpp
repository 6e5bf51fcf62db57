// Per-run work dir. prepareWorkdir mounts a fresh size-limited tmpfs at /run/sandbox inside
// the container, with /work, /tmp and /dev/shm bound onto it; whatever a previous run left
// goes away with the old mount, and its System V IPC objects are removed. A helper process
// per container does it: forked once, it entered the container's mount and IPC namespaces
// and serves requests over a socket pair, normally between runs (off a job's path).
// writeJobFiles then fills /work through /proc/<init>/root while no process of the run exists.
#include "container.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace assay::containers {
namespace {

// One request to the mount helper and its answer (the failed step, 0 if none).
struct RemountRequest {
    std::uint64_t tmpfsBytes;
    std::uint32_t uid;
};

// Decimal digits of v at p; returns the end. Async-signal-safe (the helper is a forked child).
char* putNumber(char* p, std::uint64_t v) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n > 0)
        *p++ = digits[--n];
    return p;
}

char* putText(char* p, const char* text) {
    while (*text != '\0')
        *p++ = *text++;
    return p;
}

// In the helper, inside the container's IPC namespace: remove every System V shared memory
// segment, semaphore set and message queue a run created; they would outlive it otherwise.
void removeSysvIpc() {
    shm_info shmInfo{};
    const int shmMax = ::shmctl(0, SHM_INFO, reinterpret_cast<shmid_ds*>(&shmInfo));
    for (int i = 0; i <= shmMax; ++i) {
        shmid_ds ds{};
        const int id = ::shmctl(i, SHM_STAT_ANY, &ds);
        if (id >= 0) ::shmctl(id, IPC_RMID, nullptr);
    }
    seminfo semInfo{};
    const int semMax = ::semctl(0, 0, SEM_INFO, &semInfo);
    for (int i = 0; i <= semMax; ++i) {
        semid_ds ds{};
        const int id = ::semctl(i, 0, SEM_STAT_ANY, &ds);
        if (id >= 0) ::semctl(id, 0, IPC_RMID);
    }
    msginfo msgInfo{};
    const int msgMax = ::msgctl(0, MSG_INFO, reinterpret_cast<msqid_ds*>(&msgInfo));
    for (int i = 0; i <= msgMax; ++i) {
        msqid_ds ds{};
        const int id = ::msgctl(i, MSG_STAT_ANY, &ds);
        if (id >= 0) ::msgctl(id, IPC_RMID, nullptr);
    }
}

// In the helper, already inside the container's mount namespace: replace the run's tmpfs.
int remount(const RemountRequest& req) {
    char options[96];
    char* p = putText(options, "size=");
    p = putNumber(p, req.tmpfsBytes);
    p = putText(p, ",nr_inodes=16384,mode=0755");
    *p = '\0';
    removeSysvIpc();
    ::umount2("/dev/shm", MNT_DETACH);
    ::umount2("/tmp", MNT_DETACH);
    ::umount2("/work", MNT_DETACH);
    ::umount2("/run/sandbox", MNT_DETACH);
    if (::mount("tmpfs", "/run/sandbox", "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) return 12;
    if (::mkdir("/run/sandbox/work", 0755) != 0 ||
        ::chown("/run/sandbox/work", req.uid, req.uid) != 0)
        return 13;
    if (::mkdir("/run/sandbox/tmp", 01777) != 0 || ::chmod("/run/sandbox/tmp", 01777) != 0)
        return 14;
    if (::mount("/run/sandbox/work", "/work", nullptr, MS_BIND, nullptr) != 0) return 15;
    if (::mount("/run/sandbox/tmp", "/tmp", nullptr, MS_BIND, nullptr) != 0) return 16;
    // /dev/shm (POSIX semaphores and shared memory, as multiprocessing uses) lives on the same
    // tmpfs.
    if (::mkdir("/run/sandbox/shm", 01777) != 0 || ::chmod("/run/sandbox/shm", 01777) != 0)
        return 17;
    if (::access("/dev/shm", F_OK) != 0) return 18;  // made by liblxc (lxc.mount.entry)
    if (::mount("/run/sandbox/shm", "/dev/shm", nullptr, MS_BIND, nullptr) != 0) return 19;
    return 0;
}

// The helper's life: enter the namespace once, then serve remount requests until EOF.
[[noreturn]] void helperMain(int sock, int mntns, int ipcns) {
    if (::dup2(sock, 3) < 0 || ::dup2(mntns, 4) < 0 || ::dup2(ipcns, 5) < 0) ::_exit(2);
    ::syscall(SYS_close_range, 6u, ~0u, 0u);  // nothing of other runs (pipes) stays open here
    if (::setns(4, CLONE_NEWNS) != 0 || ::setns(5, CLONE_NEWIPC) != 0 || ::chdir("/") != 0)
        ::_exit(3);
    ::close(4);
    ::close(5);
    for (;;) {
        RemountRequest req{};
        const ssize_t n = ::read(3, &req, sizeof req);
        if (n < 0 && errno == EINTR) continue;
        if (n != static_cast<ssize_t>(sizeof req)) ::_exit(0);
        const int rc = remount(req);
        if (::write(3, &rc, sizeof rc) != static_cast<ssize_t>(sizeof rc)) ::_exit(0);
    }
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

void Container::startMountHelper() {
    const std::string nsPath = "/proc/" + std::to_string(initPid_) + "/ns/mnt";
    Fd mntns{::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC)};
    if (mntns.fd < 0) throw std::runtime_error("cannot open the container's mount namespace");
    const std::string ipcPath = "/proc/" + std::to_string(initPid_) + "/ns/ipc";
    Fd ipcns{::open(ipcPath.c_str(), O_RDONLY | O_CLOEXEC)};
    if (ipcns.fd < 0) throw std::runtime_error("cannot open the container's IPC namespace");
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    }
    const pid_t pid = ::fork();
    if (pid == 0) helperMain(sv[1], mntns.fd, ipcns.fd);
    ::close(sv[1]);
    if (pid < 0) {
        ::close(sv[0]);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    helperPid_ = pid;
    helperFd_ = sv[0];
}

void Container::stopMountHelper() {
    if (helperFd_ >= 0) ::close(helperFd_);
    helperFd_ = -1;
    if (helperPid_ > 0) {
        int status = 0;
        for (int i = 0; i < 100 && ::waitpid(helperPid_, &status, WNOHANG) == 0; ++i)
            ::usleep(1000);
        if (::waitpid(helperPid_, &status, WNOHANG) == 0) {
            ::kill(helperPid_, SIGKILL);
            ::waitpid(helperPid_, &status, 0);
        }
    }
    helperPid_ = -1;
}

void Container::prepareWorkdir(std::uint64_t tmpfsBytes) {
    prepared_ = false;
    if (helperFd_ < 0) startMountHelper();
    const RemountRequest req{tmpfsBytes, idmapBase_ + 1000};
    if (::send(helperFd_, &req, sizeof req, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof req)) {
        throw std::runtime_error("the mount helper is gone");
    }
    pollfd p{helperFd_, POLLIN, 0};
    int rc = -1;
    if (::poll(&p, 1, 10000) != 1 ||
        ::recv(helperFd_, &rc, sizeof rc, 0) != static_cast<ssize_t>(sizeof rc)) {
        throw std::runtime_error("the mount helper did not answer");
    }
    if (rc != 0)
        throw std::runtime_error("preparing the work dir failed at step " + std::to_string(rc));
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
