// Admin API of the LRS: client credentials (the secret is shown once) and forwarding targets.
#include <Poco/JSON/Array.h>

#include "Lrs.h"
#include "assay/core/error.h"
#include "assay/core/json.h"

namespace assay::xapi {
namespace {

Poco::JSON::Object::Ptr credentialJson(const Credential& c) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", c.id);
    o->set("name", c.name);
    o->set("key", c.key);
    Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
    for (const auto& s : c.scopes)
        scopes->add(s);
    o->set("scopes", scopes);
    o->set("created_at", c.createdMs);
    return o;
}

Poco::JSON::Object::Ptr targetJson(const Target& t) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", t.id);
    o->set("name", t.name);
    o->set("endpoint", t.endpoint);
    o->set("username", t.username);
    Poco::JSON::Array::Ptr verbs = new Poco::JSON::Array;
    for (const auto& v : t.verbs)
        verbs->add(v);
    o->set("verbs", verbs);
    o->set("origin", t.origin);
    o->set("created_at", t.createdMs);
    return o;  // the password never leaves the server
}

std::vector<std::string> stringList(const json::Object& body, const std::string& key) {
    std::vector<std::string> out;
    auto arr = json::optArray(body, key);
    if (!arr) return out;
    for (size_t i = 0; i < arr->size(); ++i) {
        if (!arr->get(static_cast<unsigned>(i)).isString())
            throw ApiError::badRequest("invalid_field", key + " must be a list of strings");
        out.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return out;
}

}  // namespace

void Lrs::registerAdminRoutes() {
    auto& r = host_.router();
    using http::Access;
    r.get("/api/v1/lrs/credentials", Access::Admin, [this](http::Request&, http::Response& res) {
        Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
        for (const auto& c : credentials_.list())
            arr->add(credentialJson(c));
        res.json(arr);
    });
    r.post(
        "/api/v1/lrs/credentials", Access::Admin, [this](http::Request& req, http::Response& res) {
            auto body = req.json();
            json::rejectUnknown(body, {"name", "scopes"});
            auto issued =
                credentials_.add(json::requireString(body, "name"), stringList(body, "scopes"));
            auto o = credentialJson(issued.credential);
            o->set("secret", issued.secret);
            host_.audit(
                &req, req.principal ? std::optional<int64_t>(req.principal->user.id) : std::nullopt,
                "lrs.credential.create", issued.credential.key);
            res.json(o, 201);
        });
    r.del("/api/v1/lrs/credentials/{id}", Access::Admin,
          [this](http::Request& req, http::Response& res) {
              if (!credentials_.remove(req.idParam("id"))) throw ApiError::notFound("credential");
              host_.audit(
                  &req,
                  req.principal ? std::optional<int64_t>(req.principal->user.id) : std::nullopt,
                  "lrs.credential.delete", req.param("id"));
              res.status = 204;
          });
    r.get("/api/v1/lrs/targets", Access::Admin, [this](http::Request&, http::Response& res) {
        Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
        for (const auto& t : targets_.list())
            arr->add(targetJson(t));
        res.json(arr);
    });
    r.post("/api/v1/lrs/targets", Access::Admin, [this](http::Request& req, http::Response& res) {
        auto body = req.json();
        json::rejectUnknown(body, {"name", "endpoint", "username", "password", "verbs"});
        Target t;
        t.name = json::requireString(body, "name");
        t.endpoint = json::requireString(body, "endpoint");
        t.username = json::optString(body, "username").value_or("");
        t.password = json::optString(body, "password").value_or("");
        t.verbs = stringList(body, "verbs");
        t = targets_.add(t);
        host_.audit(&req,
                    req.principal ? std::optional<int64_t>(req.principal->user.id) : std::nullopt,
                    "lrs.target.create", t.endpoint);
        res.json(targetJson(t), 201);
    });
    r.del(
        "/api/v1/lrs/targets/{id}", Access::Admin, [this](http::Request& req, http::Response& res) {
            if (!targets_.remove(req.idParam("id"))) throw ApiError::notFound("target");
            host_.audit(
                &req, req.principal ? std::optional<int64_t>(req.principal->user.id) : std::nullopt,
                "lrs.target.delete", req.param("id"));
            res.status = 204;
        });
}

}  // namespace assay::xapi
