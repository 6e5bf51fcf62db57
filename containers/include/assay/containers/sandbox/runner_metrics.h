// Counters of the runner: runs by verdict, run latency, pool size and busy containers,
// replacements. Exported as JSON (status request) and Prometheus text (metrics request).
#pragma once

#include <assay/containers/job.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace assay::containers {

class RunnerMetrics {
  public:
    static constexpr std::array<double, 12> kLatencyBucketsMs = {
        5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000};
    struct Snapshot {
        std::array<std::uint64_t, 7> runsByVerdict{};  // indexed by Verdict
        std::array<std::uint64_t, kLatencyBucketsMs.size() + 1> latencyBuckets{};  // last: +Inf
        double latencySumMs = 0;
        std::uint64_t runs = 0;
        unsigned poolSize = 0;
        unsigned busy = 0;
        unsigned waiting = 0;
        std::uint64_t replacements = 0;
        std::uint64_t startFailures = 0;
    };

    void recordRun(Verdict verdict, double latencyMs);
    void setPoolSize(unsigned n);
    void addBusy(int delta);
    void addWaiting(int delta);
    void recordReplacement();
    void recordStartFailure();
    Snapshot snapshot() const;

    // `containers`: one entry per pool slot (container name, "(busy)" or "" when empty).
    static std::string toJson(const Snapshot& s, const std::string& cgroupVersion,
                              const std::vector<std::string>& containers = {});
    static std::string toPrometheus(const Snapshot& s);

  private:
    mutable std::mutex mutex_;
    Snapshot s_;
};

}  // namespace assay::containers
