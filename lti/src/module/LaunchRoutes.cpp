// /lti/login, /lti/launch (+ /lti/launch/continue) and /lti/jwks.
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>
#include <openssl/crypto.h>

#include "Forms.h"
#include "Pages.h"
#include "Provisioning.h"
#include "Services.h"
#include "assay/core/error.h"
#include "assay/core/log.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"
#include "assay/lti/LaunchValidator.h"
#include "assay/lti/LoginInitiation.h"
#include "assay/lti/Random.h"

namespace assay::lti {
namespace {

constexpr std::int64_t kLoginTtlSeconds = 600;
constexpr std::int64_t kDeepLinkTtlMs = std::int64_t{3600} * 1000;

std::string stateCookieName(const std::string& state) {
    return "lti_state_" + state.substr(0, 64);
}

std::string origin(const std::string& url) {
    Poco::URI u(url);
    std::string o = u.getScheme() + "://" + u.getHost();
    if (u.getPort() != Poco::URI(u.getScheme() + "://x").getPort())
        o += ":" + std::to_string(u.getPort());
    return o;
}

// Values for the page script, as a JSON block the script parses ("<" escaped so it cannot end the
// block).
std::string configBlock(const Poco::JSON::Object& cfg) {
    std::string text;
    for (char c : json::stringify(cfg))
        text += c == '<' ? std::string("\\u003c") : std::string(1, c);
    return "<script type=\"application/json\" id=\"lti-config\">" + text + "</script>";
}

bool sameSecret(const std::string& a, const std::string& b) {
    return !a.empty() && a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void failLaunch(http::Response& res, const std::string& why, int status = 400) {
    log::get("lti").warning("launch refused: " + why);
    pages::error(
        res, status, "This launch could not be completed",
        "Assay could not verify the request from your learning platform. Go back to the course and "
        "open the activity again.");
}

// The login page when the platform offers storage: put the state's secret into platform
// storage, then continue to the platform's authorization endpoint.
void storagePutPage(http::Response& res, const LoginRedirect& r, const std::string& storageTarget,
                    const std::string& secret) {
    Poco::JSON::Object cfg;
    cfg.set("target", storageTarget);
    cfg.set("origin", origin(r.platform.authLoginUrl));
    cfg.set("key", "assay_state_" + r.state);
    cfg.set("value", secret);
    cfg.set("next", r.url);
    const std::string script = R"JS(
var cfg = JSON.parse(document.getElementById('lti-config').textContent);
var done = false;
function go() { if (!done) { done = true; window.location.href = cfg.next; } }
var frame = (cfg.target === '_parent') ? window.parent : (window.parent.frames[cfg.target] || window.parent);
window.addEventListener('message', function (e) {
  if (e.origin === cfg.origin && e.data && e.data.subject === 'lti.put_data.response') go();
});
try {
  frame.postMessage({subject: 'lti.put_data', message_id: 'assay-' + Date.now(), key: cfg.key, value: cfg.value}, cfg.origin);
} catch (err) { go(); }
setTimeout(go, 2000);
)JS";
    pages::scriptPage(
        res, "Signing in",
        configBlock(cfg) + "<p><a href=\"" + pages::escape(r.url) + "\">Continue</a></p>", script);
}

// The launch page when the state cookie did not come back: read the secret from platform
// storage and post it with the token to /lti/launch/continue; otherwise offer a new window.
void storageGetPage(Services& s, http::Response& res, const PendingLogin& p,
                    const std::string& state, const std::string& idToken) {
    Poco::JSON::Object cfg;
    cfg.set("target", p.state.storageTarget);
    cfg.set("origin", origin(s.platforms.find(p.state.expected.issuer, p.state.expected.clientId)
                                 .value_or(PlatformRegistration{})
                                 .authLoginUrl));
    cfg.set("key", "assay_state_" + state);
    const std::string fallback = s.publicUrl() + "/lti/login?" + p.loginQuery;
    const std::string body =
        configBlock(cfg) + "<form id=\"f\" method=\"post\" action=\"" +
        pages::escape(s.publicUrl() + "/lti/launch/continue") +
        "\"><input type=\"hidden\" name=\"id_token\" value=\"" + pages::escape(idToken) +
        "\"><input type=\"hidden\" name=\"state\" value=\"" + pages::escape(state) +
        "\"><input type=\"hidden\" name=\"storage_value\" id=\"v\" value=\"\"></form>"
        "<p id=\"fallback\" hidden>Your browser blocked what Assay needs inside this frame. <a "
        "target=\"_blank\" "
        "rel=\"opener\" href=\"" +
        pages::escape(fallback) + "\">Open the activity in a new window</a>.</p>";
    const std::string script = R"JS(
var cfg = JSON.parse(document.getElementById('lti-config').textContent);
var id = 'assay-' + Date.now();
function fallback() { document.getElementById('fallback').hidden = false; }
var frame = (cfg.target === '_parent') ? window.parent : (window.parent.frames[cfg.target] || window.parent);
window.addEventListener('message', function (e) {
  if (e.origin !== cfg.origin || !e.data || e.data.subject !== 'lti.get_data.response' || e.data.message_id !== id) return;
  if (typeof e.data.value !== 'string' || !e.data.value) { fallback(); return; }
  document.getElementById('v').value = e.data.value;
  document.getElementById('f').submit();
});
try { frame.postMessage({subject: 'lti.get_data', message_id: id, key: cfg.key}, cfg.origin); } catch (err) { fallback(); }
setTimeout(fallback, 3000);
)JS";
    pages::scriptPage(res, "Signing in", body, script);
}

void newWindowPage(Services& s, http::Response& res, const PendingLogin& p) {
    const std::string url = s.publicUrl() + "/lti/login?" + p.loginQuery;
    res.text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Open "
        "Assay</title></head><body>"
        "<p>Your browser blocked the cookie Assay needs inside this frame.</p><p><a "
        "target=\"_blank\" "
        "href=\"" +
            pages::escape(url) + "\">Open the activity in a new window</a></p></body></html>\n",
        "text/html; charset=utf-8", 200);
}

