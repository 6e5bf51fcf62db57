#include "Lrs.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
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

namespace {

// The headers a form of the alternate request syntax may carry (xAPI 1.0.3 §1.3).
constexpr const char* kFormHeaders[] = {"authorization", "x-experience-api-version",
                                        "content-type",  "content-length",
                                        "if-match",      "if-none-match"};

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

LrsRequest::LrsRequest(http::Request& raw) : raw_(raw), method_(raw.method()) {
    query_ = queryOf(raw);
    if (method_ != "POST") return;
    bool hasMethod = false;
    for (const auto& [k, v] : query_)
        hasMethod |= k == "method";
    if (!hasMethod) return;
    alternate_ = true;
    // Only `method` may be in the query string; everything else travels in the form.
    std::string wanted;
    for (const auto& [k, v] : query_) {
        if (k != "method")
            throw XapiException(makeError(
                ErrorCode::UnknownParameter,
                "the alternate request syntax allows only 'method' in the query string", k));
        if (!wanted.empty())
            throw XapiException(makeError(ErrorCode::InvalidParameter,
                                          "the parameter is given more than once", "method"));
        wanted = v;
    }
    for (auto& c : wanted)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (wanted != "GET" && wanted != "PUT" && wanted != "POST" && wanted != "DELETE" &&
        wanted != "HEAD")
        throw XapiException(makeError(ErrorCode::InvalidParameter,
                                      "method must be GET, HEAD, PUT, POST or DELETE", "method"));
    method_ = wanted;
    // application/x-www-form-urlencoded: '+' is a space; a literal plus arrives as %2B.
    std::string form = raw.body();
    for (auto& c : form)
        if (c == '+') c = ' ';
    std::string encoded;
    encoded.reserve(form.size());
    for (char c : form) {
        if (c == ' ')
            encoded += "%20";
        else
            encoded += c;
    }
    query_.clear();
    for (auto& [k, v] : parseQueryString(encoded)) {
        const std::string name = lower(k);
        if (k == "content") {
            content_ = std::move(v);
            continue;
        }
        if (std::find(std::begin(kFormHeaders), std::end(kFormHeaders), name) !=
            std::end(kFormHeaders)) {
            formHeaders_[name] = std::move(v);
            continue;
        }
        query_.emplace_back(k, std::move(v));
    }
}

std::optional<std::string> LrsRequest::headerOpt(const std::string& name) const {
    if (alternate_) {
        auto it = formHeaders_.find(lower(name));
        if (it != formHeaders_.end()) return it->second;
        // The form's own content type is not the content's.
        const std::string n = lower(name);
        if (n == "content-type" || n == "content-length") return std::nullopt;
    }
    if (!raw_.raw().has(name)) return std::nullopt;
    return raw_.raw().get(name);
}

const std::string& LrsRequest::body() {
    return alternate_ ? content_ : raw_.body();
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

LrsCall Lrs::authenticate(LrsRequest& req, const std::string& scope) {
    LrsCall call;
    // The host authenticates Bearer tokens and sessions itself: an administrator may use the LRS.
    if (req.raw().principal) {
        if (req.raw().principal->user.role != Role::Admin)
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
    if (!cred->allows(scope)) {
        // Reading statements: a credential with statements/read/mine reads its own.
        if (scope == "statements/read" && cred->allows("statements/read/mine"))
            call.mineOnly = true;
        else
            throw ApiError(403, "xapi.forbidden", "this credential lacks the scope " + scope);
    }
    call.define = cred->allows("define");
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

http::Handler Lrs::serve(Endpoints endpoints) {
    return [this, endpoints](http::Request& raw, http::Response& res) {
        Version version = Version::V2_0_0;
        try {
            // Errors found while reading an alternate-syntax form answer in the request's
            // version when its header names one.
            if (raw.raw().has(kVersionHeader)) {
                auto v = versionFromHeader(std::string_view(raw.raw().get(kVersionHeader)));
                if (auto* ok = std::get_if<Version>(&v)) version = *ok;
            }
            LrsRequest req(raw);
            std::string method = req.method() == "HEAD" ? "GET" : req.method();
            auto endpoint = endpoints.find(method);
            const bool needsVersion =
                endpoint == endpoints.end() || !endpoint->second.scope.empty();
            auto header = req.headerOpt(kVersionHeader);
            if (needsVersion || header) {
                auto v = versionFromHeader(header ? std::optional<std::string_view>(*header)
                                                  : std::nullopt);
                if (auto* e = std::get_if<XapiError>(&v)) {
                    if (needsVersion) throw XapiException(*e);
                } else {
                    version = std::get<Version>(v);
                }
            }
            // xAPI 2.0 dropped the alternate request syntax: `method` is an unknown parameter
            // there, and a POST to a resource without POST is not allowed.
            if (req.alternate() && version == Version::V2_0_0) {
                if (endpoints.count("POST"))
                    throw XapiException(
                        makeError(ErrorCode::UnknownParameter,
                                  "xAPI 2.0 has no alternate request syntax (method=)", "method"));
                endpoint = endpoints.end();
            }
            if (endpoint == endpoints.end())
                throw ApiError(405, "xapi.method_not_allowed",
                               "this resource does not answer " + raw.method() +
                                   (req.alternate() && version != Version::V2_0_0
                                        ? " (method=" + req.method() + ")"
                                        : ""));
            LrsCall call;
            if (!endpoint->second.scope.empty()) call = authenticate(req, endpoint->second.scope);
            call.version = version;
            endpoint->second.handler(req, res, call);
            if (req.method() == "HEAD" && req.alternate()) res.body.clear();
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
    // Every resource also takes POST: the alternate request syntax of xAPI 1.0.3 carries the
    // real method in `?method=`; without it (or under 2.0) a POST where the resource has none
    // is 405.
    auto route = [&](const char* path, Endpoints endpoints) {
        auto h = serve(std::move(endpoints));
        for (const char* m : {"GET", "PUT", "POST", "DELETE"})
            r.add(m, path, Access::Public, h);
    };
    route("/xapi/about",
          {{"GET", {"", [this](LrsRequest&, http::Response& s, const LrsCall&) { about(s); }}}});
    route("/xapi/statements",
          {{"POST",
            {"statements/write", [this](LrsRequest& q, http::Response& s,
                                        const LrsCall& c) { postStatements(q, s, c, false); }}},
           {"PUT",
            {"statements/write", [this](LrsRequest& q, http::Response& s,
                                        const LrsCall& c) { postStatements(q, s, c, true); }}},
           {"GET", {"statements/read", [this](LrsRequest& q, http::Response& s, const LrsCall& c) {
                        getStatements(q, s, c);
                    }}}});
    const std::pair<const char*, const char*> docs[] = {
        {"/xapi/activities/state", "state"},
        {"/xapi/activities/profile", "profile"},
        {"/xapi/agents/profile", "profile"},
    };
    for (int i = 0; i < 3; ++i) {
        LrsHandler h = [this, i](LrsRequest& q, http::Response& s, const LrsCall& c) {
            documents(q, s, c, i);
        };
        const std::string scope = docs[i].second;
        route(docs[i].first, {{"GET", {scope + "/read", h}},
                              {"PUT", {scope, h}},
                              {"POST", {scope, h}},
                              {"DELETE", {scope, h}}});
    }
    route("/xapi/agents",
          {{"GET", {"profile/read", [this](LrsRequest& q, http::Response& s, const LrsCall& c) {
                        agents(q, s, c);
                    }}}});
    route("/xapi/activities",
          {{"GET", {"profile/read", [this](LrsRequest& q, http::Response& s, const LrsCall& c) {
                        activities(q, s, c);
                    }}}});
    registerAdminRoutes();
}

}  // namespace assay::xapi
