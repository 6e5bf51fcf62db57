#include "cgroup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace assay::containers {

std::string readSmallFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return out;
}

bool writeSmallFile(const std::string& path, const std::string& value) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
    ::close(fd);
    return ok;
}

CgroupVersion hostCgroupVersion() {
    struct stat st {};
    return ::stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0 ? CgroupVersion::V2
                                                                 : CgroupVersion::V1;
}

namespace {

std::uint64_t toU64(const std::string& s) {
    try {
        return std::stoull(s);
    } catch (const std::exception&) {
        return 0;
    }
}

// Value of "key N" in a flat keyed file (memory.events, cpu.stat, memory.oom_control).
std::uint64_t keyedValue(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    std::string k;
    std::uint64_t v = 0;
    while (in >> k >> v) {
        if (k == key) return v;
    }
    return 0;
}

std::vector<pid_t> readPids(const std::string& file) {
    std::vector<pid_t> out;
    std::istringstream in(readSmallFile(file));
    long p;
    while (in >> p)
        out.push_back(static_cast<pid_t>(p));
    return out;
}

// A cgroup file opened once, with the container, and then read and written at offset 0: a
// run touches about fifteen of them, and an open costs a path walk through the cgroup file
// system. Not for a v1 cgroup.procs, whose open file keeps serving a cached pid list.
class CgroupFile {
  public:
    explicit CgroupFile(std::string path) : path_(std::move(path)) { open(); }
    CgroupFile(const CgroupFile&) = delete;
    CgroupFile& operator=(const CgroupFile&) = delete;
    ~CgroupFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    // The whole content; empty when the file is missing or unreadable.
    std::string read() {
        if (!open()) return {};
        std::string out;
        char buf[4096];
        ssize_t n;
        // A read shorter than the buffer got all there is (these files are a line or a few).
        while ((n = ::pread(fd_, buf, sizeof buf, static_cast<off_t>(out.size()))) > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            if (n < static_cast<ssize_t>(sizeof buf)) break;
        }
        return out;
    }
    std::uint64_t number() { return toU64(read()); }
    bool write(const std::string& value) {
        return open() &&
               ::pwrite(fd_, value.data(), value.size(), 0) == static_cast<ssize_t>(value.size());
    }

  private:
    bool open() {
        if (fd_ < 0 && !path_.empty()) {
            fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
            if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        }
        return fd_ >= 0;
    }
    std::string path_;
    int fd_ = -1;
};

using Clock = std::chrono::steady_clock;

// Kill loop shared by both versions: freeze, kill all but `keep`, thaw, wait until empty.
// `tasks` counts the cgroup's tasks (-1: unknown); when it equals the live pids in `keep`,
// as after almost every run, nothing else is read or written.
template <typename Tasks, typename Freeze, typename Thaw>
bool killLoop(const std::string& procsFile, const std::vector<pid_t>& keep, int timeoutMs,
              Tasks tasks, Freeze freeze, Thaw thaw) {
    const auto live = std::count_if(keep.begin(), keep.end(), [](pid_t p) { return p > 0; });
    if (tasks() == live) return true;
    auto kept = [&](pid_t p) { return std::find(keep.begin(), keep.end(), p) != keep.end(); };
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    for (int round = 0;; ++round) {
        auto pids = readPids(procsFile);
        bool others = false;
        for (pid_t p : pids)
            others |= !kept(p);
        if (!others) return true;
        if (Clock::now() > deadline) return false;
        const bool frozen = freeze();
        for (pid_t p : readPids(procsFile)) {
            if (!kept(p)) ::kill(p, SIGKILL);
        }
        if (frozen) thaw();
        std::this_thread::sleep_for(std::chrono::microseconds(round < 10 ? 200 : 2000));
    }
}

class CgroupV1 final : public ContainerCgroup {
  public:
    explicit CgroupV1(pid_t pid) {
        std::istringstream in(readSmallFile("/proc/" + std::to_string(pid) + "/cgroup"));
        std::string line;
        std::string memory, cpuacct, pids;
        while (std::getline(in, line)) {
            const auto a = line.find(':');
            const auto b = line.find(':', a + 1);
            if (a == std::string::npos || b == std::string::npos) continue;
            const std::string controllers = line.substr(a + 1, b - a - 1);
            const std::string path = line.substr(b + 1);
            std::istringstream cs(controllers);
            std::string c;
            while (std::getline(cs, c, ',')) {
                const std::string dir = "/sys/fs/cgroup/" + c + path;
                if (c == "memory") memory = dir;
                if (c == "cpuacct") cpuacct = dir;
                if (c == "pids") pids = dir;
                if (c == "freezer") freezer_ = dir;
            }
        }
        if (memory.empty() || cpuacct.empty() || pids.empty()) {
            throw std::runtime_error("container cgroup lacks memory, cpuacct or pids (cgroup v1)");
        }
        memsw_ = ::access((memory + "/memory.memsw.limit_in_bytes").c_str(), F_OK) == 0;
        limit_ = std::make_unique<CgroupFile>(memory + "/memory.limit_in_bytes");
        if (memsw_)
            swLimit_ = std::make_unique<CgroupFile>(memory + "/memory.memsw.limit_in_bytes");
        maxUsage_ = std::make_unique<CgroupFile>(memory + "/memory.max_usage_in_bytes");
        if (memsw_)
            swMaxUsage_ = std::make_unique<CgroupFile>(memory + "/memory.memsw.max_usage_in_bytes");
        oomControl_ = std::make_unique<CgroupFile>(memory + "/memory.oom_control");
        cpuUsage_ = std::make_unique<CgroupFile>(cpuacct + "/cpuacct.usage");
        pidsMax_ = std::make_unique<CgroupFile>(pids + "/pids.max");
        pidsCurrent_ = std::make_unique<CgroupFile>(pids + "/pids.current");
        procs_ = pids + "/cgroup.procs";
        if (!freezer_.empty())
            freezeState_ = std::make_unique<CgroupFile>(freezer_ + "/freezer.state");
    }

