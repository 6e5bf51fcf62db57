// The helpers of a container: two processes per container, forked from the runner when the
// container starts, that live inside it (its cgroups and all its namespaces, as the
// container's root, hidden from the runs: they have no pid in the container's pid namespace
// and the OOM killer picks the runs first). Each serves one kind of request over its own
// socket pair:
//
//  - the work-dir helper, reset: give the runs an empty tmpfs at /run/sandbox, with /work,
//    /tmp and /dev/shm bound onto it. The first time (or when emptying fails) a new mount;
//    between runs the same tmpfs emptied in place and checked (and resized if the limit
//    changes), which costs a few system calls where unmounting costs an RCU grace period per
//    mount. System V IPC objects go too.
//  - the run starter, spawn: start a run's process. Being in the container's cgroups
//    already, it needs no cgroup migration per run (a migration waits for an RCU grace period
//    on the cgroup threadgroup lock: milliseconds, more under load); it clones the process
//    with CLONE_VM | CLONE_VFORK (no page tables copied) and CLONE_PARENT, so that the run is
//    the runner's child, which waits for it and reads its status as for any child. The
//    starter puts itself under the runs' seccomp filter, with no capability bounding set and
//    default signal handling, once: every run inherits them instead of building a filter of
//    its own (the kernel translates and allocates each filter a process installs, then frees
//    it at exit).
//
// The helpers are forked children of a multithreaded process: they use raw system calls and
// fixed buffers only, never the allocator.
#include "container.h"
#include "exec_in_sandbox.h"

