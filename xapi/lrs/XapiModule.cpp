#include "assay/xapi/XapiModule.h"

#include "EventStatements.h"
#include "Forwarder.h"
#include "Lrs.h"
#include "assay/core/log.h"

namespace assay::xapi {

XapiModule::XapiModule(XapiModuleOptions options) : options_(options) {}
XapiModule::~XapiModule() = default;

void XapiModule::open(Host& host) {
    lrs_ = std::make_unique<Lrs>(host, host.config().dataDir() + "/xapi.key");
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
