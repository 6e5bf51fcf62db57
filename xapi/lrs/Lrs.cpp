#include "Lrs.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <sstream>

#include "assay/core/error.h"
#include "assay/core/log.h"
#include "assay/xapi/Error.h"
#include "assay/xapi/Syntax.h"

namespace assay::xapi {
namespace {

const char* kVersionHeader = "X-Experience-API-Version";

void sendXapiError(http::Response& res, int status, const std::string& code,
                   const std::string& message, const std::string& path = "") {
    Poco::JSON::Object::Ptr inner = new Poco::JSON::Object;
    inner->set("code", code);
    inner->set("message", message);
    if (!path.empty()) inner->set("path", path);
    Poco::JSON::Object::Ptr outer = new Poco::JSON::Object;
    outer->set("error", inner);
    res.headers.clear();
    res.json(outer, status);
}

std::string decodeBase64(const std::string& in) {
    std::istringstream is(in);
    Poco::Base64Decoder dec(is);
    std::string out((std::istreambuf_iterator<char>(dec)), std::istreambuf_iterator<char>());
    return out;
}

}  // namespace

int64_t WriteClock::begin() {
    std::lock_guard lock(mutex_);
    const int64_t t = std::max({nowMillis(), last_, issued_ + 1});
    last_ = t;
    inflight_.insert(t);
    return t;
}

void WriteClock::end(int64_t stored) {
    std::lock_guard lock(mutex_);
    auto it = inflight_.find(stored);
    if (it != inflight_.end()) inflight_.erase(it);
}

int64_t WriteClock::consistentThrough() {
    std::lock_guard lock(mutex_);
    int64_t t = std::max(nowMillis(), last_);
    if (!inflight_.empty()) t = std::min(t, *inflight_.begin() - 1);
    issued_ = std::max(issued_, t);
    return issued_;
}

QueryParameters queryOf(http::Request& req) {
    const std::string& uri = req.raw().getURI();
    auto q = uri.find('?');
    if (q == std::string::npos) return {};
    return parseQueryString(std::string_view(uri).substr(q + 1));
}

Lrs::Lrs(Host& host, std::string keyFile)
    : host_(host),
      statements_(host.database()),
      documents_(host.database()),
      credentials_(host.database()),
      targets_(host.database(), keyFile) {
    moreKey_ = hashKey("xapi more token\n" + loadOrCreateKey(keyFile));
}

Poco::JSON::Object::Ptr Lrs::ownAuthority() const {
    Poco::JSON::Object::Ptr account = new Poco::JSON::Object;
    account->set("homePage", host_.config().publicUrl());
    account->set("name", "assay");
    Poco::JSON::Object::Ptr a = new Poco::JSON::Object;
    a->set("objectType", "Agent");
    a->set("name", "Assay");
    a->set("account", account);
    return a;
}

LrsCall Lrs::authenticate(http::Request& req, const std::string& scope) {
    LrsCall call;
    // The host authenticates Bearer tokens and sessions itself: an administrator may use the LRS.
    if (req.principal) {
        if (req.principal->user.role != Role::Admin)
            throw ApiError::forbidden("the LRS is open to LRS credentials and administrators");
        call.authority = ownAuthority();
        return call;
    }
    // LRS clients: HTTP Basic with a key and secret from `assay lrs credentials add`. The same
    // value is also read from X-Experience-API-Authorization for deployments whose front end
    // claims the Authorization header.
    std::string authz = req.header("Authorization");
    if (authz.empty()) authz = req.header("X-Experience-API-Authorization");
    if (authz.size() < 7 || Poco::icompare(authz.substr(0, 6), "Basic ") != 0)
        throw ApiError(401, "xapi.unauthenticated", "HTTP Basic credentials required");
    const std::string pair = decodeBase64(authz.substr(6));
    const auto colon = pair.find(':');
    if (colon == std::string::npos)
        throw ApiError(401, "xapi.unauthenticated", "malformed Basic credentials");
    auto cred = credentials_.verify(pair.substr(0, colon), pair.substr(colon + 1));
    if (!cred) throw ApiError(401, "xapi.unauthenticated", "unknown key or wrong secret");
    if (!cred->allows(scope))
        throw ApiError(403, "xapi.forbidden", "this credential lacks the scope " + scope);
    call.credential = cred;
    Poco::JSON::Object::Ptr account = new Poco::JSON::Object;
    account->set("homePage", host_.config().publicUrl() + "/xapi/clients");
    account->set("name", cred->key);
    Poco::JSON::Object::Ptr a = new Poco::JSON::Object;
    a->set("objectType", "Agent");
    a->set("name", cred->name);
    a->set("account", account);
    call.authority = a;
    return call;
}

http::Handler Lrs::wrap(const std::string& scope, bool needsVersion, LrsHandler h) {
    return [this, scope, needsVersion, h](http::Request& req, http::Response& res) {
        Version version = Version::V2_0_0;
        try {
            if (needsVersion) {
                const std::string header = req.header(kVersionHeader);
                auto v = versionFromHeader(
                    header.empty() ? std::nullopt : std::optional<std::string_view>(header));
                if (auto* e = std::get_if<XapiError>(&v)) throw XapiException(*e);
                version = std::get<Version>(v);
            }
            std::string s = scope;
            if (s.find("/read") == std::string::npos &&
                (req.method() == "GET" || req.method() == "HEAD"))
                s += "/read";
            LrsCall call = authenticate(req, s);
            call.version = version;
            h(req, res, call);
        } catch (const XapiException& e) {
            sendXapiError(res, e.error().httpStatus, std::string(e.error().name()),
                          e.error().message, e.error().path);
        } catch (const ApiError& e) {
            sendXapiError(res, e.status(), e.code(), e.what());
        } catch (const db::DbError& e) {
            log::get("xapi").error(std::string("database error: ") + e.what());
            sendXapiError(res, 503, "xapi.unavailable", "the database is busy; try again shortly");
        } catch (const std::exception& e) {
            log::get("xapi").error(std::string("unhandled: ") + e.what());
            sendXapiError(res, 500, "xapi.internal_error",
                          "internal error; reference " + log::requestId());
        }
        res.header(kVersionHeader, std::string(versionHeaderValue(version)));
    };
}

void Lrs::about(http::Response& res) {
    Poco::JSON::Array::Ptr versions = new Poco::JSON::Array;
    for (auto v : supportedVersions())
        versions->add(std::string(v));
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("version", versions);
    Poco::JSON::Object::Ptr ext = new Poco::JSON::Object;
    ext->set(host_.config().publicUrl() + "/xapi/vocab/lrs", "Assay built-in LRS");
    o->set("extensions", ext);
    res.json(o);
}

std::vector<std::string> Lrs::storeOwn(
    const std::vector<Poco::JSON::Object::Ptr>& statements,
    const std::function<void(db::Connection&, const std::vector<std::string>&)>& onStored) {
    StoreOptions opts;
    opts.authority = ownAuthority();
    opts.version = Version::V1_0_3;
    opts.storedMillis = clock_.begin();
    try {
        auto ids = statements_.store(statements, {}, opts, 0, onStored);
        clock_.end(opts.storedMillis);
        return ids;
    } catch (...) {
        clock_.end(opts.storedMillis);
        throw;
    }
}

void Lrs::registerRoutes() {
    auto& r = host_.router();
    using http::Access;
    r.get("/xapi/about", Access::Public, [this](http::Request& req, http::Response& res) {
        const std::string v = req.header(kVersionHeader);
        about(res);
        res.header(kVersionHeader, v.rfind("2.0", 0) == 0 || v.empty() ? "2.0.0" : "1.0.3");
    });
    r.post("/xapi/statements", Access::Public,
           wrap("statements/write", true,
                [this](http::Request& q, http::Response& s, const LrsCall& c) {
                    postStatements(q, s, c, false);
                }));
    r.put("/xapi/statements", Access::Public,
          wrap("statements/write", true,
               [this](http::Request& q, http::Response& s, const LrsCall& c) {
                   postStatements(q, s, c, true);
               }));
    r.get("/xapi/statements", Access::Public,
          wrap("statements/read", true,
               [this](http::Request& q, http::Response& s, const LrsCall& c) {
                   getStatements(q, s, c);
               }));
    const std::pair<const char*, const char*> docs[] = {
        {"/xapi/activities/state", "state"},
        {"/xapi/activities/profile", "profile"},
        {"/xapi/agents/profile", "profile"},
    };
    for (int i = 0; i < 3; ++i) {
        auto h = wrap(docs[i].second, true,
                      [this, i](http::Request& q, http::Response& s, const LrsCall& c) {
                          documents(q, s, c, i);
                      });
        for (const char* m : {"GET", "PUT", "POST", "DELETE"})
            r.add(m, docs[i].first, Access::Public, h);
    }
    r.get("/xapi/agents", Access::Public,
          wrap("profile/read", true,
               [this](http::Request& q, http::Response& s, const LrsCall& c) { agents(q, s, c); }));
    r.get("/xapi/activities", Access::Public,
          wrap("profile/read", true, [this](http::Request& q, http::Response& s, const LrsCall& c) {
              activities(q, s, c);
          }));
    registerAdminRoutes();
}

}  // namespace assay::xapi
