// One run in a started container: attach the command, feed stdin, collect capped output,
// enforce CPU/wall/output limits, end every process of the run, and decide the verdict.
#include "container.h"
#include "exec_in_sandbox.h"

#include <assay/containers/protocol.h>

#include <lxc/attach_options.h>
#include <lxc/lxccontainer.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>

namespace assay::containers {
namespace {

using Clock = std::chrono::steady_clock;

struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

void makePipe(Fd& r, Fd& w) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    r.fd = p[0];
    w.fd = p[1];
}

// The whole environment of a run: nothing of the runner's or liblxc's gets through.
const char* const kEnvironment[] = {
    "PATH=/usr/local/bin:/usr/bin:/bin",
    "HOME=/work",
    "USER=student",
    "LOGNAME=student",
    "LANG=C.UTF-8",
    "LC_ALL=C.UTF-8",
    "TMPDIR=/tmp",
    "PYTHONHASHSEED=0",
    "PYTHONDONTWRITEBYTECODE=1",
    "OPENBLAS_NUM_THREADS=1",
    "OMP_NUM_THREADS=1",
    "MKL_NUM_THREADS=1",
    "MPLBACKEND=Agg",
    nullptr,
};

// execvp without reading `environ`: looks argv[0] up in the sandbox PATH, runs it with
// kEnvironment. Only async-signal-safe calls (it runs in a forked child).
void execWithPath(char** argv) {
    char* const* envp = const_cast<char* const*>(kEnvironment);
    const char* name = argv[0];
    for (const char* c = name; *c != '\0'; ++c) {
        if (*c == '/') {
            ::execve(name, argv, envp);
            return;
        }
    }
    const std::size_t len = std::strlen(name);
    for (const char* dir : {"/usr/local/bin/", "/usr/bin/", "/bin/"}) {
        char path[512];
        const std::size_t dlen = std::strlen(dir);
        if (dlen + len + 1 > sizeof path) return;
        std::memcpy(path, dir, dlen);
        std::memcpy(path + dlen, name, len + 1);
        ::execve(path, argv, envp);
        if (errno != ENOENT && errno != ENOTDIR) return;
    }
}

enum class KillReason { None, Cpu, Wall, Output };

// A capped output stream: keeps the first `cap` bytes, notes whether more came.
struct Capture {
    Fd fd;
    std::string data;
    bool overflow = false;
    bool open = true;
};

// Reads what is available; returns false at EOF.
bool drain(Capture& c, std::size_t cap) {
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(c.fd.fd, buf, sizeof buf);
        if (n > 0) {
            const std::size_t room = cap > c.data.size() ? cap - c.data.size() : 0;
            const std::size_t take = std::min(room, static_cast<std::size_t>(n));
            c.data.append(buf, take);
            if (take < static_cast<std::size_t>(n)) c.overflow = true;
            if (n < static_cast<ssize_t>(sizeof buf)) return true;
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN;
    }
}

}  // namespace

