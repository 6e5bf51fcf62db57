#include "assay/core/events/outbox.h"

#include <random>

#include "assay/core/log.h"
#include "assay/core/model.h"

namespace assay {

Outbox::Outbox(db::Database& db, Metrics& metrics) : db_(db) {
    deliveries_ = &prometheus::BuildCounter()
                       .Name("assay_outbox_deliveries_total")
                       .Help("Outbox delivery attempts by sink and result (delivered, failed)")
                       .Register(metrics.registry());
    backlogGauge_ = &prometheus::BuildGauge()
                         .Name("assay_outbox_backlog")
                         .Help("Outbox deliveries not yet made")
                         .Register(metrics.registry())
                         .Add({});
    metrics.onScrape([this] { backlogGauge_->Set(static_cast<double>(backlog())); });
}

Outbox::~Outbox() {
    stop(0);
}

void Outbox::registerSink(const std::string& sink, Filter filter, Handler handler) {
    std::lock_guard lock(mutex_);
    sinks_[sink] = Sink{std::move(filter), std::move(handler)};
    kicked_ = true;
    wake_.notify_all();
}

void Outbox::unregisterSink(const std::string& sink) {
    std::lock_guard lock(mutex_);
    sinks_.erase(sink);
}

void Outbox::addEnricher(Enricher enricher) {
    std::lock_guard lock(mutex_);
    enrichers_.push_back(std::move(enricher));
}

int64_t Outbox::publishIn(db::Connection& c, const std::string& type, const json::Object& payload) {
    std::vector<std::string> targets;
    std::vector<Enricher> enrichers;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, sink] : sinks_)
            if (sink.filter(type)) targets.push_back(name);
        enrichers = enrichers_;
    }
    if (payload) {
        json::Object mutablePayload = payload;  // enrichers add to the caller's payload
        for (auto& e : enrichers)
            e(c, type, *mutablePayload);
    }
    const int64_t now = nowMs();
    const int64_t eventId =
        c.insert("INSERT INTO bus_events (type, payload, at) VALUES (?, ?, ?)",
                 {type, payload ? json::stringify(payload) : std::string("{}"), now});
    for (const auto& t : targets)
        c.execute(
            "INSERT INTO outbox (event_id, sink, attempts, next_attempt_at, created_at) VALUES (?, "
            "?, 0, ?, ?)",
            {eventId, t, now, now});
    return eventId;
}

int64_t Outbox::publish(const std::string& type, const json::Object& payload) {
    const int64_t id =
        db_.transaction([&](db::Connection& c) { return publishIn(c, type, payload); });
    kick();
    return id;
}

void Outbox::kick() {
    std::lock_guard lock(mutex_);
    kicked_ = true;
    wake_.notify_all();
}

int64_t Outbox::backoffMs(int attempts) {
    // 1 s, 2 s, 4 s ... capped at 10 minutes.
    const int shift = std::min(attempts, 20);
    return std::min<int64_t>(int64_t{1000} << shift, 600'000);
}

int Outbox::deliverDue() {
    std::lock_guard pass(deliverMutex_);
    const int64_t now = nowMs();
    auto rows = db_.acquire()->query(
        "SELECT o.id, o.sink, o.attempts, e.id, e.type, e.payload, e.at FROM outbox o "
        "JOIN bus_events e ON e.id = o.event_id WHERE o.delivered_at IS NULL AND o.next_attempt_at "
        "<= ? "
        "ORDER BY o.id LIMIT 200",
        {now});
    int delivered = 0;
    for (const auto& r : rows) {
        const std::string sink = r.text(1);
        Handler handler;
        {
            std::lock_guard lock(mutex_);
            auto it = sinks_.find(sink);
            if (it == sinks_.end()) continue;  // the sink is not loaded now; it stays pending
            handler = it->second.handler;
        }
        plugin::Event ev{r.integer(3), r.text(4), r.text(5), r.integer(6)};
        std::string error;
        try {
            handler(ev);
        } catch (const std::exception& e) {
            error = e.what();
        } catch (...) {
            error = "unknown error";
        }
        const int attempts = static_cast<int>(r.integer(2)) + 1;
        if (error.empty()) {
            db_.acquire()->execute("UPDATE outbox SET delivered_at = ?, attempts = ? WHERE id = ?",
                                   {nowMs(), int64_t{attempts}, r.integer(0)});
            deliveries_->Add({{"sink", sink}, {"result", "delivered"}}).Increment();
            ++delivered;
        } else {
            static thread_local std::mt19937 rng{std::random_device{}()};
            const int64_t wait = backoffMs(attempts - 1);
            const int64_t jitter =
                static_cast<int64_t>(rng() % static_cast<uint32_t>(wait / 4 + 1));
            db_.acquire()->execute(
                "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                {int64_t{attempts}, nowMs() + wait + jitter, error.substr(0, 1000), r.integer(0)});
            deliveries_->Add({{"sink", sink}, {"result", "failed"}}).Increment();
            log::get("outbox").warning("delivery of event " + std::to_string(ev.id) + " (" +
                                       ev.type + ") to " + sink + " failed, attempt " +
                                       std::to_string(attempts) + ": " + error);
        }
    }
    return delivered;
}

int64_t Outbox::backlog() {
    return db_.acquire()
        ->query("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL")[0]
        .integer(0);
}

void Outbox::start() {
    if (running_.exchange(true)) return;
    thread_ = std::thread([this] { run(); });
}

void Outbox::run() {
    while (running_) {
        try {
            deliverDue();
        } catch (const std::exception& e) {
            log::get("outbox").error(std::string("delivery pass failed: ") + e.what());
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(500),
                       [this] { return kicked_ || !running_; });
        kicked_ = false;
    }
}

void Outbox::stop(int64_t graceMs) {
    if (!running_.exchange(false)) return;
    {
        std::lock_guard lock(mutex_);
        wake_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
    if (graceMs > 0) {
        try {
            deliverDue();  // flush what is due before the process goes
        } catch (const std::exception& e) {
            log::get("outbox").warning(std::string("final delivery pass failed: ") + e.what());
        }
    }
}

}  // namespace assay