    void setMemoryLimit(std::uint64_t bytes) override {
        if (bytes == memoryLimit_) return;
        const std::string v = std::to_string(bytes);
        // memsw must stay >= memory: order the writes so that every step is valid.
        const std::uint64_t current = limit_->number();
        if (memsw_ && bytes > current) swLimit_->write(v);
        if (!limit_->write(v)) throw std::runtime_error("cannot set memory.limit_in_bytes");
        if (memsw_) swLimit_->write(v);
        memoryLimit_ = bytes;
    }
    void setPidsLimit(std::uint64_t pids) override {
        if (pids == pidsLimit_) return;
        if (!pidsMax_->write(std::to_string(pids))) throw std::runtime_error("cannot set pids.max");
        pidsLimit_ = pids;
    }
    void beginRun() override {
        maxUsage_->write("0");
        if (memsw_) swMaxUsage_->write("0");
        cpuUsage_->write("0");
        oomBase_ = keyedValue(oomControl_->read(), "oom_kill");
    }
    std::uint64_t cpuUsageUs() override { return cpuUsage_->number() / 1000; }
    std::uint64_t peakMemoryBytes() override {
        return memsw_ ? swMaxUsage_->number() : maxUsage_->number();
    }
    std::uint64_t oomKills() override {
        return keyedValue(oomControl_->read(), "oom_kill") - oomBase_;
    }

    bool killAllExcept(const std::vector<pid_t>& keep, int timeoutMs) override {
        auto tasks = [&] {
            const std::string n = pidsCurrent_->read();
            return n.empty() ? -1L : static_cast<long>(toU64(n));
        };
        auto freeze = [&] {
            if (!freezeState_ || !freezeState_->write("FROZEN")) return false;
            for (int i = 0; i < 200; ++i) {
                if (freezeState_->read().rfind("FROZEN", 0) == 0) return true;
                std::this_thread::sleep_for(std::chrono::microseconds(100));
            }
            return true;
        };
        auto thaw = [&] { freezeState_->write("THAWED"); };
        return killLoop(procs_, keep, timeoutMs, tasks, freeze, thaw);
    }

