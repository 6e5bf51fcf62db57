#include "assay/lti/LtiModule.h"

#include "Services.h"
#include "assay/core/log.h"
#include "assay/lti/PlatformStore.h"

namespace assay::lti {

Services::Services(Host& h)
    : host(h), platforms(h.database()), nonces(h.database()), states(h.database()) {
    CurlHttpOptions http;
    http.allowPlainHttp = h.config().flag("lti.allow_http");
    this->http = std::make_unique<CurlHttpClient>(http);
    jwks = std::make_unique<JwksCache>(*this->http);
    ToolKeyOptions keyOptions;
    keyOptions.directory = h.config().dataDir() + "/keys";
    keyOptions.secret = h.config().str("lti.key_secret");
    keys = ToolKeyStore::open(keyOptions);
    // Yearly rotation; the old key stays published for a day, longer than any token it signed
    // lives.
    keys->pruneExpired();
    if (keys->rotateIfOlderThan(std::int64_t{365} * 86400, 86400))
        log::get("lti").information("tool key rotated");
    tokens = std::make_unique<ServiceTokens>(*this->http, [this] { return keys->signingKey(); });
}

std::string Services::publicUrl() const {
    if (host.config().isSet("public_url") || host.port() == 0) return host.config().publicUrl();
    return host.baseUrl();
}

bool Services::secureCookies() const {
    return host.config().tlsEnabled() || publicUrl().rfind("https://", 0) == 0;
}

LtiModule::LtiModule() = default;
LtiModule::~LtiModule() = default;

std::string LtiModule::name() const {
    return kModuleName;
}

std::vector<db::Migration> LtiModule::migrations() const {
    return schemaMigrations();
}

void LtiModule::open(Host& host) {
    services_ = std::make_unique<Services>(host);
    registerLaunchRoutes(*services_);
    registerDeepLinkRoutes(*services_);
    registerRegistrationRoutes(*services_);
    registerAdminRoutes(*services_);
    registerCourseRoutes(*services_);
    registerGradePassback(*services_);
    // Events about a user carry the user's LMS identity, so a learning-record store can join
    // Assay's statements with the LMS's own.
    host.outbox().addEnricher([](db::Connection& c, const std::string&,
                                 Poco::JSON::Object& payload) {
        if (!payload.has("user_id") || payload.has("lms_issuer")) return;
        auto rows = c.query(
            "SELECT issuer, sub FROM lti_users WHERE user_id = ? ORDER BY created_at DESC LIMIT 1",
            {payload.getValue<int64_t>("user_id")});
        if (rows.empty()) return;
        payload.set("lms_issuer", rows[0].text(0));
        payload.set("lti_user_id", rows[0].text(1));
    });
    host.addHealthCheck(
        {"lti",
         [this] {
             json::Object o = new Poco::JSON::Object;
             o->set("ok", true);
             o->set("platforms", static_cast<Poco::Int64>(services_->platforms.list().size()));
             o->set("tool_keys", static_cast<Poco::Int64>(services_->keys->keys().size()));
             return o;
         },
         false});
    log::get("lti").information("LTI endpoints at " + services_->publicUrl() + "/lti/");
}

void LtiModule::stop(Host& host, int64_t) {
    host.outbox().unregisterSink("lti.ags");
}

}  // namespace assay::lti
