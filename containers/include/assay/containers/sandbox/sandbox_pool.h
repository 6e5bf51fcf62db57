// The warm pool: N started containers; each job runs in a free one, which is reset (or
// replaced when it misbehaved) before the next job.
#pragma once

#include <assay/containers/job.h>
#include <assay/containers/sandbox/runner_metrics.h>
#include <assay/containers/sandbox/sandbox_config.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace assay::containers {

class Container;
class SeccompFilter;

class SandboxPool {
  public:
    // Starts config.poolSize containers (0: one per core). Throws std::runtime_error when not
    // even one can start (the message carries liblxc's reason).
    explicit SandboxPool(SandboxConfig config);
    ~SandboxPool();
    SandboxPool(const SandboxPool&) = delete;
    SandboxPool& operator=(const SandboxPool&) = delete;

    // Runs a job in the next free container (waits for one). Never throws.
    RunResult run(const Job& job);

    RunnerMetrics::Snapshot metrics() const { return metrics_.snapshot(); }
    const SandboxConfig& config() const { return config_; }
    // Names of the pool's containers, for tests and status (empty slot: "").
    std::vector<std::string> containerNames() const;

  private:
    struct Slot;
    std::size_t acquire();
    void release(std::size_t index);
    std::unique_ptr<Container> startContainer(std::size_t index);
    void recycleLoop();

    SandboxConfig config_;
    std::unique_ptr<SeccompFilter> seccomp_;
    std::vector<std::unique_ptr<Slot>> slots_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    RunnerMetrics metrics_;
    std::deque<std::size_t> toRecycle_;
    std::condition_variable recycleWake_;
    bool stopping_ = false;
    std::thread recycler_;  // last member: started after, stopped before everything else
};

}  // namespace assay::containers
