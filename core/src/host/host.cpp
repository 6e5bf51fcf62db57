#include "assay/core/host.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <filesystem>
#include <thread>

#include "assay/core/auth/crypto.h"
#include "assay/core/bundle/bundle.h"
#include "assay/core/log.h"
#include "assay/core/store/migrations.h"
#include "dispatcher.h"
#include "routes.h"

namespace assay {
namespace fs = std::filesystem;

Host::Host(Config config) : config_(std::move(config)) {}

Host::~Host() {
    if (server_) stop(0);
}

std::optional<std::string> Host::open() {
    auto& lg = log::get("host");
    std::error_code ec;
    fs::create_directories(config_.dataDir(), ec);
    if (ec)
        throw std::runtime_error("cannot create data_dir '" + config_.dataDir() +
                                 "': " + ec.message());
    fs::permissions(config_.dataDir(), fs::perms::owner_all, fs::perm_options::replace, ec);

    const std::string url = config_.databaseUrl();
    lg.information("opening database " + log::redactUrl(url));
    db_ = db::open(url, static_cast<int>(config_.integer("db.pool_size")),
                   static_cast<int>(config_.durationMs("db.busy_timeout")));
    std::vector<db::ModuleMigrations> schemas;
    for (const auto& m : modules_)
        schemas.push_back({m->name(), m->migrations()});
    auto report = db::migrate(*db_, schemas);
    for (const auto& m : report.applied)
        lg.information("applied migration " + m);
    store_ = std::make_unique<Store>(*db_);
    auth_ = std::make_unique<AuthService>(*store_, config_);
    outbox_ = std::make_unique<Outbox>(*db_, metrics_);
    plugins_ = std::make_unique<PluginManager>(config_, *db_, metrics_, *outbox_);
    if (sandbox_) plugins_->setSandbox(sandbox_);
    grading_ =
        std::make_unique<grading::GradingQueue>(config_, *store_, *plugins_, *outbox_, metrics_);

    metrics_.onScrape([this] {
        auto s = db_->stats();
        metrics_.dbPool().Add({{"state", "open"}}).Set(s.size);
        metrics_.dbPool().Add({{"state", "in_use"}}).Set(s.inUse);
        auto& waits = metrics_.dbPoolWaits().Add({});
        if (static_cast<double>(s.waits) > waits.Value())
            waits.Increment(static_cast<double>(s.waits) - waits.Value());
    });
    addHealthCheck({"database", [this] {
                        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                        o->set("engine",
                               db_->dialect() == db::Dialect::SQLite ? "sqlite" : "mysql");
                        try {
                            db_->acquire(std::chrono::seconds(2))->query("SELECT 1");
                            o->set("ok", true);
                        } catch (const std::exception& e) {
                            o->set("ok", false);
                            o->set("error", e.what());
                        }
                        return o;
                    }});
    addHealthCheck(
        {"runner", [this] {
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
             const std::string path = config_.str("runner.socket");
             o->set("socket", path);
             try {
                 Poco::Net::StreamSocket s;
                 s.connect(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, path),
                           Poco::Timespan(1, 0));
                 o->set("ok", true);
             } catch (const Poco::Exception& e) {
                 o->set("ok", false);
                 o->set("error",
                        "assay-runner is not reachable at " + path + " (" + e.displayText() + ")");
             }
             return o;
         }});
    addHealthCheck({"plugins", [this] { return plugins_->health(); }, false});
    registerRoutes();
    for (auto& m : modules_)
        m->open(*this);
    plugins_->scan();

    std::optional<std::string> oneTime;
    const std::string demo = config_.str("demo_bundles");
    if (!demo.empty() && !fs::is_directory(demo, ec))
        throw std::runtime_error("demo_bundles: '" + demo + "' is not a directory");
    if (!demo.empty() && !store_->findCourseByCode("DEMO")) {
        std::vector<fs::path> dirs;
        for (const auto& e : fs::directory_iterator(demo))
            if (e.is_directory()) dirs.push_back(e.path());
        std::sort(dirs.begin(), dirs.end());
        std::vector<bundle::Bundle> bundles;  // all validated before anything is written
        for (const auto& d : dirs)
            bundles.push_back(bundle::loadDirectory(d.string()));
        Course c = store_->createCourse("DEMO", "Demo course: Python basics");
        for (const auto& b : bundles) {
            auto a = store_->createAssignment(c.id, b.manifest.id, b.manifest.title, b.manifestJson,
                                              b.files, std::nullopt);
            store_->publish(a.id, 1);
            lg.information("demo course: imported '" + b.manifest.title + "'");
        }
    }
    // First start: an administrator with a one-time password.
    if (store_->countUsers() == 0) {
        oneTime = crypto::randomToken(12);
        NewUser admin{"admin", "Administrator", "", Role::Admin, auth_->hashPassword(*oneTime),
                      true};
        User created = store_->createUser(admin);
        lg.information("created the first administrator account 'admin'");
        if (auto demoCourse = store_->findCourseByCode("DEMO"))
            store_->enroll(demoCourse->id, created.id, Role::Instructor);
    }
    return oneTime;
}

