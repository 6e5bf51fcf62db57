#pragma once
// The assayd host: owns the configuration, database, store, auth, metrics, router and the
// HTTP(S) server. assayd runs one; the tests start one on an ephemeral loopback port.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "assay/core/auth/auth.h"
#include "assay/core/config.h"
#include "assay/core/events/outbox.h"
#include "assay/core/grading/queue.h"
#include "assay/core/http/router.h"
#include "assay/core/metrics.h"
#include "assay/core/module.h"
#include "assay/core/plugins/plugin_manager.h"
#include "assay/core/store/db.h"
#include "assay/core/store/store.h"

namespace Poco::Net {
class HTTPServer;
}

namespace assay {

// One component's part of GET /healthz.
struct HealthCheck {
    std::string name;
    std::function<json::Object()> check;  // must set "ok": true/false
    bool critical = true;                 // a failing critical check makes /healthz answer 503
};

class Host {
  public:
    explicit Host(Config config);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    // How plugins reach the sandbox (assay-runner); call before open().
    void setSandbox(SandboxRunner runner) { sandbox_ = std::move(runner); }
    // How the status page asks assay-runner for its pool: a JSON object's text; throws when
    // the runner cannot answer.
    void setSandboxStatus(std::function<std::string()> status) {
        sandboxStatus_ = std::move(status);
    }
    // The runner's pool, or null when no source is set or it cannot answer.
    json::Object sandboxStatus() const;

    // Adds a module; call before open().
    void addModule(std::unique_ptr<Module> module) { modules_.push_back(std::move(module)); }
    template <typename T>
    T* module() {
        for (auto& m : modules_)
            if (auto* t = dynamic_cast<T*>(m.get())) return t;
        return nullptr;
    }

    // Opens the database and applies migrations. Returns the admin's one-time password when
    // this start created the first admin account.
    std::optional<std::string> open();
    void start();                 // starts serving; port() is known afterwards
    void stop(int64_t graceMs);   // stop accepting, let requests finish up to graceMs
    int port() const;             // the bound port (useful with listen = 127.0.0.1:0)
    std::string baseUrl() const;  // http(s)://host:port of the running server

    const Config& config() const { return config_; }
    Store& store() { return *store_; }
    db::Database& database() { return *db_; }
    AuthService& auth() { return *auth_; }
    Metrics& metrics() { return metrics_; }
    http::Router& router() { return router_; }
    Outbox& outbox() { return *outbox_; }
    PluginManager& plugins() { return *plugins_; }
    grading::GradingQueue& grading() { return *grading_; }

    // Publishes an event on the bus (stored first; delivered to subscribers through the outbox).
    int64_t publish(const std::string& type, const json::Object& payload);

    void addHealthCheck(HealthCheck c) { health_.push_back(std::move(c)); }
    void onShutdown(std::function<void()> fn) { shutdownHooks_.push_back(std::move(fn)); }
    json::Object health(bool& ok);

    // Records an event in the append-only log, with the current request id.
    void audit(const http::Request* req, std::optional<int64_t> userId, const std::string& action,
               const std::string& target, const json::Object& details = nullptr);

  private:
    void registerRoutes();

    Config config_;
    Metrics metrics_;
    http::Router router_;
    std::unique_ptr<db::Database> db_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<AuthService> auth_;
    std::unique_ptr<Outbox> outbox_;
    std::unique_ptr<PluginManager> plugins_;
    std::unique_ptr<grading::GradingQueue> grading_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::vector<HealthCheck> health_;
    std::vector<std::unique_ptr<Module>> modules_;
    SandboxRunner sandbox_;
    std::function<std::string()> sandboxStatus_;
    std::vector<std::function<void()>> shutdownHooks_;
};

}  // namespace assay
