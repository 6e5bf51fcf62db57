#include "assay/core/metrics.h"

#include <prometheus/text_serializer.h>

namespace assay {

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
    requests_ = &prometheus::BuildCounter()
                     .Name("assay_http_requests_total")
                     .Help("HTTP requests by route pattern, method and status")
                     .Register(*registry_);
    latency_ = &prometheus::BuildHistogram()
                    .Name("assay_http_request_duration_seconds")
                    .Help("HTTP request latency by route pattern")
                    .Register(*registry_);
    dbPool_ = &prometheus::BuildGauge()
                   .Name("assay_db_pool_connections")
                   .Help("Database connections by state (open, in_use)")
                   .Register(*registry_);
    dbPoolWaits_ = &prometheus::BuildCounter()
                        .Name("assay_db_pool_waits_total")
                        .Help("Connection requests that had to wait for a free connection")
                        .Register(*registry_);
}

void Metrics::observeRequest(const std::string& route, const std::string& method, int status,
                             double seconds) {
    requests_->Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}})
        .Increment();
    static const prometheus::Histogram::BucketBoundaries kBuckets{
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    latency_->Add({{"route", route}}, kBuckets).Observe(seconds);
}

void Metrics::onScrape(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    scrapeHooks_.push_back(std::move(fn));
}

void Metrics::addTextSource(std::function<std::string()> source) {
    std::lock_guard lock(mutex_);
    textSources_.push_back(std::move(source));
}

std::string Metrics::scrape() {
    std::vector<std::function<std::string()>> sources;
    {
        std::lock_guard lock(mutex_);
        for (auto& fn : scrapeHooks_)
            fn();
        sources = textSources_;
    }
    prometheus::TextSerializer serializer;
    std::string out = serializer.Serialize(registry_->Collect());
    for (auto& src : sources) {
        try {
            out += src();
        } catch (...) {
            // A source that cannot answer (the runner is down) leaves its metrics out.
        }
    }
    return out;
}

}  // namespace assay