void Host::start() {
    Poco::Net::SocketAddress addr(config_.listenHost(),
                                  static_cast<Poco::UInt16>(config_.listenPort()));
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (config_.tlsEnabled()) {
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
            Poco::Net::Context::TLS_SERVER_USE, config_.str("tls.private_key"),
            config_.str("tls.certificate"), "", Poco::Net::Context::VERIFY_NONE, 9, false,
            "HIGH:!aNULL:!MD5:!RC4");
        ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        socket = std::make_unique<Poco::Net::SecureServerSocket>(addr, 128, ctx);
    } else {
        socket = std::make_unique<Poco::Net::ServerSocket>(addr, 128);
    }
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(static_cast<int>(config_.integer("http.max_threads")));
    params->setMaxQueued(static_cast<int>(config_.integer("http.max_queued")));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(
        Poco::Timespan(config_.durationMs("http.keep_alive_timeout") * 1000));
    params->setServerName("assayd");
    server_ = std::make_unique<Poco::Net::HTTPServer>(new DispatchFactory(*this), *socket, params);
    server_->start();
    outbox_->start();
    grading_->start();
    for (auto& m : modules_)
        m->start(*this);
    log::get("host").information("listening on " + baseUrl());
}

int Host::port() const {
    return server_ ? server_->port() : 0;
}

std::string Host::baseUrl() const {
    return std::string(config_.tlsEnabled() ? "https://" : "http://") + config_.listenHost() + ":" +
           std::to_string(port());
}

void Host::stop(int64_t graceMs) {
    if (!server_) return;
    auto& lg = log::get("host");
    lg.information("stopping: no new connections; waiting up to " + std::to_string(graceMs) +
                   " ms for requests");
    server_->stopAll(false);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(graceMs);
    while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    server_->stopAll(true);
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it)
        (*it)->stop(*this, graceMs);
    for (auto it = shutdownHooks_.rbegin(); it != shutdownHooks_.rend(); ++it)
        (*it)();
    grading_->stop(graceMs);  // unfinished jobs stay queued in the database
    outbox_->stop(graceMs);   // a last delivery pass, then the dispatcher ends
    plugins_->unloadAll();
    server_.reset();
    lg.information("stopped");
}

json::Object Host::health(bool& ok) {
    ok = true;
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    for (const auto& h : health_) {
        json::Object r;
        try {
            r = h.check();
        } catch (const std::exception& e) {
            r = new Poco::JSON::Object;
            r->set("ok", false);
            r->set("error", e.what());
        }
        if (h.critical && !r->getValue<bool>("ok")) ok = false;
        out->set(h.name, r);
    }
    out->set("status", ok ? "ok" : "degraded");
    return out;
}

json::Object Host::sandboxStatus() const {
    if (!sandboxStatus_) return nullptr;
    try {
        return json::parseObject(sandboxStatus_());
    } catch (const std::exception&) {
        return nullptr;  // the runner's health check says why
    }
}

void Host::audit(const http::Request* req, std::optional<int64_t> userId, const std::string& action,
                 const std::string& target, const json::Object& details) {
    Event e;
    e.userId = userId;
    e.action = action;
    e.target = target;
    e.ip = req ? req->clientIp() : "local";
    e.requestId = log::requestId();
    e.detailsJson = details ? json::stringify(details) : "{}";
    store_->logEvent(e);
}

int64_t Host::publish(const std::string& type, const json::Object& payload) {
    return outbox_->publish(type, payload);
}

void Host::registerRoutes() {
    routes::system(*this);
    routes::auth(*this);
    routes::users(*this);
    routes::courses(*this);
    routes::assignments(*this);
    routes::submissions(*this);
    routes::plugins(*this);
    routes::pages(*this);
}

}  // namespace assay