std::string deepLinkRequestJson(const LtiLaunch& l) {
    Poco::JSON::Object o;
    o.set("iss", l.issuer);
    o.set("client_id", l.clientId);
    o.set("deployment_id", l.deploymentId);
    const auto& d = *l.deepLinking;
    o.set("return_url", d.returnUrl);
    Poco::JSON::Array::Ptr types = new Poco::JSON::Array;
    for (const auto& t : d.acceptTypes)
        types->add(t);
    o.set("accept_types", types);
    o.set("accept_multiple", d.acceptMultiple);
    o.set("accept_line_item", d.acceptLineItem);
    if (d.data) o.set("data", *d.data);
    return json::stringify(o);
}

// The `lti.launch` event of a resource-link launch (the xapi module records it as
// "launched"): who launched which assignment of which course, from which link.
void publishLaunch(Services& s, const LtiLaunch& launch, const Provisioned& p) {
    ::assay::json::Object e = new Poco::JSON::Object;
    e->set("user_id", p.userId);
    e->set("lms_issuer", launch.issuer);
    e->set("lti_user_id", launch.userId);
    if (!launch.name.empty()) e->set("user_name", launch.name);
    e->set("course_id", p.courseId);
    if (launch.context && !launch.context->title.empty())
        e->set("course_title", launch.context->title);
    e->set("assignment_id", *p.assignmentId);
    auto title = s.host.database().acquire()->query("SELECT title FROM assignments WHERE id = ?",
                                                    {*p.assignmentId});
    if (!title.empty()) e->set("assignment_title", title[0].text(0));
    e->set("deployment_id", launch.deploymentId);
    if (launch.resourceLink) e->set("resource_link_id", launch.resourceLink->id);
    e->set("role", p.courseRole == Role::Instructor ? "instructor" : "student");
    e->set("launched_at", nowMs());
    s.host.publish("lti.launch", e);
}

