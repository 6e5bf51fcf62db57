// Container lifecycle: the liblxc configuration (set item by item, no config file) and start/stop.
#include "container.h"

#include <lxc/lxccontainer.h>

#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace assay::containers {
namespace {

std::string logTail(const std::string& file) {
    std::ifstream in(file);
    std::string line, tail;
    std::vector<std::string> lines;
    while (std::getline(in, line))
        lines.push_back(line);
    for (std::size_t i = lines.size() > 8 ? lines.size() - 8 : 0; i < lines.size(); ++i)
        tail += lines[i] + "\n";
    return tail;
}

// The skeleton root of host-bind mode: empty dirs, /usr bound read-only, a minimal /etc.
std::string hostBindRoot(const std::string& lxcPath) {
    namespace fs = std::filesystem;
    const fs::path root = fs::path(lxcPath) / "hostbind-root";
    for (const char* d :
         {"usr", "etc", "proc", "sys", "dev", "tmp", "work", "run/sandbox", ".assay"}) {
        fs::create_directories(root / d);
    }
    for (const char* l : {"bin", "sbin", "lib", "lib64"}) {
        std::error_code ec;
        fs::create_symlink(std::string("usr/") + l, root / l, ec);
    }
    std::ofstream(root / "etc/passwd")
        << "root:x:0:0:root:/:/bin/sh\nstudent:x:1000:1000:student:/work:/bin/sh\n";
    std::ofstream(root / "etc/group") << "root:x:0:\nstudent:x:1000:\n";
    std::ofstream(root / ".assay/init").flush();
    fs::permissions(root / ".assay/init",
                    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    return root.string();
}

// Brings up "lo" in the container's network namespace (liblxc's "empty" type leaves it
// down): programs may talk to themselves, and to nothing else.
void bringUpLoopback(pid_t initPid) {
    const std::string nsPath = "/proc/" + std::to_string(initPid) + "/ns/net";
    const int netns = ::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC);
    if (netns < 0) throw std::runtime_error("cannot open the container's network namespace");
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (::setns(netns, CLONE_NEWNET) != 0) ::_exit(1);
        const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ifreq req{};
        std::memcpy(req.ifr_name, "lo", 3);
        if (s < 0 || ::ioctl(s, SIOCGIFFLAGS, &req) != 0) ::_exit(2);
        req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
        ::_exit(::ioctl(s, SIOCSIFFLAGS, &req) == 0 ? 0 : 3);
    }
    ::close(netns);
    int status = 0;
    while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error("cannot bring up the container's loopback interface");
    }
}

}  // namespace

Container::Container(const SandboxConfig& config, std::string name, unsigned idmapBase,
                     const SeccompFilter& seccomp)
    : config_(config), name_(std::move(name)), idmapBase_(idmapBase), seccomp_(seccomp) {
    lxc_ = lxc_container_new(name_.c_str(), config_.lxcPath.c_str());
    if (lxc_ == nullptr) throw std::runtime_error("lxc_container_new failed for " + name_);
    try {
        if (lxc_->is_running(lxc_)) lxc_->stop(lxc_);
        configure();
        lxc_->want_daemonize(lxc_, true);
        lxc_->want_close_all_fds(lxc_, true);
        if (!lxc_->start(lxc_, 0, nullptr)) {
            throw std::runtime_error("cannot start container " + name_ + ":\n" +
                                     logTail(config_.lxcPath + "/" + name_ + ".log"));
        }
        initPid_ = lxc_->init_pid(lxc_);
        if (initPid_ <= 0) throw std::runtime_error("container " + name_ + " has no init");
        initPidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, initPid_, 0));
        if (initPidfd_ < 0) throw std::runtime_error("pidfd_open of the container's init failed");
        // The OOM killer must pick the student's processes, never the reaper.
        writeSmallFile("/proc/" + std::to_string(initPid_) + "/oom_score_adj", "-1000");
        cgroup_ = ContainerCgroup::forPid(initPid_);
        bringUpLoopback(initPid_);
        prepareWorkdir(config_.defaults.tmpfsBytes);
    } catch (...) {
        stopHelpers();
        if (initPidfd_ >= 0) ::close(initPidfd_);
        initPidfd_ = -1;
        if (lxc_->is_running(lxc_)) lxc_->stop(lxc_);
        lxc_container_put(lxc_);
        lxc_ = nullptr;
        throw;
    }
}