#include <assay/containers/protocol.h>

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace assay::containers {
namespace {

constexpr unsigned kStudent = 1000;  // uid and gid of the runs inside the container

constexpr int kNamespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET |
                            CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;

// Requests and answers on the helper's socket. A spawn request carries the run's stdin,
// stdout and stderr as SCM_RIGHTS and its argv after the header, each entry NUL-terminated.
enum : std::uint32_t { kReset = 1, kSpawn = 2 };
struct HelperRequest {
    std::uint32_t kind;
    std::uint32_t argc;
    std::uint64_t tmpfsBytes;  // reset
    std::uint64_t cpuSeconds;  // spawn: RLIMIT_CPU
    std::uint64_t fileSize;    // spawn: RLIMIT_FSIZE
};
struct HelperAnswer {
    std::int32_t failedStep;  // 0: done
    std::int32_t pid;         // spawn: the run's pid (host view)
};

// Decimal digits of v at p; returns the end.
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

// Removes every System V shared memory segment, semaphore set and message queue a run
// created; they would outlive it otherwise.
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

// A new tmpfs for the runs, replacing the old one.
int remount(std::uint64_t tmpfsBytes) {
    char options[96];
    char* p = putText(options, "size=");
    p = putNumber(p, tmpfsBytes);
    p = putText(p, ",nr_inodes=16384,mode=0755");
    *p = '\0';
    removeSysvIpc();
    ::umount2("/dev/shm", MNT_DETACH);
    ::umount2("/tmp", MNT_DETACH);
    ::umount2("/work", MNT_DETACH);
    ::umount2("/run/sandbox", MNT_DETACH);
    if (::mount("tmpfs", "/run/sandbox", "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) return 12;
    if (::mkdir("/run/sandbox/work", 0755) != 0 ||
        ::chown("/run/sandbox/work", kStudent, kStudent) != 0)
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

// Removes everything under the directory `dirFd` (fds and raw system calls only: the helper is
// a forked child of a multithreaded process and may not allocate). Returns false on anything
// unexpected (too deep, an entry that does not go away), and the caller then mounts afresh.
bool emptyDir(int dirFd, int depth) {
    if (depth > 16) return false;
    alignas(8) char buf[2048];
    for (int pass = 0; pass < 64; ++pass) {
        if (::lseek(dirFd, 0, SEEK_SET) != 0) return false;
        bool any = false;
        for (;;) {
            const long n = ::syscall(SYS_getdents64, dirFd, buf, sizeof buf);
            if (n < 0) return false;
            if (n == 0) break;
            for (long off = 0; off < n;) {
                const auto* d = reinterpret_cast<const dirent64*>(buf + off);
                off += d->d_reclen;
                const char* name = d->d_name;
                if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
                    continue;
                any = true;
                if (d->d_type == DT_DIR) {
                    const int child =
                        ::openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (child < 0) return false;
                    const bool ok = emptyDir(child, depth + 1);
                    ::close(child);
                    if (!ok || ::unlinkat(dirFd, name, AT_REMOVEDIR) != 0) return false;
                } else if (::unlinkat(dirFd, name, 0) != 0) {
                    return false;
                }
            }
        }
        if (!any) return true;
    }
    return false;
}

// Resets one of the tmpfs's top directories: empty, the given owner and mode, no extended
// attributes (a run owns /work and could leave user.* attributes or an ACL on it).
bool resetTopDir(const char* path, std::uint32_t uid, mode_t mode) {
    const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = emptyDir(fd, 0) && ::fchown(fd, uid, uid) == 0 && ::fchmod(fd, mode) == 0;
    char names[1024];
    const ssize_t len = ok ? ::flistxattr(fd, names, sizeof names) : -1;
    if (len < 0) ok = false;
    for (ssize_t i = 0; ok && i < len; i += static_cast<ssize_t>(std::strlen(names + i)) + 1) {
        if (::fremovexattr(fd, names + i) != 0) ok = false;
    }
    ::close(fd);
    return ok;
}

// The cheap reset, when the size stays: the same tmpfs emptied. It must end exactly as a fresh
// mount starts, the root and the three top directories and nothing else, or it reports failure.
bool clean() {
    removeSysvIpc();
    if (!resetTopDir("/run/sandbox/work", kStudent, 0755) ||
        !resetTopDir("/run/sandbox/tmp", 0, 01777) || !resetTopDir("/run/sandbox/shm", 0, 01777)) {
        return false;
    }
    struct statvfs st {};
    if (::statvfs("/run/sandbox", &st) != 0) return false;
    return st.f_files - st.f_ffree == 4 && st.f_blocks == st.f_bfree;
}

// Gives the (empty) tmpfs a new size limit in place, if it changes.
bool resize(std::uint64_t& mounted, std::uint64_t tmpfsBytes) {
    if (mounted == tmpfsBytes) return true;
    char options[48];
    char* p = putText(options, "size=");
    p = putNumber(p, tmpfsBytes);
    *p = '\0';
    if (::mount(nullptr, "/run/sandbox", nullptr, MS_REMOUNT | MS_NOSUID | MS_NODEV, options) != 0)
        return false;
    mounted = tmpfsBytes;
    return true;
}

// What the run's process needs from the helper until its execve.
struct RunStart {
    ExecPayload payload;
    int fds[3];
};

// The run's process, cloned inside every namespace by the starter, whose seccomp filter and
// empty bounding set it inherits: drop to the student, wire stdio, exec.
int becomeRun(void* raw) {
    auto* s = static_cast<RunStart*>(raw);
    // When the container's memory runs out, the OOM killer picks a process of the run, never
    // a helper or init (raising one's own score needs no privilege).
    const long adj =
        ::syscall(SYS_openat, AT_FDCWD, "/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (adj >= 0) {
        (void)!::syscall(SYS_write, adj, "1000", 4);
        ::syscall(SYS_close, adj);
    }
    if (::syscall(SYS_setgroups, 0, nullptr) != 0 ||
        ::syscall(SYS_setresgid, kStudent, kStudent, kStudent) != 0 ||
        ::syscall(SYS_setresuid, kStudent, kStudent, kStudent) != 0) {
        ::_exit(126);
    }
    for (int i = 0; i < 3; ++i) {
        if (::syscall(SYS_dup2, s->fds[i], i) < 0) ::_exit(126);
    }
    if (::syscall(SYS_chdir, "/work") != 0) ::_exit(126);
    execInSandbox(&s->payload);
    ::_exit(127);
}

constexpr std::size_t kArgvBytes = 64 * 1024;
constexpr std::size_t kRunStackBytes = 128 * 1024;
alignas(16) char gMessage[sizeof(HelperRequest) + kArgvBytes];  // touched in the helper only
alignas(16) char gRunStack[kRunStackBytes];
char* gArgv[kMaxArgs + 1];

// Starts a run; answers its pid. The received descriptors are closed whatever happens.
HelperAnswer spawn(const HelperRequest& req, const char* argvBlob, std::size_t blobBytes,
                   const int fds[3]) {
    HelperAnswer a{0, -1};
    // Checked before anything is read: 1..kMaxArgs entries, the last one terminated.
    if (req.argc == 0 || req.argc > kMaxArgs || blobBytes == 0 || argvBlob[blobBytes - 1] != '\0') {
        a.failedStep = 30;
        return a;
    }
    std::size_t n = 0;
    for (std::size_t off = 0; off < blobBytes && n < req.argc;) {
        gArgv[n++] = const_cast<char*>(argvBlob + off);
        off += std::strlen(argvBlob + off) + 1;
    }
    gArgv[n] = nullptr;
    if (n != req.argc) {
        a.failedStep = 30;
        return a;
    }
    RunStart start{{gArgv, nullptr, static_cast<rlim_t>(req.cpuSeconds),
                    static_cast<rlim_t>(req.fileSize), false},
                   {fds[0], fds[1], fds[2]}};
    const int pid = ::clone(becomeRun, gRunStack + kRunStackBytes,
                            CLONE_VM | CLONE_VFORK | CLONE_PARENT | SIGCHLD, &start);
    if (pid < 0) a.failedStep = 31;
    a.pid = pid;
    return a;
}

enum class Role { Workdir, Starter };

// A helper's life: move into the container, then serve requests until the socket closes.
[[noreturn]] void helperMain(Role role, int sock, int initPidfd, const int* procs,
                             std::size_t nProcs, const SeccompFilter& seccomp) {
    // A name of its own in ps and top (runs show it until their exec).
    ::prctl(PR_SET_NAME, role == Role::Starter ? "assay-starter" : "assay-workdir", 0, 0, 0);
    // The cgroups first (still the host's root), then no OOM kill, then the namespaces.
    for (std::size_t i = 0; i < nProcs; ++i) {
        if (::write(procs[i], "0", 1) != 1) ::_exit(2);
    }
    // Without CAP_SYS_RESOURCE (some virtual machines withhold it from root) this fails; the
    // runs then still go first, as they raise their own score (becomeRun).
    const int adj = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (adj >= 0) {
        (void)!::write(adj, "-1000", 5);
        ::close(adj);
    }
    if (::setns(initPidfd, kNamespaces) != 0) ::_exit(4);
    // The container's root (uid 0 inside): files it makes must belong to a mapped user.
    if (::syscall(SYS_setgroups, 0, nullptr) != 0 || ::syscall(SYS_setresgid, 0, 0, 0) != 0 ||
        ::syscall(SYS_setresuid, 0, 0, 0) != 0) {
        ::_exit(5);
    }
    if (::dup2(sock, 3) < 0) ::_exit(6);
    ::syscall(SYS_close_range, 4u, ~0u, 0u);  // nothing of the runner's stays open here
    if (::chdir("/") != 0) ::_exit(7);
    if (role == Role::Starter) {
        // What every run would otherwise set up for itself, done once: no capabilities to
        // gain at exec, default signal handling (the runner blocks and ignores some), the
        // runs' seccomp filter (with no_new_privs). The starter needs no more than the runs.
        for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
            if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) ::_exit(8);
        }
        for (int sig = 1; sig < NSIG; ++sig) {
            if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        if (seccomp.install() != 0) ::_exit(9);
    }
    std::uint64_t mounted = 0;  // size of the current tmpfs; 0: none of ours yet
    for (;;) {
        iovec iov{gMessage, sizeof gMessage};
        alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))];
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t got = ::recvmsg(3, &msg, MSG_CMSG_CLOEXEC);
        if (got < 0 && errno == EINTR) continue;
        if (got < static_cast<ssize_t>(sizeof(HelperRequest))) ::_exit(0);  // the runner is gone
        int fds[3] = {-1, -1, -1};
        std::size_t nFds = 0;
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
            const std::size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (std::size_t i = 0; i < k && nFds < 3; ++i)
                std::memcpy(&fds[nFds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        }
        HelperRequest req;
        std::memcpy(&req, gMessage, sizeof req);
        HelperAnswer answer{0, -1};
        if (role == Role::Workdir && req.kind == kReset) {
            if (mounted == 0 || !clean() || !resize(mounted, req.tmpfsBytes)) {
                answer.failedStep = remount(req.tmpfsBytes);
                mounted = answer.failedStep == 0 ? req.tmpfsBytes : 0;
            }
        } else if (role == Role::Starter && req.kind == kSpawn && nFds == 3 &&
                   (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) == 0 &&
                   static_cast<std::size_t>(got) > sizeof req) {
            answer =
                spawn(req, gMessage + sizeof req, static_cast<std::size_t>(got) - sizeof req, fds);
        } else {
            answer.failedStep = 40;
        }
        for (std::size_t i = 0; i < nFds; ++i)
            ::close(fds[i]);
        if (::write(3, &answer, sizeof answer) != static_cast<ssize_t>(sizeof answer)) ::_exit(0);
    }
}

}  // namespace

// Forks one helper: it joins the container's cgroups and namespaces and serves `role`.
static Helper forkHelper(Role role, int initPidfd, pid_t initPid, const SeccompFilter& seccomp) {
    std::vector<int> procs;
    struct Closer {
        std::vector<int>& fds;
        ~Closer() {
            for (int fd : fds)
                ::close(fd);
        }
    } closer{procs};
    for (const auto& path : cgroupProcsFiles(initPid)) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) throw std::runtime_error("cannot open " + path);
        procs.push_back(fd);
    }
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    }
    const pid_t pid = ::fork();
    if (pid == 0) helperMain(role, sv[1], initPidfd, procs.data(), procs.size(), seccomp);
    ::close(sv[1]);
    if (pid < 0) {
        ::close(sv[0]);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    return Helper{pid, sv[0]};
}