// Runs after liblxc (or the container's helper) entered the namespaces and dropped to the
// student's uid.
int execInSandbox(void* raw) {
    auto* p = static_cast<ExecPayload*>(raw);
    const rlimit cpu{p->cpuSeconds, p->cpuSeconds + 1};
    const rlimit fsize{p->fileSize, p->fileSize};
    const rlimit core{0, 0};
    const rlimit nofile{256, 256};
    if (::setrlimit(RLIMIT_CPU, &cpu) != 0 || ::setrlimit(RLIMIT_FSIZE, &fsize) != 0 ||
        ::setrlimit(RLIMIT_CORE, &core) != 0 || ::setrlimit(RLIMIT_NOFILE, &nofile) != 0) {
        ::_exit(126);
    }
    // The runner blocks and ignores signals of its own; exec would pass both on.
    if (p->resetSignals) {
        for (int sig = 1; sig < NSIG; ++sig) {
            if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
    }
    // Whatever the runner (or liblxc, or the runner's parent) had open stays outside.
    if (::syscall(SYS_close_range, 3u, ~0u, 0u) != 0) ::_exit(126);
    if (p->seccomp != nullptr && p->seccomp->install() != 0) ::_exit(126);
    execWithPath(p->argv);
    const char msg[] = "sandbox: cannot execute the command\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
}

RunResult Container::run(const Job& job, const Limits& limits) {
    RunResult r;
    if (!healthy()) {
        r.errorMessage = "container " + name_ + " is not healthy";
        return r;
    }
    std::size_t argvBytes = 0;
    for (const auto& a : job.argv)
        argvBytes += a.size() + 1;
    if (job.argv.empty() || job.argv.size() > kMaxArgs || argvBytes > maxArgvBytes()) {
        r.verdict = Verdict::RuntimeError;
        r.stderrData = job.argv.empty() ? "sandbox: no command to run\n"
                                        : "sandbox: the command line is too long\n";
        return r;
    }
    try {
        if (!prepared_ || preparedBytes_ != limits.tmpfsBytes) prepareWorkdir(limits.tmpfsBytes);
        prepared_ = false;  // whatever happens next, this work dir is used up
        writeJobFiles(job);
    } catch (const std::length_error& e) {
        r.verdict = Verdict::RuntimeError;
        r.stderrData = std::string("sandbox: ") + e.what() + "\n";
        return r;
    } catch (const std::exception& e) {
        markUnhealthy(std::string("work dir: ") + e.what());
        r.errorMessage = e.what();
        return r;
    }
    try {
        r = execute(job, limits);
    } catch (const std::exception& e) {
        r = RunResult{};
        r.errorMessage = e.what();
    }
    endRun();
    return r;
}

RunResult Container::execute(const Job& job, const Limits& limits) {
    cgroup_->setMemoryLimit(limits.memoryBytes);
    cgroup_->setPidsLimit(limits.pids + 2);  // the helpers are tasks of the container
    cgroup_->beginRun();

    Capture out, err;
    Fd inRead, inWrite, outWrite, errWrite;
    makePipe(inRead, inWrite);
    makePipe(out.fd, outWrite);
    makePipe(err.fd, errWrite);
    for (int fd : {inWrite.fd, out.fd.fd, err.fd.fd})
        ::fcntl(fd, F_SETFL, O_NONBLOCK);

    std::vector<char*> argv;
    for (const auto& a : job.argv)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ExecPayload payload{argv.data(), &seccomp_,
                        static_cast<rlim_t>((limits.cpuMs + 999) / 1000 + 1),
                        static_cast<rlim_t>(limits.fileSizeBytes), true};

    lxc_attach_options_t options = LXC_ATTACH_OPTIONS_DEFAULT;
    options.attach_flags |= LXC_ATTACH_NO_NEW_PRIVS | LXC_ATTACH_SETGROUPS;
    options.env_policy = LXC_ATTACH_CLEAR_ENV;  // and execInSandbox passes kEnvironment only
    options.uid = 1000;
    options.gid = 1000;
    options.initial_cwd = const_cast<char*>("/work");
    options.stdin_fd = inRead.fd;
    options.stdout_fd = outWrite.fd;
    options.stderr_fd = errWrite.fd;

    RunResult r;
    const auto start = Clock::now();
    pid_t pid = -1;
    if (!config_.liblxcAttach) {
        try {
            pid = spawnRun(job.argv, payload.cpuSeconds, payload.fileSize, inRead.fd, outWrite.fd,
                           errWrite.fd);
        } catch (const std::exception& e) {
            markUnhealthy(e.what());
            throw;
        }
    } else if (lxc_->attach(lxc_, execInSandbox, &payload, &options, &pid) != 0 || pid <= 0) {
        markUnhealthy("attach failed");
        throw std::runtime_error("attach to " + name_ + " failed");
    }
    // Should anything below throw, the attached process is still killed and reaped.
    struct Reaper {
        pid_t pid;
        bool reaped = false;
        ~Reaper() {
            if (reaped) return;
            ::kill(pid, SIGKILL);
            while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
            }
        }
    } reaper{pid};
    inRead.reset();
    outWrite.reset();
    errWrite.reset();
    Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));

    const auto wallDeadline = start + std::chrono::milliseconds(limits.wallMs);
    std::size_t stdinSent = 0;
    if (job.stdinData.empty()) inWrite.reset();
    KillReason reason = KillReason::None;
    bool exited = false;
    int status = 0;
    auto killRun = [&](KillReason why) {
        if (reason == KillReason::None) reason = why;
        ::kill(pid, SIGKILL);
        cgroup_->killAllExcept(keptPids(), 2000);
    };

    while (!exited) {
        pollfd fds[4];
        int n = 0;
        fds[n++] = {pidfd.fd, POLLIN, 0};
        const int outIdx = out.open ? n : -1;
        if (out.open) fds[n++] = {out.fd.fd, POLLIN, 0};
        const int errIdx = err.open ? n : -1;
        if (err.open) fds[n++] = {err.fd.fd, POLLIN, 0};
        const int inIdx = inWrite.fd >= 0 ? n : -1;
        if (inWrite.fd >= 0) fds[n++] = {inWrite.fd, POLLOUT, 0};
        const auto now = Clock::now();
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(wallDeadline - now).count();
        const int timeout = static_cast<int>(std::clamp<long long>(left, 0, 20));
        const int ready = ::poll(fds, static_cast<nfds_t>(n), timeout);
        if (ready < 0 && errno != EINTR) throw std::runtime_error("poll failed");
        if (outIdx >= 0 && fds[outIdx].revents) out.open = drain(out, limits.outputBytes);
        if (errIdx >= 0 && fds[errIdx].revents) err.open = drain(err, limits.outputBytes);
        if (inIdx >= 0 && fds[inIdx].revents) {
            if (fds[inIdx].revents & (POLLERR | POLLHUP)) {
                inWrite.reset();
            } else {
                const ssize_t w = ::write(inWrite.fd, job.stdinData.data() + stdinSent,
                                          job.stdinData.size() - stdinSent);
                if (w > 0) stdinSent += static_cast<std::size_t>(w);
                if ((w < 0 && errno != EAGAIN) || stdinSent == job.stdinData.size())
                    inWrite.reset();
            }
        }
        if (reason == KillReason::None) {
            if (out.overflow || err.overflow) {
                killRun(KillReason::Output);
            } else if (cgroup_->cpuUsageUs() > limits.cpuMs * 1000) {
                killRun(KillReason::Cpu);
            } else if (Clock::now() >= wallDeadline) {
                killRun(KillReason::Wall);
            }
        }
        const pid_t w = ::waitpid(pid, &status, WNOHANG);
        if (w == pid) exited = reaper.reaped = true;
        if (w < 0 && errno != EINTR) throw std::runtime_error("lost the attached process");
    }
    r.wallMs = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
    // The main process is gone: end whatever it left behind, then collect the rest of the output.
    cgroup_->killAllExcept(keptPids(), 2000);
    const auto drainDeadline = Clock::now() + std::chrono::milliseconds(500);
    while ((out.open || err.open) && Clock::now() < drainDeadline) {
        pollfd fds[2] = {{out.open ? out.fd.fd : -1, POLLIN, 0},
                         {err.open ? err.fd.fd : -1, POLLIN, 0}};
        if (::poll(fds, 2, 50) <= 0) continue;
        if (out.open && fds[0].revents) out.open = drain(out, limits.outputBytes);
        if (err.open && fds[1].revents) err.open = drain(err, limits.outputBytes);
    }
    if (out.overflow || err.overflow) {
        if (reason == KillReason::None) reason = KillReason::Output;
    }

    r.cpuMs = cgroup_->cpuUsageUs() / 1000;
    r.memoryKb = cgroup_->peakMemoryBytes() / 1024;
    r.stdoutData = std::move(out.data);
    r.stderrData = std::move(err.data);
    r.truncated = out.overflow || err.overflow;
    if (WIFEXITED(status)) {
        r.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
    }
    const bool oom = cgroup_->oomKills() > 0;
    if (reason == KillReason::Output) {
        r.verdict = Verdict::OutputExceeded;
    } else if (oom) {
        r.verdict = Verdict::MemoryExceeded;
    } else if (reason == KillReason::Cpu || r.signal == SIGXCPU || r.cpuMs > limits.cpuMs) {
        r.verdict = Verdict::CpuTimeExceeded;
    } else if (reason == KillReason::Wall) {
        r.verdict = Verdict::WallTimeExceeded;
    } else if (r.signal != 0 || r.exitCode != 0) {
        r.verdict = Verdict::RuntimeError;
    } else {
        r.verdict = Verdict::Ok;
    }
    return r;
}

}  // namespace assay::containers
