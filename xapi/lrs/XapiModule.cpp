#include "assay/xapi/XapiModule.h"

#include "EventStatements.h"
#include "Forwarder.h"
#include "Lrs.h"
#include "assay/core/config.h"
#include "assay/core/log.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace assay::xapi {

XapiModule::XapiModule(XapiModuleOptions options) : options_(options) {}
XapiModule::~XapiModule() = default;

namespace {

// The [xapi.target.NAME] sections of the configuration file.
std::vector<Target> configuredTargets(const Config& config) {
    std::vector<Target> out;
    for (const auto& [name, keys] : config.namedSections("xapi.target")) {
        const std::string prefix = "xapi.target." + name + ".";
        auto get = [&](const std::string& k) {
            auto it = keys.find(k);
            return it == keys.end() ? std::string() : it->second;
        };
        Target t;
        t.name = name;
        t.endpoint = get("endpoint");
        if (t.endpoint.rfind("http://", 0) != 0 && t.endpoint.rfind("https://", 0) != 0)
            throw ConfigError(prefix + "endpoint",
                              "xapi.target." + name + " needs an http(s) endpoint");
        t.username = get("username");
        t.password = get("password");
        const std::string file = get("password_file");
        if (!file.empty()) {
            if (!t.password.empty())
                throw ConfigError(prefix + "password_file",
                                  "give either password or password_file, not both");
            std::ifstream in(file);
            if (!in) throw ConfigError(prefix + "password_file", "cannot read " + file);
            std::getline(in, t.password);
            while (!t.password.empty() && (t.password.back() == '\r' || t.password.back() == ' '))
                t.password.pop_back();
        }
        std::string verbs = get("verbs");
        for (auto& c : verbs)
            if (c == ',') c = ' ';
        std::istringstream vs(verbs);
        for (std::string v; vs >> v;)
            t.verbs.push_back(v);
        t.origin = "config";
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace

void XapiModule::open(Host& host) {
    // Forwarding settings from the configuration file win over the built-in defaults.
    const Config& config = host.config();
    if (config.isSet("xapi.forward.batch"))
        options_.forwardBatch = static_cast<size_t>(config.integer("xapi.forward.batch"));
    if (config.isSet("xapi.forward.retry_base"))
        options_.retryBaseMs = config.durationMs("xapi.forward.retry_base");
    if (config.isSet("xapi.forward.retry_max"))
        options_.retryMaxMs = config.durationMs("xapi.forward.retry_max");
    if (config.isSet("xapi.forward.timeout"))
        options_.forwardTimeoutMs = config.durationMs("xapi.forward.timeout");
    options_.retryMaxMs = std::max(options_.retryMaxMs, options_.retryBaseMs);

    lrs_ = std::make_unique<Lrs>(host, host.config().dataDir() + "/xapi.key");
    lrs_->targets().syncConfigured(configuredTargets(config));
    lrs_->registerRoutes();
    forwarder_ = std::make_unique<Forwarder>(host, *lrs_, options_);

    BuilderConfig bc;
    bc.publicUrl = host.config().publicUrl();
    auto statements = std::make_shared<EventStatements>(bc);
    host.outbox().registerSink(
        "xapi", [](const std::string& type) { return EventStatements::handles(type); },
        [this, statements](const plugin::Event& event) {
            auto built = statements->build(event);
            if (built.empty()) return;
            std::map<std::string, std::string> verbs;
            for (const auto& s : built)
                verbs[s->getValue<std::string>("id")] =
                    s->getObject("verb")->getValue<std::string>("id");
            lrs_->storeOwn(built, [&](db::Connection& c, const std::vector<std::string>& ids) {
                forwarder_->enqueue(c, ids, verbs);
            });
            forwarder_->kick();
        });
    host.addHealthCheck({"xapi_forwarding",
                         [this] {
                             Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                             o->set("ok", true);
                             o->set("backlog", forwarder_->backlog());
                             return o;
                         },
                         false});
}

void XapiModule::start(Host&) {
    if (forwarder_) forwarder_->start();
}

void XapiModule::stop(Host&, int64_t graceMs) {
    if (forwarder_) forwarder_->stop(graceMs);
}

int XapiModule::forwardDue() {
    return forwarder_ ? forwarder_->deliverDue() : 0;
}
int64_t XapiModule::forwardBacklog() {
    return forwarder_ ? forwarder_->backlog() : 0;
}

}  // namespace assay::xapi