void Container::startHelpers() {
    if (initPidfd_ < 0) throw std::runtime_error("the container's init is not known");
    workdirHelper_ = forkHelper(Role::Workdir, initPidfd_, initPid_, seccomp_);
    runStarter_ = forkHelper(Role::Starter, initPidfd_, initPid_, seccomp_);
}

// Closes the helper's socket (it exits on EOF) and reaps it, killing it after 100 ms.
static void stopHelper(Helper& h) {
    if (h.fd >= 0) ::close(h.fd);
    h.fd = -1;
    if (h.pid > 0) {
        int status = 0;
        for (int i = 0; i < 100 && ::waitpid(h.pid, &status, WNOHANG) == 0; ++i)
            ::usleep(1000);
        if (::waitpid(h.pid, &status, WNOHANG) == 0) {
            ::kill(h.pid, SIGKILL);
            ::waitpid(h.pid, &status, 0);
        }
    }
    h.pid = -1;
}

void Container::stopHelpers() {
    stopHelper(workdirHelper_);
    stopHelper(runStarter_);
}

// One request, one answer; throws when the helper is gone or does not answer.
static HelperAnswer ask(int helperFd, const HelperRequest& req, const std::string& argv,
                        const int* fds) {
    iovec iov[2] = {{const_cast<HelperRequest*>(&req), sizeof req},
                    {const_cast<char*>(argv.data()), argv.size()}};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = argv.empty() ? 1 : 2;
    alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))] = {};
    if (fds != nullptr) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(3 * sizeof(int));
        std::memcpy(CMSG_DATA(c), fds, 3 * sizeof(int));
    }
    const ssize_t total = static_cast<ssize_t>(sizeof req + argv.size());
    if (::sendmsg(helperFd, &msg, MSG_NOSIGNAL) != total)
        throw std::runtime_error("the container's helper is gone");
    pollfd p{helperFd, POLLIN, 0};
    HelperAnswer a{-1, -1};
    if (::poll(&p, 1, 10000) != 1 ||
        ::recv(helperFd, &a, sizeof a, 0) != static_cast<ssize_t>(sizeof a)) {
        throw std::runtime_error("the container's helper did not answer");
    }
    return a;
}

