#include <assay/containers/sandbox/runner_metrics.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace assay::containers {

void RunnerMetrics::recordRun(Verdict verdict, double latencyMs) {
    std::lock_guard lock(mutex_);
    ++s_.runsByVerdict[static_cast<std::size_t>(verdict)];
    ++s_.runs;
    s_.latencySumMs += latencyMs;
    std::size_t i = 0;
    while (i < kLatencyBucketsMs.size() && latencyMs > kLatencyBucketsMs[i])
        ++i;
    ++s_.latencyBuckets[i];
}

void RunnerMetrics::setPoolSize(unsigned n) {
    std::lock_guard lock(mutex_);
    s_.poolSize = n;
}

void RunnerMetrics::addBusy(int delta) {
    std::lock_guard lock(mutex_);
    s_.busy = static_cast<unsigned>(static_cast<int>(s_.busy) + delta);
}

void RunnerMetrics::addWaiting(int delta) {
    std::lock_guard lock(mutex_);
    s_.waiting = static_cast<unsigned>(static_cast<int>(s_.waiting) + delta);
}

void RunnerMetrics::recordReplacement() {
    std::lock_guard lock(mutex_);
    ++s_.replacements;
}

void RunnerMetrics::recordStartFailure() {
    std::lock_guard lock(mutex_);
    ++s_.startFailures;
}

RunnerMetrics::Snapshot RunnerMetrics::snapshot() const {
    std::lock_guard lock(mutex_);
    return s_;
}

std::string RunnerMetrics::toJson(const Snapshot& s, const std::string& cgroupVersion,
                                  const std::vector<std::string>& containers) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("pool_size", s.poolSize);
    o.set("busy", s.busy);
    o.set("waiting", s.waiting);
    o.set("replacements", static_cast<Poco::UInt64>(s.replacements));
    o.set("start_failures", static_cast<Poco::UInt64>(s.startFailures));
    o.set("cgroup", cgroupVersion);
    o.set("runs", static_cast<Poco::UInt64>(s.runs));
    Poco::JSON::Object::Ptr byVerdict = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (Verdict v : allVerdicts()) {
        byVerdict->set(verdictName(v),
                       static_cast<Poco::UInt64>(s.runsByVerdict[static_cast<std::size_t>(v)]));
    }
    o.set("runs_by_verdict", byVerdict);
    o.set("latency_ms_sum", s.latencySumMs);
    Poco::JSON::Array::Ptr names = new Poco::JSON::Array;
    for (const auto& n : containers)
        names->add(n);
    o.set("containers", names);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::string RunnerMetrics::toPrometheus(const Snapshot& s) {
    std::ostringstream out;
    out << "# HELP assay_runner_runs_total Runs finished, by verdict.\n# TYPE "
           "assay_runner_runs_total counter\n";
    for (Verdict v : allVerdicts()) {
        out << "assay_runner_runs_total{verdict=\"" << verdictName(v) << "\"} "
            << s.runsByVerdict[static_cast<std::size_t>(v)] << "\n";
    }
    out << "# HELP assay_runner_run_latency_ms Time from request to result.\n"
           "# TYPE assay_runner_run_latency_ms histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBucketsMs.size(); ++i) {
        cumulative += s.latencyBuckets[i];
        out << "assay_runner_run_latency_ms_bucket{le=\"" << kLatencyBucketsMs[i] << "\"} "
            << cumulative << "\n";
    }
    cumulative += s.latencyBuckets.back();
    out << "assay_runner_run_latency_ms_bucket{le=\"+Inf\"} " << cumulative << "\n";
    out << "assay_runner_run_latency_ms_sum " << s.latencySumMs << "\n";
    out << "assay_runner_run_latency_ms_count " << s.runs << "\n";
    out << "# HELP assay_runner_pool_size Containers in the warm pool.\n# TYPE "
           "assay_runner_pool_size gauge\n"
        << "assay_runner_pool_size " << s.poolSize << "\n";
    out << "# HELP assay_runner_busy Containers running a job.\n# TYPE assay_runner_busy gauge\n"
        << "assay_runner_busy " << s.busy << "\n";
    out << "# HELP assay_runner_waiting Jobs waiting for a free container.\n# TYPE "
           "assay_runner_waiting gauge\n"
        << "assay_runner_waiting " << s.waiting << "\n";
    out << "# HELP assay_runner_replacements_total Containers replaced after misbehaving.\n"
           "# TYPE assay_runner_replacements_total counter\n"
        << "assay_runner_replacements_total " << s.replacements << "\n";
    out << "# HELP assay_runner_start_failures_total Containers that failed to start.\n"
           "# TYPE assay_runner_start_failures_total counter\n"
        << "assay_runner_start_failures_total " << s.startFailures << "\n";
    return out.str();
}

}  // namespace assay::containers
