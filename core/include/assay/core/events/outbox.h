#pragma once
// Events and the persistent outbox. publish() stores the event and one delivery row per
// interested sink in one transaction; a dispatcher thread delivers them at least once, with
// retries and exponential backoff, and picks up where it stopped after a restart.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "assay/core/json.h"
#include "assay/core/metrics.h"
#include "assay/core/store/db.h"
#include "assay/plugin/types.h"

namespace assay {

class Outbox {
  public:
    // A sink delivers one event; throwing means "not delivered, try again later".
    using Handler = std::function<void(const plugin::Event&)>;
    // Which event types a sink wants, decided when an event is published.
    using Filter = std::function<bool(const std::string& type)>;

    Outbox(db::Database& db, Metrics& metrics);
    ~Outbox();

    void registerSink(const std::string& sink, Filter filter, Handler handler);

    // Adds facts to every event's payload before it is stored, inside the publishing
    // transaction (e.g. the LMS identity of payload.user_id, so an LRS can join statements).
    using Enricher =
        std::function<void(db::Connection&, const std::string& type, Poco::JSON::Object& payload)>;
    void addEnricher(Enricher enricher);
    void unregisterSink(const std::string& sink);  // pending rows wait for it to come back

    // Stores the event and its deliveries; returns the event id.
    int64_t publish(const std::string& type, const json::Object& payload);
    // The same inside the caller's transaction, so the event exists exactly when the change
    // that caused it was committed. Call kick() after the commit.
    int64_t publishIn(db::Connection& c, const std::string& type, const json::Object& payload);
    void kick();

    void start();
    // Stops the dispatcher after one last delivery pass of at most `graceMs`.
    void stop(int64_t graceMs);
    // Delivers what is due now, on the calling thread (tests, shutdown). Returns deliveries made.
    int deliverDue();

    int64_t backlog();  // undelivered rows
    static int64_t backoffMs(int attempts);

  private:
    void run();

    db::Database& db_;
    prometheus::Family<prometheus::Counter>* deliveries_;
    prometheus::Gauge* backlogGauge_;
    std::mutex mutex_;
    std::condition_variable wake_;
    struct Sink {
        Filter filter;
        Handler handler;
    };
    std::map<std::string, Sink> sinks_;
    std::vector<Enricher> enrichers_;
    std::mutex deliverMutex_;  // one delivery pass at a time
    std::thread thread_;
    std::atomic<bool> running_{false};
    bool kicked_ = false;
};

}  // namespace assay
