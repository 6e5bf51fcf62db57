#include "assay/core/auth/crypto.h"
#include "assay/core/error.h"
#include "assay/core/host.h"
#include "host/routes.h"
#include "views.h"

namespace assay::routes {
namespace {

void checkNewPassword(const std::string& p) {
    if (p.size() < 10)
        throw ApiError::badRequest("weak_password", "a password needs at least 10 characters");
    if (p.size() > 1024) throw ApiError::badRequest("invalid_field", "the password is too long");
}

}  // namespace

void auth(Host& host) {
    auto& r = host.router();
    r.post("/api/v1/auth/login", http::Access::Public,
           [&host](http::Request& req, http::Response& res) {
               auto body = req.json();
               json::rejectUnknown(body, {"username", "password"});
               auto s = host.auth().login(json::requireString(body, "username"),
                                          json::requireString(body, "password"), req.clientIp());
               const int64_t ttl = host.config().durationMs("auth.session_ttl") / 1000;
               res.header("Set-Cookie",
                          host.auth().sessionCookie(s.cookieValue, ttl, req.secure()));
               auto out = views::object();
               out->set("user", views::user(s.user));
               out->set("csrf_token", s.csrfToken);
               res.json(out);
           });
    r.post("/api/v1/auth/logout", http::Access::Authenticated,
           [&host](http::Request& req, http::Response& res) {
               host.auth().logout(req);
               res.header("Set-Cookie", host.auth().clearedCookie(req.secure()));
               host.audit(&req, req.principal->user.id, "auth.logout",
                          req.principal->user.username);
               res.json(views::object());
           });
    r.get("/api/v1/auth/me", http::Access::Authenticated,
          [](http::Request& req, http::Response& res) {
              auto out = views::object();
              out->set("user", views::user(req.principal->user));
              if (req.principal->viaSession) out->set("csrf_token", req.principal->csrfToken);
              res.json(out);
          });
    r.post("/api/v1/auth/password", http::Access::Authenticated,
           [&host](http::Request& req, http::Response& res) {
               auto body = req.json();
               json::rejectUnknown(body, {"current_password", "new_password"});
               const User& u = req.principal->user;
               auto hash = host.store().passwordHash(u.id);
               if (!hash ||
                   !crypto::verifyPassword(json::requireString(body, "current_password"), *hash))
                   throw ApiError(403, "invalid_credentials", "the current password is wrong");
               const std::string next = json::requireString(body, "new_password");
               checkNewPassword(next);
               host.store().setPassword(u.id, host.auth().hashPassword(next), false);
               host.audit(&req, u.id, "auth.password_changed", u.username);
               res.json(views::object());
           });

    // API tokens for scripts and integrations: instructors and admins only.
    r.get("/api/v1/tokens", http::Access::Instructor,
          [&host](http::Request& req, http::Response& res) {
              auto arr = views::array();
              for (const auto& t : host.store().listTokens(req.principal->user.id)) {
                  auto o = views::object();
                  o->set("id", t.id);
                  o->set("name", t.name);
                  o->set("prefix", t.prefix);
                  o->set("created_at", isoTime(t.createdAt));
                  if (t.lastUsedAt) o->set("last_used_at", isoTime(*t.lastUsedAt));
                  o->set("revoked", t.revoked);
                  arr->add(o);
              }
              auto out = views::object();
              out->set("tokens", arr);
              res.json(out);
          });
    r.post("/api/v1/tokens", http::Access::Instructor,
           [&host](http::Request& req, http::Response& res) {
               auto body = req.json();
               json::rejectUnknown(body, {"name"});
               const std::string name = json::requireString(body, "name");
               if (name.empty() || name.size() > 100)
                   throw ApiError::badRequest("invalid_field",
                                              "'name' must have 1 to 100 characters");
               const std::string token = host.auth().issueToken(req.principal->user.id, name);
               host.audit(&req, req.principal->user.id, "token.created", name);
               auto out = views::object();
               out->set("name", name);
               out->set("token", token);
               out->set("note", "store this token now: it is shown only once");
               res.json(out, 201);
           });
    r.del("/api/v1/tokens/{id}", http::Access::Instructor,
          [&host](http::Request& req, http::Response& res) {
              if (!host.store().revokeToken(req.principal->user.id, req.idParam("id")))
                  throw ApiError::notFound("token");
              host.audit(&req, req.principal->user.id, "token.revoked", req.param("id"));
              res.json(views::object());
          });
}

void users(Host& host) {
    auto& r = host.router();
    r.get("/api/v1/users", http::Access::Admin, [&host](http::Request&, http::Response& res) {
        auto arr = views::array();
        for (const auto& u : host.store().listUsers())
            arr->add(views::user(u));
        auto out = views::object();
        out->set("users", arr);
        res.json(out);
    });
    r.post("/api/v1/users", http::Access::Admin, [&host](http::Request& req, http::Response& res) {
        auto body = req.json();
        json::rejectUnknown(body, {"username", "display_name", "email", "role", "password"});
        NewUser n;
        n.username = json::requireString(body, "username");
        if (n.username.empty() || n.username.size() > 100 ||
            n.username.find_first_of(" \t\r\n/\\") != std::string::npos)
            throw ApiError::badRequest(
                "invalid_field", "'username' must be 1-100 characters without spaces or slashes");
        n.displayName = json::optString(body, "display_name").value_or("");
        n.email = json::optString(body, "email").value_or("");
        auto role = parseRole(json::requireString(body, "role"));
        if (!role)
            throw ApiError::badRequest("invalid_field",
                                       "'role' must be admin, instructor or student");
        n.role = *role;
        if (auto p = json::optString(body, "password")) {
            checkNewPassword(*p);
            n.passwordHash = host.auth().hashPassword(*p);
        }
        User u = host.store().createUser(n);
        host.audit(&req, req.principal->user.id, "user.created", u.username);
        res.json(views::user(u), 201);
    });
    r.get("/api/v1/users/{id}", http::Access::Admin,
          [&host](http::Request& req, http::Response& res) {
              auto u = host.store().findUser(req.idParam("id"));
              if (!u) throw ApiError::notFound("user");
              res.json(views::user(*u));
          });
    r.put("/api/v1/users/{id}", http::Access::Admin,
          [&host](http::Request& req, http::Response& res) {
              auto u = host.store().findUser(req.idParam("id"));
              if (!u) throw ApiError::notFound("user");
              auto body = req.json();
              json::rejectUnknown(body, {"display_name", "email", "role", "disabled", "password"});
              if (auto v = json::optString(body, "display_name")) u->displayName = *v;
              if (auto v = json::optString(body, "email")) u->email = *v;
              if (auto v = json::optString(body, "role")) {
                  auto role = parseRole(*v);
                  if (!role)
                      throw ApiError::badRequest("invalid_field",
                                                 "'role' must be admin, instructor or student");
                  u->role = *role;
              }
              if (auto v = json::optBool(body, "disabled")) u->disabled = *v;
              if (u->id == req.principal->user.id && (u->disabled || u->role != Role::Admin))
                  throw ApiError::conflict("self_lockout",
                                           "you cannot disable or demote your own account");
              host.store().updateUser(*u);
              if (auto p = json::optString(body, "password")) {
                  checkNewPassword(*p);
                  host.store().setPassword(u->id, host.auth().hashPassword(*p), true);
              }
              host.audit(&req, req.principal->user.id, "user.updated", u->username);
              res.json(views::user(*u));
          });
}

}  // namespace assay::routes
