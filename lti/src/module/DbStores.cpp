#include "assay/lti/DbStores.h"

#include <Poco/JSON/Object.h>

#include "assay/lti/Json.h"
#include "assay/lti/PlatformStore.h"

namespace assay::lti {
namespace {

std::string encode(const PendingLogin& p) {
    Poco::JSON::Object o;
    o.set("iss", p.state.expected.issuer);
    o.set("client_id", p.state.expected.clientId);
    o.set("nonce", p.state.expected.nonce);
    o.set("target_link_uri", p.state.expected.targetLinkUri);
    o.set("storage_target", p.state.storageTarget);
    o.set("storage_secret", p.storageSecret);
    o.set("login_query", p.loginQuery);
    o.set("expires_at", static_cast<Poco::Int64>(p.state.expiresAt));
    return json::stringify(o);
}

PendingLogin decode(const std::string& text) {
    auto o = json::parseObject(text, ErrorCode::InvalidArgument);
    PendingLogin p;
    p.state.expected.issuer = json::getString(*o, "iss").value_or("");
    p.state.expected.clientId = json::getString(*o, "client_id").value_or("");
    p.state.expected.nonce = json::getString(*o, "nonce").value_or("");
    p.state.expected.targetLinkUri = json::getString(*o, "target_link_uri").value_or("");
    p.state.storageTarget = json::getString(*o, "storage_target").value_or("");
    p.storageSecret = json::getString(*o, "storage_secret").value_or("");
    p.loginQuery = json::getString(*o, "login_query").value_or("");
    p.state.expiresAt = json::getInteger(*o, "expires_at").value_or(0);
    return p;
}

}  // namespace

void DbNonceStore::issue(const std::string& nonce, std::int64_t expiresAt) {
    auto h = db_.acquire();
    // Used and expired nonces are kept a day past expiry, then dropped.
    h->execute("DELETE FROM lti_nonces WHERE expires_at < ?", {expiresAt - 86400 - 3600});
    h->execute("INSERT INTO lti_nonces (nonce_hash, expires_at, used) VALUES (?, ?, 0)",
               {sha256Hex(nonce), expiresAt});
}

bool DbNonceStore::consume(const std::string& nonce, std::int64_t now) {
    return db_.acquire()->execute(
               "UPDATE lti_nonces SET used = 1 WHERE nonce_hash = ? AND used = 0 AND expires_at > "
               "?",
               {sha256Hex(nonce), now}) == 1;
}

void DbLoginStateStore::put(const std::string& state, const LoginState& value) {
    auto h = db_.acquire();
    h->execute("DELETE FROM lti_login_states WHERE expires_at < ?", {value.expiresAt - 86400});
    PendingLogin p;
    p.state = value;
    h->execute("INSERT INTO lti_login_states (state_hash, data, expires_at) VALUES (?, ?, ?)",
               {sha256Hex(state), encode(p), value.expiresAt});
}

void DbLoginStateStore::annotate(const std::string& state, const std::string& storageSecret,
                                 const std::string& loginQuery) {
    db_.transaction([&](db::Connection& c) {
        auto rows =
            c.query("SELECT data FROM lti_login_states WHERE state_hash = ?", {sha256Hex(state)});
        if (rows.empty()) return;
        auto p = decode(rows[0].text(0));
        p.storageSecret = storageSecret;
        p.loginQuery = loginQuery;
        c.execute("UPDATE lti_login_states SET data = ? WHERE state_hash = ?",
                  {encode(p), sha256Hex(state)});
    });
}

std::optional<PendingLogin> DbLoginStateStore::peek(const std::string& state,
                                                    std::int64_t now) const {
    auto rows = db_.acquire()->query(
        "SELECT data, expires_at FROM lti_login_states WHERE state_hash = ?", {sha256Hex(state)});
    if (rows.empty() || rows[0].integer(1) <= now) return std::nullopt;
    return decode(rows[0].text(0));
}

std::optional<PendingLogin> DbLoginStateStore::takePending(const std::string& state,
                                                           std::int64_t now) {
    auto h = db_.acquire();
    auto rows = h->query("SELECT data, expires_at FROM lti_login_states WHERE state_hash = ?",
                         {sha256Hex(state)});
    if (rows.empty()) return std::nullopt;
    // Whoever deletes the row owns the state: a second take of the same state gets nothing.
    if (h->execute("DELETE FROM lti_login_states WHERE state_hash = ?", {sha256Hex(state)}) != 1)
        return std::nullopt;
    if (rows[0].integer(1) <= now) return std::nullopt;
    return decode(rows[0].text(0));
}

std::optional<LoginState> DbLoginStateStore::take(const std::string& state, std::int64_t now) {
    auto p = takePending(state, now);
    if (!p) return std::nullopt;
    return p->state;
}

}  // namespace assay::lti
