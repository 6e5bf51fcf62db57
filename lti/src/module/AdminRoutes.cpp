// Admin API of the platform registry and one-time registration URLs.
#include "Services.h"
#include "assay/core/error.h"
#include "assay/core/json.h"
#include "assay/lti/Error.h"

namespace assay::lti {
namespace {

constexpr std::int64_t kRegistrationTtlSeconds = std::int64_t{7} * 86400;

json::Object view(const StoredPlatform& p) {
    json::Object o = new Poco::JSON::Object;
    o->set("id", p.id);
    o->set("name", p.name);
    o->set("issuer", p.registration.issuer);
    o->set("client_id", p.registration.clientId);
    o->set("auth_login_url", p.registration.authLoginUrl);
    o->set("token_url", p.registration.tokenUrl);
    o->set("jwks_url", p.registration.jwksUrl);
    json::Array ids = new Poco::JSON::Array;
    for (const auto& d : p.registration.deploymentIds)
        ids->add(d);
    o->set("deployment_ids", ids);
    o->set("created_at", isoTime(p.createdAt));
    return o;
}

bool httpUrl(const std::string& u) {
    return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0;
}

}  // namespace

void registerAdminRoutes(Services& s) {
    auto& r = s.host.router();
    r.get("/api/v1/lti/platforms", http::Access::Admin, [&s](http::Request&, http::Response& res) {
        json::Array arr = new Poco::JSON::Array;
        for (const auto& p : s.platforms.list())
            arr->add(view(p));
        json::Object out = new Poco::JSON::Object;
        out->set("platforms", arr);
        res.json(out);
    });
    r.post("/api/v1/lti/platforms", http::Access::Admin,
           [&s](http::Request& req, http::Response& res) {
               auto body = req.json();
               json::rejectUnknown(body, {"name", "issuer", "client_id", "auth_login_url",
                                          "token_url", "jwks_url", "deployment_ids"});
               PlatformRegistration reg;
               reg.issuer = json::requireString(body, "issuer");
               reg.clientId = json::requireString(body, "client_id");
               reg.authLoginUrl = json::requireString(body, "auth_login_url");
               reg.tokenUrl = json::requireString(body, "token_url");
               reg.jwksUrl = json::requireString(body, "jwks_url");
               for (const auto* key : {"issuer", "auth_login_url", "token_url", "jwks_url"})
                   if (!httpUrl(json::requireString(body, key)))
                       throw ApiError::badRequest(
                           "invalid_field", std::string("'") + key + "' must be an http(s) URL");
               if (auto ids = json::optArray(body, "deployment_ids"))
                   for (size_t i = 0; i < ids->size(); ++i) {
                       if (!ids->get(i).isString())
                           throw ApiError::badRequest("invalid_field",
                                                      "'deployment_ids' must be strings");
                       reg.deploymentIds.push_back(ids->get(i).toString());
                   }
               try {
                   auto stored = s.platforms.save(reg, json::optString(body, "name").value_or(""));
                   s.jwks->invalidate(reg.jwksUrl);
                   s.host.audit(&req, req.principal->user.id, "lti.platform.saved",
                                std::to_string(stored.id));
                   res.json(view(stored), 201);
               } catch (const LtiError& e) {
                   throw ApiError::badRequest("invalid_field", e.what());
               }
           });
    r.del("/api/v1/lti/platforms/{id}", http::Access::Admin,
          [&s](http::Request& req, http::Response& res) {
              const auto id = req.idParam("id");
              if (!s.platforms.remove(id)) throw ApiError::notFound("platform");
              s.host.audit(&req, req.principal->user.id, "lti.platform.removed",
                           std::to_string(id));
              res.status = 204;
              res.body.clear();
          });
    r.post("/api/v1/lti/registration-url", http::Access::Admin,
           [&s](http::Request& req, http::Response& res) {
               const auto token = s.platforms.createRegistrationToken(req.principal->user.id,
                                                                      kRegistrationTtlSeconds);
               json::Object out = new Poco::JSON::Object;
               out->set("url", s.publicUrl() + "/lti/register?token=" + token);
               out->set("expires_at", isoTime(nowMs() + kRegistrationTtlSeconds * 1000));
               s.host.audit(&req, req.principal->user.id, "lti.registration_url.created", "");
               res.json(out, 201);
           });
}

}  // namespace assay::lti
