#include "assay/core/grading/queue.h"

#include <algorithm>
#include <chrono>

#include "assay/core/bundle/manifest.h"
#include "assay/core/log.h"
#include "assay/core/model.h"

namespace assay::grading {
namespace {

constexpr int kMaxRunAttempts = 3;  // practice runs; final submissions are retried until graded

int64_t retryDelayMs(int attempts) {
    return std::min<int64_t>(int64_t{1000} << std::min(attempts, 8), 60'000);
}

json::Object gradedPayload(const Submission& s, int64_t courseId, double score, double maxScore) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("submission_id", s.id);
    o->set("user_id", s.userId);
    o->set("assignment_id", s.assignmentId);
    o->set("course_id", courseId);
    o->set("kind", s.kind);
    o->set("ordinal", s.ordinal);
    o->set("score", score);
    o->set("max_score", maxScore);
    // Times as Unix milliseconds: the LMS is told when the student really submitted.
    o->set("created_at", s.createdAt);
    o->set("graded_at", nowMs());
    return o;
}

}  // namespace

GradingQueue::GradingQueue(const Config& config, Store& store, PluginManager& plugins,
                           Outbox& outbox, Metrics& metrics)
    : config_(config), store_(store), plugins_(plugins), outbox_(outbox), service_(plugins) {
    maxActive_ = static_cast<int>(config.integer("grading.max_active"));
    if (maxActive_ == 0)
        maxActive_ = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    waitingRoomTimeoutMs_ = config.durationMs("grading.waiting_room_timeout");
    auto& reg = metrics.registry();
    activeGauge_ = &prometheus::BuildGauge()
                        .Name("assay_grading_active")
                        .Help("Jobs being graded")
                        .Register(reg)
                        .Add({});
    waitingGauge_ = &prometheus::BuildGauge()
                         .Name("assay_grading_waiting")
                         .Help("Jobs in the waiting room")
                         .Register(reg)
                         .Add({});
    const prometheus::Histogram::BucketBoundaries b{0.01, 0.05, 0.1, 0.25, 0.5, 1,
                                                    2,    5,    10,  30,   60};
    waitTime_ = &prometheus::BuildHistogram()
                     .Name("assay_grading_wait_seconds")
                     .Help("Time from admission to the start of grading")
                     .Register(reg)
                     .Add({}, b);
    gradingTime_ = &prometheus::BuildHistogram()
                        .Name("assay_grading_duration_seconds")
                        .Help("Time spent grading one submission")
                        .Register(reg)
                        .Add({}, b);
    refused_ = &prometheus::BuildCounter()
                    .Name("assay_grading_refused_total")
                    .Help("Runs refused: 503 (waiting_room_timeout) and 429 (pace)")
                    .Register(reg);
    outcomes_ = &prometheus::BuildCounter()
                     .Name("assay_grading_outcomes_total")
                     .Help("Grading jobs by outcome (graded, retried, failed) and kind")
                     .Register(reg);
    metrics.onScrape([this] {
        activeGauge_->Set(active_.load());
        waitingGauge_->Set(static_cast<double>(waiting()));
    });
}

GradingQueue::~GradingQueue() {
    stop(0);
}

void GradingQueue::start() {
    const int64_t requeued = store_.requeueRunning();
    if (requeued)
        log::get("grading").warning("re-queued " + std::to_string(requeued) +
                                    " job(s) a previous run left unfinished");
    // Everything still queued in the database goes back into the waiting room.
    for (const auto& s : store_.submissionsWithStatus("queued", 100000)) {
        auto job = std::make_shared<Job>();
        job->submissionId = s.id;
        job->priority = s.kind == "submit" ? kFinalPriority : s.ordinal;
        enqueue(job);
    }
    std::lock_guard lock(mutex_);
    running_ = true;
    for (int i = 0; i < maxActive_; ++i)
        workers_.emplace_back([this] { worker(); });
    log::get("grading").information("grading with at most " + std::to_string(maxActive_) +
                                    " jobs at once");
}

void GradingQueue::stop(int64_t graceMs) {
    {
        std::unique_lock lock(mutex_);
        if (!running_) return;
        running_ = false;
        workAvailable_.notify_all();
        changed_.wait_for(lock, std::chrono::milliseconds(graceMs),
                          [this] { return active_.load() == 0; });
    }
    for (auto& t : workers_)
        t.join();
    workers_.clear();
}

void GradingQueue::enqueue(const std::shared_ptr<Job>& job) {
    std::lock_guard lock(mutex_);
    if (inQueue_.count(job->submissionId)) return;
    job->seq = ++seq_;
    job->enqueuedAtMs = nowMs();
    waiting_.insert(job);
    inQueue_.insert(job->submissionId);
    finished_.erase(job->submissionId);
    workAvailable_.notify_one();
}

GradingQueue::Admission GradingQueue::admit(int64_t submissionId, int priority, bool mayBeRefused) {
    auto job = std::make_shared<Job>();
    job->submissionId = submissionId;
    job->priority = priority;
    enqueue(job);
    notify(submissionId, "queued");
    if (!mayBeRefused) return Admission::Queued;
    std::unique_lock lock(mutex_);
    if (changed_.wait_for(lock, std::chrono::milliseconds(waitingRoomTimeoutMs_),
                          [&] { return job->started; }))
        return Admission::Started;
    // Still waiting: take it out of the room before a worker can pick it.
    waiting_.erase(job);
    inQueue_.erase(submissionId);
    job->refused = true;
    finished_[submissionId] = "rejected";
    lock.unlock();
    store_.transition(submissionId, "queued", "rejected");
    countRefusal("waiting_room_timeout");
    notify(submissionId, "rejected");
    return Admission::Refused;
}

bool GradingQueue::waitUntilDone(int64_t submissionId, int64_t timeoutMs) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] {
        return finished_.count(submissionId) > 0 && !inQueue_.count(submissionId);
    });
}

