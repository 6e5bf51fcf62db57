#include <Poco/String.h>

#include "assay/core/auth/auth.h"
#include "assay/core/auth/crypto.h"
#include "assay/core/error.h"
#include "assay/core/log.h"

namespace assay {
namespace {

constexpr int64_t kLoginWindowMs = 15 * 60 * 1000;

// Used so that a login for an unknown user costs as much as one for a known user.
const std::string& dummyHash(int iterations) {
    static const std::string h = crypto::hashPassword("not a password", iterations);
    return h;
}

}  // namespace

AuthService::AuthService(Store& store, const Config& config) : store_(store), config_(config) {}

std::string AuthService::hashPassword(const std::string& password) const {
    return crypto::hashPassword(password,
                                static_cast<int>(config_.integer("auth.pbkdf2_iterations")));
}

AuthService::Session AuthService::login(const std::string& username, const std::string& password,
                                        const std::string& ip) {
    const std::string key = Poco::toLower(username);
    const int64_t since = nowMs() - kLoginWindowMs;
    if (store_.countEvents("auth.login_failed", key, since) >=
        config_.integer("auth.max_login_failures"))
        throw ApiError(429, "too_many_attempts",
                       "too many failed logins for this account; try again in 15 minutes");

    auto user = store_.findUserByName(key);
    auto hash = user ? store_.passwordHash(user->id) : std::nullopt;
    const bool ok =
        crypto::verifyPassword(
            password,
            hash ? *hash
                 : dummyHash(static_cast<int>(config_.integer("auth.pbkdf2_iterations")))) &&
        hash.has_value();
    if (!ok) {
        store_.logEvent(Event{0, 0, user ? std::optional<int64_t>(user->id) : std::nullopt,
                              "auth.login_failed", key, ip, log::requestId(), ""});
        log::get("auth").warning("failed login for '" + key + "' from " + ip);
        throw ApiError(401, "invalid_credentials", "wrong username or password");
    }
    if (user->disabled) throw ApiError(403, "account_disabled", "this account is disabled");
    store_.logEvent(Event{0, 0, user->id, "auth.login", key, ip, log::requestId(), ""});
    return startSession(*user, ip);
}

AuthService::Session AuthService::startSession(const User& user, const std::string& ip) {
    Session s;
    s.cookieValue = crypto::randomToken(32);
    s.csrfToken = crypto::randomToken(24);
    s.expiresAt = nowMs() + config_.durationMs("auth.session_ttl");
    s.user = user;
    store_.createSession(crypto::sha256Hex(s.cookieValue), user.id, s.csrfToken, s.expiresAt, ip);
    return s;
}

void AuthService::logout(http::Request& req) {
    const std::string c = req.cookie(kSessionCookie);
    if (!c.empty()) store_.deleteSession(crypto::sha256Hex(c));
}

std::optional<http::Principal> AuthService::authenticate(http::Request& req) {
    const std::string authz = req.header("Authorization");
    if (!authz.empty()) {
        if (Poco::icompare(authz.substr(0, 7), "Bearer ") != 0)
            throw ApiError::unauthorized("use 'Authorization: Bearer <token>'");
        auto user = store_.userForToken(crypto::sha256Hex(authz.substr(7)));
        if (!user) throw ApiError(401, "invalid_token", "the API token is unknown or revoked");
        if (user->disabled) throw ApiError(403, "account_disabled", "this account is disabled");
        return http::Principal{*user, false, ""};
    }
    const std::string c = req.cookie(kSessionCookie);
    if (c.empty()) return std::nullopt;
    auto s = store_.findSession(crypto::sha256Hex(c));
    if (!s) throw ApiError(401, "session_expired", "your session has expired; sign in again");
    if (s->user.disabled) throw ApiError(403, "account_disabled", "this account is disabled");
    return http::Principal{s->user, true, s->csrfToken};
}

void AuthService::checkCsrf(http::Request& req, const http::Principal& p) const {
    if (!p.viaSession) return;
    const std::string& m = req.method();
    if (m == "GET" || m == "HEAD" || m == "OPTIONS") return;
    const std::string sent = req.header(kCsrfHeader);
    if (sent.empty() || !crypto::constantTimeEquals(sent, p.csrfToken))
        throw ApiError(403, "csrf_failed",
                       "missing or wrong CSRF token (send it in the X-CSRF-Token header)");
}

std::string AuthService::issueToken(int64_t userId, const std::string& name) {
    const std::string token = "assay_" + crypto::randomToken(32);
    store_.createToken(userId, name, crypto::sha256Hex(token), token.substr(0, 10));
    return token;
}

std::string AuthService::sessionCookie(const std::string& value, int64_t maxAgeSeconds,
                                       bool secure) const {
    std::string c = std::string(kSessionCookie) + "=" + value +
                    "; Path=/; Max-Age=" + std::to_string(maxAgeSeconds) + "; HttpOnly";
    c += secure ? "; Secure; SameSite=None; Partitioned" : "; SameSite=Lax";
    return c;
}

std::string AuthService::clearedCookie(bool secure) const {
    return sessionCookie("", 0, secure);
}

bool canManageCourse(Store& store, const User& u, int64_t courseId) {
    if (u.role == Role::Admin) return true;
    auto r = store.enrollmentRole(courseId, u.id);
    return r && *r == Role::Instructor;
}

bool canViewCourse(Store& store, const User& u, int64_t courseId) {
    return u.role == Role::Admin || store.enrollmentRole(courseId, u.id).has_value();
}

void requireViewCourse(Store& store, const User& u, int64_t courseId) {
    if (!store.findCourse(courseId) || !canViewCourse(store, u, courseId))
        throw ApiError::notFound("course");
}

void requireManageCourse(Store& store, const User& u, int64_t courseId) {
    requireViewCourse(store, u, courseId);
    if (!canManageCourse(store, u, courseId))
        throw ApiError::forbidden("only the course's instructors may do this");
}

}  // namespace assay