void Container::prepareWorkdir(std::uint64_t tmpfsBytes) {
    prepared_ = false;
    if (workdirHelper_.fd < 0) startHelpers();
    HelperRequest req{kReset, 0, tmpfsBytes, 0, 0};
    HelperAnswer a{};
    try {
        a = ask(workdirHelper_.fd, req, {}, nullptr);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(e.what() + helperExit(workdirHelper_));
    }
    if (a.failedStep != 0) {
        throw std::runtime_error("preparing the work dir failed at step " +
                                 std::to_string(a.failedStep));
    }
    prepared_ = true;
    preparedBytes_ = tmpfsBytes;
}

pid_t Container::spawnRun(const std::vector<std::string>& argv, std::uint64_t cpuSeconds,
                          std::uint64_t fileSize, int stdinFd, int stdoutFd, int stderrFd) {
    if (runStarter_.fd < 0) throw std::runtime_error("the container's run starter is not running");
    std::string blob;
    for (const auto& a : argv) {
        blob += a;
        blob.push_back('\0');
    }
    HelperRequest req{kSpawn, static_cast<std::uint32_t>(argv.size()), 0, cpuSeconds, fileSize};
    const int fds[3] = {stdinFd, stdoutFd, stderrFd};
    HelperAnswer a{};
    try {
        a = ask(runStarter_.fd, req, blob, fds);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(e.what() + helperExit(runStarter_));
    }
    if (a.failedStep != 0 || a.pid <= 0) {
        throw std::runtime_error("starting the run failed at step " + std::to_string(a.failedStep));
    }
    return a.pid;
}

std::string Container::helperExit(Helper& h) {
    int status = 0;
    if (h.pid <= 0 || ::waitpid(h.pid, &status, WNOHANG) != h.pid) return "";
    h.pid = -1;
    if (WIFEXITED(status)) return " (it ended at step " + std::to_string(WEXITSTATUS(status)) + ")";
    if (WIFSIGNALED(status)) return " (killed by signal " + std::to_string(WTERMSIG(status)) + ")";
    return "";
}

std::size_t Container::maxArgvBytes() {
    return kArgvBytes;
}

}  // namespace assay::containers