size_t GradingQueue::waiting() {
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

int64_t GradingQueue::retryAfterSeconds() {
    // Roughly how long the waiting room needs to drain at the current pace, at least 2 s.
    const size_t w = waiting();
    return std::clamp<int64_t>(static_cast<int64_t>(w) / std::max(1, maxActive_) + 2, 2, 60);
}

void GradingQueue::countRefusal(const std::string& reason) {
    refused_->Add({{"reason", reason}}).Increment();
}

int64_t GradingQueue::subscribe(int64_t submissionId, Listener listener) {
    std::lock_guard lock(listenersMutex_);
    const int64_t h = nextListener_++;
    listeners_[h] = {submissionId, std::move(listener)};
    return h;
}

void GradingQueue::unsubscribe(int64_t handle) {
    std::lock_guard lock(listenersMutex_);
    listeners_.erase(handle);
}

void GradingQueue::notify(int64_t submissionId, const std::string& status) {
    std::vector<Listener> targets;
    {
        std::lock_guard lock(listenersMutex_);
        for (const auto& [h, l] : listeners_)
            if (l.first == submissionId) targets.push_back(l.second);
    }
    for (auto& t : targets) {
        try {
            t(status);
        } catch (...) {
        }
    }
}

void GradingQueue::worker() {
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(mutex_);
            for (;;) {
                if (!running_) return;
                const int64_t now = nowMs();
                int64_t soonest = INT64_MAX;
                for (const auto& j : waiting_) {
                    if (j->notBeforeMs <= now) {
                        job = j;
                        break;
                    }
                    soonest = std::min(soonest, j->notBeforeMs);
                }
                if (job) break;
                if (soonest == INT64_MAX)
                    workAvailable_.wait(lock);
                else
                    workAvailable_.wait_for(lock, std::chrono::milliseconds(soonest - now));
            }
            waiting_.erase(job);
            job->started = true;
            ++active_;
            changed_.notify_all();
        }
        waitTime_->Observe(static_cast<double>(nowMs() - job->enqueuedAtMs) / 1000.0);
        try {
            run(job);
        } catch (const std::exception& e) {
            log::get("grading").error("job for submission " + std::to_string(job->submissionId) +
                                      " failed: " + e.what());
            // Leave it queued in the database: the next start (or a retry) picks it up.
            store_.transition(job->submissionId, "running", "queued");
            std::lock_guard lock(mutex_);
            inQueue_.erase(job->submissionId);
        }
        --active_;
        std::lock_guard lock(mutex_);
        changed_.notify_all();
    }
}

void GradingQueue::run(const std::shared_ptr<Job>& job) {
    const auto started = std::chrono::steady_clock::now();
    if (!store_.transition(job->submissionId, "queued", "running")) {
        // Someone else has it, or it was refused meanwhile.
        std::lock_guard lock(mutex_);
        inQueue_.erase(job->submissionId);
        return;
    }
    notify(job->submissionId, "running");
    auto sub = store_.findSubmission(job->submissionId);
    auto version = sub ? store_.findVersionById(sub->assignmentVersionId) : std::nullopt;
    auto assignment = sub ? store_.findAssignment(sub->assignmentId) : std::nullopt;
    if (!sub || !version || !assignment)
        throw std::runtime_error("submission or assignment vanished");

    GradeInput in;
    in.submissionId = sub->id;
    in.kind = sub->kind;
    in.manifestJson = version->manifestJson;
    in.manifest = bundle::parseManifest(version->manifestJson);
    in.assignmentFiles = version->files;
    in.studentFiles = sub->files;
    GradeOutput out = service_.grade(in);
    gradingTime_->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

    std::string terminal;
    if (out.systemError) {
        ++job->attempts;
        const bool retry = sub->kind == "submit" || job->attempts < kMaxRunAttempts;
        log::get("grading").warning(
            "submission " + std::to_string(sub->id) + ": " + out.error +
            (retry ? " (will retry)" : " (giving up: not the student's fault)"));
        if (retry) {
            store_.transition(sub->id, "running", "queued");
            outcomes_->Add({{"outcome", "retried"}, {"kind", sub->kind}}).Increment();
            std::lock_guard lock(mutex_);
            job->notBeforeMs = nowMs() + retryDelayMs(job->attempts);
            job->seq = ++seq_;
            waiting_.insert(job);
            workAvailable_.notify_one();
            return;
        }
        store_.transition(sub->id, "running", "failed");
        outcomes_->Add({{"outcome", "failed"}, {"kind", sub->kind}}).Increment();
        terminal = "failed";
    } else {
        bool saved = false;
        store_.database().transaction([&](db::Connection& c) {
            saved = Store::saveResultsIn(c, sub->id, out.scored.score, out.scored.maxScore,
                                         out.scored.results);
            if (saved)
                outbox_.publishIn(c, "submission.graded",
                                  gradedPayload(*sub, assignment->courseId, out.scored.score,
                                                out.scored.maxScore));
        });
        outbox_.kick();
        outcomes_->Add({{"outcome", saved ? "graded" : "duplicate"}, {"kind", sub->kind}})
            .Increment();
        terminal = "graded";
    }
    {
        std::lock_guard lock(mutex_);
        inQueue_.erase(sub->id);
        finished_[sub->id] = terminal;
        if (finished_.size() > 10000) finished_.erase(finished_.begin());
    }
    notify(sub->id, terminal);
}

}  // namespace assay::grading