  private:
    std::string freezer_, procs_;
    bool memsw_ = false;
    std::unique_ptr<CgroupFile> limit_, swLimit_, maxUsage_, swMaxUsage_, oomControl_, cpuUsage_,
        pidsMax_, pidsCurrent_, freezeState_;
    std::uint64_t memoryLimit_ = 0, pidsLimit_ = 0;  // last values written (0: not yet)
    std::uint64_t oomBase_ = 0;
};

class CgroupV2 final : public ContainerCgroup {
  public:
    explicit CgroupV2(pid_t pid) {
        std::istringstream in(readSmallFile("/proc/" + std::to_string(pid) + "/cgroup"));
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("0::", 0) == 0) dir_ = "/sys/fs/cgroup" + line.substr(3);
        }
        if (dir_.empty()) throw std::runtime_error("container has no cgroup v2 path");
        cpuStat_ = std::make_unique<CgroupFile>(dir_ + "/cpu.stat");
        events_ = std::make_unique<CgroupFile>(dir_ + "/memory.events");
        freeze_ = std::make_unique<CgroupFile>(dir_ + "/cgroup.freeze");
        pidsCurrent_ = std::make_unique<CgroupFile>(dir_ + "/pids.current");
    }

    void setMemoryLimit(std::uint64_t bytes) override {
        if (bytes == memoryLimit_) return;
        if (!writeSmallFile(dir_ + "/memory.max", std::to_string(bytes)))
            throw std::runtime_error("cannot set memory.max");
        writeSmallFile(dir_ + "/memory.swap.max", "0");
        memoryLimit_ = bytes;
    }
    void setPidsLimit(std::uint64_t pids) override {
        if (pids == pidsLimit_) return;
        if (!writeSmallFile(dir_ + "/pids.max", std::to_string(pids)))
            throw std::runtime_error("cannot set pids.max");
        pidsLimit_ = pids;
    }
    ~CgroupV2() override {
        if (peakFd_ >= 0) ::close(peakFd_);
    }
    void beginRun() override {
        cpuBase_ = keyedValue(cpuStat_->read(), "usage_usec");
        oomBase_ = keyedValue(events_->read(), "oom_kill");
        // From Linux 6.12 a write to memory.peak resets the peak seen through that open file;
        // older kernels refuse the write and report the cgroup's lifetime peak.
        if (peakFd_ >= 0) ::close(peakFd_);
        peakFd_ = ::open((dir_ + "/memory.peak").c_str(), O_RDWR | O_CLOEXEC);
        if (peakFd_ < 0) peakFd_ = ::open((dir_ + "/memory.peak").c_str(), O_RDONLY | O_CLOEXEC);
        if (peakFd_ >= 0) (void)!::write(peakFd_, "reset", 5);
    }
    std::uint64_t cpuUsageUs() override {
        return keyedValue(cpuStat_->read(), "usage_usec") - cpuBase_;
    }
    std::uint64_t peakMemoryBytes() override {
        if (peakFd_ < 0) return toU64(readSmallFile(dir_ + "/memory.peak"));
        char buf[32] = {};
        const ssize_t n = ::pread(peakFd_, buf, sizeof buf - 1, 0);
        return n > 0 ? toU64(std::string(buf, static_cast<std::size_t>(n))) : 0;
    }
    std::uint64_t oomKills() override { return keyedValue(events_->read(), "oom_kill") - oomBase_; }

    bool killAllExcept(const std::vector<pid_t>& keep, int timeoutMs) override {
        auto tasks = [&] {
            const std::string n = pidsCurrent_->read();
            return n.empty() ? -1L : static_cast<long>(toU64(n));
        };
        auto freeze = [&] { return freeze_->write("1"); };
        auto thaw = [&] { freeze_->write("0"); };
        return killLoop(dir_ + "/cgroup.procs", keep, timeoutMs, tasks, freeze, thaw);
    }

  private:
    std::string dir_;
    std::unique_ptr<CgroupFile> cpuStat_, events_, freeze_, pidsCurrent_;
    std::uint64_t memoryLimit_ = 0, pidsLimit_ = 0;  // last values written (0: not yet)
    std::uint64_t cpuBase_ = 0, oomBase_ = 0;
    int peakFd_ = -1;
};

}  // namespace

std::vector<std::string> cgroupProcsFiles(pid_t pid) {
    std::istringstream in(readSmallFile("/proc/" + std::to_string(pid) + "/cgroup"));
    std::string line;
    const bool v2 = hostCgroupVersion() == CgroupVersion::V2;
    std::vector<std::string> files;
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
        const std::string file = dir + path + "/cgroup.procs";
        if (::access(file.c_str(), W_OK) == 0) files.push_back(file);
    }
    if (files.empty()) throw std::runtime_error("no cgroup of the container is writable");
    return files;
}

std::unique_ptr<ContainerCgroup> ContainerCgroup::forPid(pid_t pid) {
    if (hostCgroupVersion() == CgroupVersion::V2) return std::make_unique<CgroupV2>(pid);
    return std::make_unique<CgroupV1>(pid);
}

}  // namespace assay::containers
