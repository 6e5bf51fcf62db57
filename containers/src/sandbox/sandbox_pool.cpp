#include <assay/containers/sandbox/sandbox_pool.h>

#include "cgroup.h"
#include "container.h"
#include "seccomp_filter.h"

#include <lxc/lxccontainer.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

namespace assay::containers {

Limits effectiveLimits(const Limits& requested, const SandboxConfig& config) {
    auto pick = [](std::uint64_t want, std::uint64_t def, std::uint64_t max) {
        const std::uint64_t v = want == 0 ? def : want;
        return std::min(v, max);
    };
    const Limits& d = config.defaults;
    const Limits& m = config.maximum;
    Limits l;
    l.cpuMs = pick(requested.cpuMs, d.cpuMs, m.cpuMs);
    l.wallMs = pick(requested.wallMs, d.wallMs, m.wallMs);
    l.memoryBytes = std::max<std::uint64_t>(
        pick(requested.memoryBytes, d.memoryBytes, m.memoryBytes), 16u << 20);
    l.outputBytes = pick(requested.outputBytes, d.outputBytes, m.outputBytes);
    l.pids = std::max<std::uint64_t>(pick(requested.pids, d.pids, m.pids), 4);
    l.fileSizeBytes = pick(requested.fileSizeBytes, d.fileSizeBytes, m.fileSizeBytes);
    l.tmpfsBytes =
        std::max<std::uint64_t>(pick(requested.tmpfsBytes, d.tmpfsBytes, m.tmpfsBytes), 1u << 20);
    return l;
}

struct SandboxPool::Slot {
    std::unique_ptr<Container> container;  // null while it could not be (re)started
    unsigned generation = 0;
    bool busy = false;
};

namespace {

constexpr std::chrono::seconds kHealthCheckEvery{1};

// Stops containers a previous runner left behind under the same prefix.
void stopLeftovers(const SandboxConfig& config) {
    char** names = nullptr;
    const int n = list_all_containers(config.lxcPath.c_str(), &names, nullptr);
    for (int i = 0; i < n; ++i) {
        const std::string name = names[i];
        if (name.rfind(config.namePrefix + "-", 0) == 0) {
            if (lxc_container* c = lxc_container_new(name.c_str(), config.lxcPath.c_str())) {
                if (c->is_running(c)) c->stop(c);
                lxc_container_put(c);
            }
        }
        std::free(names[i]);
    }
    std::free(names);
}

// liblxc leaves the cgroups of stopped containers and of their monitors behind on cgroup v1
// (they are still busy when it tries, and it names the next ones "<name>-1", "-2", ...).
// Removes every empty one of this pool's prefix; busy ones (live containers) stay.
void removeLeftoverCgroups(const std::string& prefix) {
    namespace fs = std::filesystem;
    std::vector<fs::path> roots;
    std::error_code ec;
    if (hostCgroupVersion() == CgroupVersion::V2) {
        roots.emplace_back("/sys/fs/cgroup");
    } else {
        for (const auto& e : fs::directory_iterator("/sys/fs/cgroup", ec)) {
            if (e.is_directory(ec) && !e.is_symlink(ec)) roots.push_back(e.path());
        }
    }
    for (const auto& root : roots) {
        for (const auto& e : fs::directory_iterator(root, ec)) {
            const std::string name = e.path().filename().string();
            if (name.rfind("lxc.monitor." + prefix + "-", 0) == 0 ||
                name.rfind("lxc.payload." + prefix + "-", 0) == 0) {
                ::rmdir(e.path().c_str());
            }
        }
    }
}

}  // namespace

SandboxPool::SandboxPool(SandboxConfig config)
    : config_(std::move(config)), seccomp_(std::make_unique<SeccompFilter>()) {
    if (config_.poolSize == 0) config_.poolSize = std::max(1u, std::thread::hardware_concurrency());
    std::filesystem::create_directories(config_.lxcPath);
    stopLeftovers(config_);
    removeLeftoverCgroups(config_.namePrefix);
    // The init is bound from a copy under the lxc path: /proc/self/mountinfo inside a container
    // shows the source path, and the build tree's name is nobody's business there.
    const std::string init = config_.lxcPath + "/assay-init";
    if (config_.initBinary != init) {
        std::filesystem::copy_file(config_.initBinary, init,
                                   std::filesystem::copy_options::overwrite_existing);
        std::filesystem::permissions(init, std::filesystem::perms::owner_all |
                                               std::filesystem::perms::group_exec |
                                               std::filesystem::perms::others_exec);
        config_.initBinary = init;
    }
    std::string firstError;
    for (std::size_t i = 0; i < config_.poolSize; ++i) {
        auto slot = std::make_unique<Slot>();
        try {
            slot->container = std::make_unique<Container>(
                config_, config_.namePrefix + "-" + std::to_string(i) + "-0",
                config_.idmapBase + static_cast<unsigned>(i) * 65536u, *seccomp_);
        } catch (const std::exception& e) {
            if (firstError.empty()) firstError = e.what();
            metrics_.recordStartFailure();
        }
        slots_.push_back(std::move(slot));
    }
    const bool any = std::any_of(slots_.begin(), slots_.end(),
                                 [](const auto& s) { return s->container != nullptr; });
    if (!any) throw std::runtime_error("no sandbox container could start: " + firstError);
    metrics_.setPoolSize(config_.poolSize);
    recycler_ = std::thread([this] { recycleLoop(); });
}

SandboxPool::~SandboxPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    recycleWake_.notify_all();
    if (recycler_.joinable()) recycler_.join();
    for (auto& slot : slots_)
        slot->container.reset();
    removeLeftoverCgroups(config_.namePrefix);
}

