#pragma once
// The host's Prometheus registry and the metric families the core owns. Other modules add
// their own families to registry().
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace assay {

class Metrics {
  public:
    Metrics();
    prometheus::Registry& registry() { return *registry_; }

    void observeRequest(const std::string& route, const std::string& method, int status,
                        double seconds);
    // Called just before each scrape, to refresh gauges that are read from elsewhere (pools,
    // queues).
    void onScrape(std::function<void()> fn);
    // Text in the exposition format appended to every scrape (e.g. assay-runner's own metrics).
    void addTextSource(std::function<std::string()> source);
    std::string scrape();  // Prometheus text exposition format

    prometheus::Family<prometheus::Gauge>& dbPool() { return *dbPool_; }
    prometheus::Family<prometheus::Counter>& dbPoolWaits() { return *dbPoolWaits_; }

  private:
    std::shared_ptr<prometheus::Registry> registry_;
    prometheus::Family<prometheus::Counter>* requests_;
    prometheus::Family<prometheus::Histogram>* latency_;
    prometheus::Family<prometheus::Gauge>* dbPool_;
    prometheus::Family<prometheus::Counter>* dbPoolWaits_;
    std::mutex mutex_;
    std::vector<std::function<void()>> scrapeHooks_;
    std::vector<std::function<std::string()>> textSources_;
};

}  // namespace assay