void complete(Services& s, http::Request& req, http::Response& res, const std::string& state,
              const std::string& idToken) {
    auto pending = s.states.takePending(state, systemNow());
    if (!pending) return failLaunch(res, "state unknown, expired or already used");
    LaunchValidator validator(s.platforms, *s.jwks, s.nonces);
    LtiLaunch launch;
    Provisioned p;
    try {
        launch = validator.validate(idToken, pending->state.expected);
        p = provision(s.host.database(), launch);
    } catch (const LtiError& e) {
        return failLaunch(res, std::string(e.codeName()) + ": " + e.what());
    } catch (const ApiError& e) {
        return failLaunch(res, e.code() + ": " + e.what(), e.status());
    }
    // The state cookie has done its job.
    res.header("Set-Cookie",
               stateCookieName(state) + "=; Path=/lti; Max-Age=0; HttpOnly" +
                   std::string(s.secureCookies() ? "; Secure; SameSite=None; Partitioned"
                                                 : "; SameSite=Lax"));
    const std::string logLine =
        "launch " +
        std::string(launch.messageType == MessageType::DeepLinking ? "deep-link"
                                                                   : "resource-link") +
        " user " + std::to_string(p.userId) + " course " + std::to_string(p.courseId);
    log::get("lti").information(logLine);
    auto details = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    details->set("issuer", launch.issuer);
    details->set("course_id", p.courseId);
    s.host.audit(&req, p.userId, "lti.launch", launch.issuer, details);

    requestRosterSyncIfStale(s, p.courseId);
    if (launch.messageType == MessageType::ResourceLink && p.assignmentId)
        publishLaunch(s, launch, p);

    if (launch.messageType == MessageType::DeepLinking) {
        // The choice page is authorised by this single-use token alone (no session cookie needed).
        const std::string token = randomToken(32);
        s.host.database().acquire()->execute(
            "INSERT INTO lti_deep_links (token_hash, user_id, course_id, request, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            {sha256Hex(token), p.userId, p.courseId, deepLinkRequestJson(launch),
             nowMs() + kDeepLinkTtlMs});
        res.status = 303;
        res.header("Location", s.publicUrl() + "/lti/deeplink?token=" + token);
        res.contentType = "text/plain";
        return;
    }
    std::string target;
    if (p.assignmentId)
        target = p.courseRole == Role::Instructor
                     ? "/app/manage/assignments/" + std::to_string(*p.assignmentId)
                     : "/app/assignments/" + std::to_string(*p.assignmentId);
    else if (p.courseRole == Role::Instructor)
        target = "/app/manage/courses/" + std::to_string(p.courseId);
    else
        return pages::error(
            res, 404, "Not set up yet",
            "Your instructor has not yet chosen an Assay assignment for this link.");
    auto user = s.host.store().findUser(p.userId);
    auto session = s.host.auth().startSession(*user, req.clientIp());
    const auto ttl = s.host.config().durationMs("auth.session_ttl") / 1000;
    res.header("Set-Cookie",
               s.host.auth().sessionCookie(session.cookieValue, ttl, s.secureCookies()));
    res.status = 302;
    res.header("Location", s.publicUrl() + target);
    res.contentType = "text/plain";
}

}  // namespace

void registerLaunchRoutes(Services& s) {
    auto& r = s.host.router();
    auto login = [&s](http::Request& req, http::Response& res) {
        auto params = requestParams(req);
        try {
            const auto request = parseLoginRequest(params);
            auto redirect = beginLogin(request, s.platforms, s.nonces, s.states, s.launchUrl(),
                                       systemNow(), kLoginTtlSeconds);
            const std::string secret = randomToken(24);
            s.states.annotate(redirect.state, secret, encodeQuery(params));
            res.header("Set-Cookie", stateCookieName(redirect.state) + "=1; Path=/lti; Max-Age=" +
                                         std::to_string(kLoginTtlSeconds) + "; HttpOnly" +
                                         (s.secureCookies() ? "; Secure; SameSite=None; Partitioned"
                                                            : "; SameSite=Lax"));
            if (request.storageTarget.empty()) {
                res.status = 302;
                res.contentType = "text/plain";
                res.header("Location", redirect.url);
                return;
            }
            storagePutPage(res, redirect, request.storageTarget, secret);
        } catch (const LtiError& e) {
            log::get("lti").warning(std::string("login refused: ") + e.codeName() + ": " +
                                    e.what());
            pages::error(res, 400, "This launch could not be started",
                         "The learning platform's login request was not accepted.");
        }
    };
    r.get("/lti/login", http::Access::Public, login);
    r.post("/lti/login", http::Access::Public, login);

    r.post("/lti/launch", http::Access::Public, [&s](http::Request& req, http::Response& res) {
        auto params = requestParams(req);
        const std::string idToken = params["id_token"], state = params["state"];
        if (params.count("error")) return failLaunch(res, "platform error: " + params["error"]);
        if (idToken.empty() || state.empty()) return failLaunch(res, "id_token or state missing");
        auto pending = s.states.peek(state, systemNow());
        if (!pending) return failLaunch(res, "state unknown, expired or already used");
        if (req.cookie(stateCookieName(state)) == "1") return complete(s, req, res, state, idToken);
        // No cookie (third-party cookies blocked): platform storage, else a new window.
        if (!pending->state.storageTarget.empty())
            return storageGetPage(s, res, *pending, state, idToken);
        newWindowPage(s, res, *pending);
    });
    r.post("/lti/launch/continue", http::Access::Public,
           [&s](http::Request& req, http::Response& res) {
               auto params = requestParams(req);
               const std::string idToken = params["id_token"], state = params["state"];
               auto pending = s.states.peek(state, systemNow());
               if (!pending) return failLaunch(res, "state unknown, expired or already used");
               if (!sameSecret(params["storage_value"], pending->storageSecret))
                   return failLaunch(res, "state not confirmed by platform storage");
               complete(s, req, res, state, idToken);
           });

    r.get("/lti/jwks", http::Access::Public, [&s](http::Request&, http::Response& res) {
        res.text(s.keys->publicJwks(), "application/json", 200);
        res.header("Cache-Control", "public, max-age=300");
    });
}

}  // namespace assay::lti