void SandboxPool::recycleLoop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        const bool work = recycleWake_.wait_for(lock, kHealthCheckEvery,
                                                [&] { return stopping_ || !toRecycle_.empty(); });
        if (stopping_ && toRecycle_.empty()) return;
        if (!work) {
            // Idle for a while: an idle container whose init died (killed from outside, say)
            // is replaced now rather than when the next job lands on it.
            for (std::size_t i = 0; i < slots_.size(); ++i) {
                Slot& s = *slots_[i];
                if (s.busy || !s.container || s.container->healthy()) continue;
                s.busy = true;
                metrics_.addBusy(1);
                toRecycle_.push_back(i);
            }
            continue;
        }
        const std::size_t index = toRecycle_.front();
        toRecycle_.pop_front();
        lock.unlock();
        Slot& slot = *slots_[index];
        if (slot.container && slot.container->healthy())
            slot.container->recycle(config_.defaults.tmpfsBytes);
        if (!slot.container || !slot.container->healthy()) {
            if (slot.container) {
                std::cerr << "assay-runner: replacing container " << slot.container->name() << ": "
                          << (slot.container->failure().empty() ? "its init is gone"
                                                                : slot.container->failure())
                          << "\n";
                metrics_.recordReplacement();
            }
            slot.container.reset();
            removeLeftoverCgroups(config_.namePrefix);
            slot.container = startContainer(index);
        }
        release(index);
        lock.lock();
    }
}

std::unique_ptr<Container> SandboxPool::startContainer(std::size_t index) {
    Slot& slot = *slots_[index];
    ++slot.generation;
    const std::string name =
        config_.namePrefix + "-" + std::to_string(index) + "-" + std::to_string(slot.generation);
    try {
        return std::make_unique<Container>(
            config_, name, config_.idmapBase + static_cast<unsigned>(index) * 65536u, *seccomp_);
    } catch (const std::exception& e) {
        std::cerr << "assay-runner: cannot start container " << name << ": " << e.what() << "\n";
        metrics_.recordStartFailure();
        return nullptr;
    }
}

std::size_t SandboxPool::acquire() {
    std::unique_lock lock(mutex_);
    metrics_.addWaiting(1);
    std::size_t index = 0;
    freed_.wait(lock, [&] {
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (!slots_[i]->busy) {
                index = i;
                return true;
            }
        }
        return false;
    });
    slots_[index]->busy = true;
    metrics_.addWaiting(-1);
    metrics_.addBusy(1);
    return index;
}

void SandboxPool::release(std::size_t index) {
    {
        std::lock_guard lock(mutex_);
        slots_[index]->busy = false;
        metrics_.addBusy(-1);
    }
    freed_.notify_one();
}

RunResult SandboxPool::run(const Job& job) {
    const auto start = std::chrono::steady_clock::now();
    const Limits limits = effectiveLimits(job.limits, config_);
    const std::size_t index = acquire();
    Slot& slot = *slots_[index];
    RunResult result;
    // A container found broken before or during the job (its init died, attach failed) is
    // replaced and the job tried once more: a sandbox failure is never the student's.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!slot.container || !slot.container->healthy()) {
            if (slot.container) {
                std::cerr << "assay-runner: replacing container " << slot.container->name() << ": "
                          << (slot.container->failure().empty() ? "its init is gone"
                                                                : slot.container->failure())
                          << "\n";
                metrics_.recordReplacement();
            }
            slot.container.reset();
            slot.container = startContainer(index);
        }
        if (!slot.container) {
            result = RunResult{};
            result.errorMessage = "no container available in slot " + std::to_string(index);
            break;
        }
        result = slot.container->run(job, limits);
        if (result.verdict != Verdict::SandboxError || slot.container->healthy()) break;
    }
    // Resetting (or replacing) the container happens after the reply, on the recycler thread,
    // which frees the slot when done.
    {
        std::lock_guard lock(mutex_);
        toRecycle_.push_back(index);
    }
    recycleWake_.notify_one();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    metrics_.recordRun(result.verdict, ms);
    return result;
}

std::vector<std::string> SandboxPool::containerNames() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    // Busy slots belong to their worker, which may be replacing the container right now.
    for (const auto& s : slots_)
        names.push_back(s->busy ? "(busy)" : s->container ? s->container->name() : "");
    return names;
}

}  // namespace assay::containers
