#pragma once
// Authentication: password login into cookie sessions, API tokens, CSRF, and role checks.
#include <optional>
#include <string>

#include "assay/core/config.h"
#include "assay/core/http/router.h"
#include "assay/core/store/store.h"

namespace assay {

class AuthService {
  public:
    static constexpr const char* kSessionCookie = "assay_session";
    static constexpr const char* kCsrfHeader = "X-CSRF-Token";

    AuthService(Store& store, const Config& config);

    struct Session {
        std::string cookieValue;  // secret; only its hash is stored
        std::string csrfToken;
        int64_t expiresAt = 0;
        User user;
    };
    // Throws ApiError 401 invalid_credentials, 403 account_disabled, 429 too_many_attempts.
    Session login(const std::string& username, const std::string& password, const std::string& ip);
    Session startSession(const User& user, const std::string& ip);
    void logout(http::Request& req);

    // Reads a Bearer token or the session cookie. Returns nothing when neither is present;
    // throws ApiError 401 when one is present but invalid.
    std::optional<http::Principal> authenticate(http::Request& req);
    // Writes through a cookie session need the session's CSRF token in X-CSRF-Token.
    void checkCsrf(http::Request& req, const http::Principal& p) const;

    // Returns the token in clear text: shown once, stored hashed.
    std::string issueToken(int64_t userId, const std::string& name);
    std::string hashPassword(const std::string& password) const;

    // Set-Cookie values. Under TLS the cookie is Secure, SameSite=None and Partitioned so it
    // works inside an LMS iframe; over plain HTTP (development) it is SameSite=Lax.
    std::string sessionCookie(const std::string& value, int64_t maxAgeSeconds, bool secure) const;
    std::string clearedCookie(bool secure) const;

  private:
    Store& store_;
    const Config& config_;
};

// Course-level permissions.
bool canManageCourse(Store& store, const User& u, int64_t courseId);
bool canViewCourse(Store& store, const User& u, int64_t courseId);
void requireManageCourse(Store& store, const User& u,
                         int64_t courseId);  // 404 if invisible, 403 if view-only
void requireViewCourse(Store& store, const User& u, int64_t courseId);

}  // namespace assay
