#pragma once
// Admission control and the grading workers, after APAS Edgar's design made exact:
//  - at most `grading.max_active` jobs run at once;
//  - the rest wait in a priority queue (the waiting room): 0 for final submissions, the
//    student's run number for practice runs, 1000 for instructors' design-time runs;
//  - a job that cannot start within `grading.waiting_room_timeout` is refused (HTTP 503);
//    final submissions are never refused: they wait, and survive restarts;
//  - every job is graded exactly once: the submission moves queued -> running -> graded in the
//    database, results and the submission.graded event commit together, and after a crash
//    running jobs are queued again.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "assay/core/config.h"
#include "assay/core/events/outbox.h"
#include "assay/core/grading/grading_service.h"
#include "assay/core/metrics.h"
#include "assay/core/store/store.h"

namespace assay::grading {

constexpr int kFinalPriority = 0;
constexpr int kDesignTimePriority = 1000;

class GradingQueue {
  public:
    GradingQueue(const Config& config, Store& store, PluginManager& plugins, Outbox& outbox,
                 Metrics& metrics);
    ~GradingQueue();

    // Re-queues what a previous process left unfinished, then starts the workers.
    void start();
    // Stops taking jobs; running jobs may finish within graceMs, the rest stay queued in the
    // database for the next start.
    void stop(int64_t graceMs);

    enum class Admission { Started, Queued, Refused };
    // Puts a stored submission in the waiting room. With `mayBeRefused`, waits until it starts
    // (Started) or the waiting-room timeout passes (Refused: the submission is marked rejected).
    // Otherwise returns Queued at once.
    Admission admit(int64_t submissionId, int priority, bool mayBeRefused);

    // Blocks until the submission is graded or failed, or `timeoutMs` passed; true if done.
    bool waitUntilDone(int64_t submissionId, int64_t timeoutMs);

    // Live updates for one submission (WebSocket): called with "queued", "running", "graded",
    // "failed" or "rejected". Returns a handle for unsubscribe().
    using Listener = std::function<void(const std::string& status)>;
    int64_t subscribe(int64_t submissionId, Listener listener);
    void unsubscribe(int64_t handle);

    int active() const { return active_.load(); }
    size_t waiting();
    int maxActive() const { return maxActive_; }
    int64_t retryAfterSeconds();  // the hint sent with 503: how long the queue needs to drain
    void countRefusal(const std::string& reason);  // for /metrics: "waiting_room_timeout", "pace"

  private:
    struct Job {
        int64_t submissionId = 0;
        int priority = 0;
        uint64_t seq = 0;
        int64_t enqueuedAtMs = 0;
        int64_t notBeforeMs = 0;
        int attempts = 0;
        bool started = false;  // picked by a worker at least once (admission has happened)
        bool refused = false;
    };
    struct Order {
        bool operator()(const std::shared_ptr<Job>& a, const std::shared_ptr<Job>& b) const {
            return a->priority != b->priority ? a->priority < b->priority : a->seq < b->seq;
        }
    };

    void enqueue(const std::shared_ptr<Job>& job);
    void worker();
    void run(const std::shared_ptr<Job>& job);
    void notify(int64_t submissionId, const std::string& status);

    const Config& config_;
    Store& store_;
    PluginManager& plugins_;
    Outbox& outbox_;
    GradingService service_;
    int maxActive_;
    int64_t waitingRoomTimeoutMs_;

    std::mutex mutex_;
    std::condition_variable workAvailable_;
    std::condition_variable changed_;  // a job started, finished or was refused
    std::set<std::shared_ptr<Job>, Order> waiting_;
    std::set<int64_t> inQueue_;                // submission ids waiting or running
    std::map<int64_t, std::string> finished_;  // recent terminal states, for waiters
    uint64_t seq_ = 0;
    std::atomic<int> active_{0};
    bool running_ = false;
    std::vector<std::thread> workers_;

    std::mutex listenersMutex_;
    int64_t nextListener_ = 1;
    std::map<int64_t, std::pair<int64_t, Listener>> listeners_;

    prometheus::Gauge* activeGauge_;
    prometheus::Gauge* waitingGauge_;
    prometheus::Histogram* waitTime_;
    prometheus::Histogram* gradingTime_;
    prometheus::Family<prometheus::Counter>* refused_;
    prometheus::Family<prometheus::Counter>* outcomes_;
};

}  // namespace assay::grading
