#include <algorithm>
#include <cstdint>

#include "assay/core/error.h"
#include "assay/core/host.h"
#include "host/routes.h"
#include "views.h"

namespace assay::routes {
void system(Host& host) {
    auto& r = host.router();
    r.get("/healthz", http::Access::Public, [&host](http::Request&, http::Response& res) {
        bool ok = false;
        auto body = host.health(ok);
        res.json(body, ok ? 200 : 503);
    });
    r.get("/metrics", http::Access::Public, [&host](http::Request&, http::Response& res) {
        res.text(host.metrics().scrape(), "text/plain; version=0.0.4; charset=utf-8");
    });
    // What the administrator's status page shows: the health checks, the grading queue, the
    // event outbox and assay-runner's sandbox pool.
    r.get("/api/v1/system/status", http::Access::Admin,
          [&host](http::Request&, http::Response& res) {
              bool ok = false;
              auto out = views::object();
              out->set("health", host.health(ok));
              out->set("status", ok ? "ok" : "degraded");
              auto queue = views::object();
              queue->set("active", host.grading().active());
              queue->set("max_active", host.grading().maxActive());
              queue->set("waiting", static_cast<int64_t>(host.grading().waiting()));
              out->set("grading", queue);
              auto outbox = views::object();
              outbox->set("backlog", host.outbox().backlog());
              out->set("outbox", outbox);
              auto pool = host.sandboxStatus();
              if (pool)
                  out->set("sandbox", pool);
              else
                  out->set("sandbox", Poco::Dynamic::Var());
              res.json(out);
          });
    // The append-only event log, newest first.
    r.get("/api/v1/events", http::Access::Admin, [&host](http::Request& req, http::Response& res) {
        EventFilter f;
        f.actionPrefix = req.query("action");
        f.target = req.query("target");
        try {
            if (req.hasQuery("user_id")) f.userId = std::stoll(req.query("user_id"));
            f.limit = std::clamp(std::stoi(req.query("limit", "100")), 1, 1000);
        } catch (const std::exception&) {
            throw ApiError::badRequest("invalid_query", "user_id and limit must be integers");
        }
        auto arr = views::array();
        for (const auto& e : host.store().listEvents(f)) {
            auto o = views::object();
            o->set("id", e.id);
            o->set("at", isoTime(e.at));
            if (e.userId) o->set("user_id", *e.userId);
            o->set("action", e.action);
            o->set("target", e.target);
            o->set("ip", e.ip);
            o->set("request_id", e.requestId);
            o->set("details", json::parseObject(e.detailsJson.empty() ? "{}" : e.detailsJson));
            arr->add(o);
        }
        auto out = views::object();
        out->set("events", arr);
        res.json(out);
    });
}

}  // namespace assay::routes