Container::~Container() {
    stopHelpers();
    if (initPidfd_ >= 0) ::close(initPidfd_);
    if (lxc_ == nullptr) return;
    if (lxc_->is_running(lxc_)) {
        if (!lxc_->stop(lxc_) && initPid_ > 0) ::kill(initPid_, SIGKILL);
    }
    lxc_container_put(lxc_);
}

void Container::configure() {
    auto set = [&](const char* key, const std::string& value) {
        if (!lxc_->set_config_item(lxc_, key, value.c_str())) {
            throw std::runtime_error(std::string("liblxc refused ") + key + " = " + value);
        }
    };
    const std::string rootfs = config_.hostBind ? hostBindRoot(config_.lxcPath) : config_.rootfs;
    if (rootfs.empty()) throw std::runtime_error("no image rootfs configured");
    set("lxc.log.file", config_.lxcPath + "/" + name_ + ".log");
    set("lxc.log.level", "WARN");
    set("lxc.uts.name", "sandbox");
    set("lxc.rootfs.path", "dir:" + rootfs);
    set("lxc.rootfs.options", "ro");
    set("lxc.init.cmd", "/.assay/init");
    set("lxc.mount.entry", config_.initBinary + " .assay/init none bind,ro 0 0");
    if (config_.hostBind) set("lxc.mount.entry", "/usr usr none bind,ro,nodev,nosuid 0 0");
    set("lxc.mount.auto", "proc:mixed sys:ro");
    set("lxc.autodev", "1");
    // A mount point for /dev/shm, made by liblxc inside the container's /dev; the runner binds
    // each run's tmpfs onto it (the host's root may not create files in that /dev itself).
    set("lxc.mount.entry",
        "tmpfs dev/shm tmpfs create=dir,nosuid,nodev,noexec,size=64k,mode=1777 0 0");
    set("lxc.net.0.type", "empty");  // a network namespace with loopback only
    const std::string base = std::to_string(idmapBase_);
    set("lxc.idmap", "u 0 " + base + " 65536");
    set("lxc.idmap", "g 0 " + base + " 65536");
    set("lxc.cap.keep", "none");
    set("lxc.no_new_privs", "1");
    set("lxc.apparmor.profile", "unconfined");
    // No lxc.seccomp.profile: liblxc would compile it on every attach. The run's filter is
    // installed by the attached process itself (SeccompFilter); init runs our code only.
    set("lxc.tty.max", "0");
    set("lxc.pty.max", "0");
    set("lxc.console.path", "none");
    set("lxc.prlimit.core", "0");
    const std::string mem = std::to_string(config_.maximum.memoryBytes);
    if (hostCgroupVersion() == CgroupVersion::V2) {
        set("lxc.cgroup2.memory.max", mem);
        set("lxc.cgroup2.memory.swap.max", "0");
        set("lxc.cgroup2.pids.max", std::to_string(config_.maximum.pids));
        set("lxc.cgroup2.cpu.weight", std::to_string(config_.cpuShares * 100 / 1024));
    } else {
        set("lxc.cgroup.memory.limit_in_bytes", mem);
        set("lxc.cgroup.pids.max", std::to_string(config_.maximum.pids));
        set("lxc.cgroup.cpu.shares", std::to_string(config_.cpuShares));
    }
}

bool Container::healthy() const {
    if (!healthy_ || lxc_ == nullptr || initPidfd_ < 0) return false;
    // A killed init may linger as a zombie until liblxc's monitor reaps it: its pidfd is
    // readable from the moment it exits.
    pollfd p{initPidfd_, POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
}

void Container::recycle(std::uint64_t tmpfsBytes) {
    if (!healthy() || prepared_) return;
    try {
        // The next job most likely has the limits of the last one (the same assignment).
        prepareWorkdir(preparedBytes_ != 0 ? preparedBytes_ : tmpfsBytes);
    } catch (const std::exception& e) {
        markUnhealthy(std::string("recycle: ") + e.what());
    }
}

void Container::endRun() {
    if (!cgroup_ || !cgroup_->killAllExcept(keptPids(), 5000))
        markUnhealthy("processes survived the end of a run");
}

}  // namespace assay::containers
