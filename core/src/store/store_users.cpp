// Users, API tokens, browser sessions, settings.
#include <algorithm>
#include <cctype>

#include "assay/core/error.h"
#include "assay/core/store/store.h"

namespace assay {
namespace {

const char* kUserCols =
    "id, username, display_name, email, role, must_change_password, disabled, created_at";

User userFrom(const db::Row& r, size_t o = 0) {
    User u;
    u.id = r.integer(o + 0);
    u.username = r.text(o + 1);
    u.displayName = r.text(o + 2);
    u.email = r.text(o + 3);
    u.role = parseRole(r.text(o + 4)).value_or(Role::Student);
    u.mustChangePassword = r.integer(o + 5) != 0;
    u.disabled = r.integer(o + 6) != 0;
    u.createdAt = r.integer(o + 7);
    return u;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string userColsWithPrefix(const std::string& p) {
    return p + "id, " + p + "username, " + p + "display_name, " + p + "email, " + p + "role, " + p +
           "must_change_password, " + p + "disabled, " + p + "created_at";
}

}  // namespace

User Store::createUser(const NewUser& n) {
    User u;
    u.username = lower(n.username);
    u.displayName = n.displayName.empty() ? n.username : n.displayName;
    u.email = n.email;
    u.role = n.role;
    u.mustChangePassword = n.mustChangePassword;
    u.createdAt = nowMs();
    auto h = db_.acquire();
    try {
        u.id = h->insert(
            "INSERT INTO users (username, display_name, email, role, password_hash, "
            "must_change_password, disabled, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
            {u.username, u.displayName, u.email, std::string(roleName(u.role)),
             n.passwordHash ? db::Value(*n.passwordHash) : db::Value(db::Null{}),
             int64_t{u.mustChangePassword}, u.createdAt});
    } catch (const db::DbError& e) {
        if (e.kind() == db::DbError::Kind::Constraint)
            throw ApiError::conflict("username_taken",
                                     "a user named '" + u.username + "' already exists");
        throw;
    }
    return u;
}

std::optional<User> Store::findUser(int64_t id) {
    auto rows =
        db_.acquire()->query(std::string("SELECT ") + kUserCols + " FROM users WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return userFrom(rows[0]);
}

std::optional<User> Store::findUserByName(const std::string& username) {
    auto rows = db_.acquire()->query(
        std::string("SELECT ") + kUserCols + " FROM users WHERE username = ?", {lower(username)});
    if (rows.empty()) return std::nullopt;
    return userFrom(rows[0]);
}

std::optional<std::string> Store::passwordHash(int64_t userId) {
    auto rows = db_.acquire()->query("SELECT password_hash FROM users WHERE id = ?", {userId});
    if (rows.empty() || rows[0].isNull(0)) return std::nullopt;
    return rows[0].text(0);
}

std::vector<User> Store::listUsers() {
    std::vector<User> out;
    for (const auto& r :
         db_.acquire()->query(std::string("SELECT ") + kUserCols + " FROM users ORDER BY id"))
        out.push_back(userFrom(r));
    return out;
}

int64_t Store::countUsers() {
    return db_.acquire()->query("SELECT COUNT(*) FROM users")[0].integer(0);
}

void Store::updateUser(const User& u) {
    db_.acquire()->execute(
        "UPDATE users SET display_name = ?, email = ?, role = ?, disabled = ? WHERE id = ?",
        {u.displayName, u.email, std::string(roleName(u.role)), int64_t{u.disabled}, u.id});
}

void Store::setPassword(int64_t userId, const std::string& hash, bool mustChange) {
    db_.acquire()->execute(
        "UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?",
        {hash, int64_t{mustChange}, userId});
}

int64_t Store::createToken(int64_t userId, const std::string& name, const std::string& hash,
                           const std::string& prefix) {
    return db_.acquire()->insert(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, revoked) VALUES "
        "(?, ?, ?, ?, ?, 0)",
        {userId, name, hash, prefix, nowMs()});
}

std::optional<User> Store::userForToken(const std::string& hash) {
    auto h = db_.acquire();
    auto rows = h->query("SELECT t.id, " + userColsWithPrefix("u.") +
                             " FROM api_tokens t JOIN users u ON u.id = t.user_id "
                             "WHERE t.token_hash = ? AND t.revoked = 0",
                         {hash});
    if (rows.empty()) return std::nullopt;
    h->execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
               {nowMs(), rows[0].integer(0)});
    return userFrom(rows[0], 1);
}

std::vector<TokenInfo> Store::listTokens(int64_t userId) {
    std::vector<TokenInfo> out;
    for (const auto& r :
         db_.acquire()->query("SELECT id, name, prefix, created_at, last_used_at, revoked FROM "
                              "api_tokens WHERE user_id = ? ORDER BY id",
                              {userId})) {
        TokenInfo t;
        t.id = r.integer(0);
        t.name = r.text(1);
        t.prefix = r.text(2);
        t.createdAt = r.integer(3);
        if (!r.isNull(4)) t.lastUsedAt = r.integer(4);
        t.revoked = r.integer(5) != 0;
        out.push_back(t);
    }
    return out;
}

bool Store::revokeToken(int64_t userId, int64_t tokenId) {
    return db_.acquire()->execute("UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?",
                                  {tokenId, userId}) > 0;
}

void Store::createSession(const std::string& idHash, int64_t userId, const std::string& csrf,
                          int64_t expiresAt, const std::string& ip) {
    db_.acquire()->execute(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, ip) VALUES "
        "(?, ?, ?, ?, ?, ?)",
        {idHash, userId, csrf, nowMs(), expiresAt, ip});
}

std::optional<SessionRecord> Store::findSession(const std::string& idHash) {
    auto rows = db_.acquire()->query(
        "SELECT s.csrf_token, s.expires_at, " + userColsWithPrefix("u.") +
            " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?",
        {idHash});
    if (rows.empty()) return std::nullopt;
    SessionRecord s;
    s.csrfToken = rows[0].text(0);
    s.expiresAt = rows[0].integer(1);
    s.user = userFrom(rows[0], 2);
    if (s.expiresAt < nowMs()) return std::nullopt;
    return s;
}

void Store::deleteSession(const std::string& idHash) {
    db_.acquire()->execute("DELETE FROM sessions WHERE id_hash = ?", {idHash});
}

int64_t Store::deleteExpiredSessions() {
    return db_.acquire()->execute("DELETE FROM sessions WHERE expires_at < ?", {nowMs()});
}

std::optional<std::string> Store::setting(const std::string& name) {
    auto rows = db_.acquire()->query("SELECT value FROM settings WHERE name = ?", {name});
    if (rows.empty()) return std::nullopt;
    return rows[0].text(0);
}

void Store::setSetting(const std::string& name, const std::string& value) {
    db_.transaction([&](db::Connection& c) {
        if (c.execute("UPDATE settings SET value = ? WHERE name = ?", {value, name}) == 0)
            c.execute("INSERT INTO settings (name, value) VALUES (?, ?)", {name, value});
    });
}

}  // namespace assay
