#include "assay/lti/PlatformStore.h"

#include <Poco/JSON/Array.h>
#include <openssl/evp.h>

#include <algorithm>
#include <sstream>

#include "assay/lti/Clock.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"
#include "assay/lti/Random.h"

namespace assay::lti {
namespace {

std::int64_t nowMillis() {
    return systemNowMillis();
}

std::string idsJson(const std::vector<std::string>& ids) {
    Poco::JSON::Array a;
    for (const auto& id : ids)
        a.add(id);
    std::ostringstream out;
    a.stringify(out);
    return out.str();
}

std::vector<std::string> idsFrom(const std::string& text) {
    try {
        auto doc = json::parseObject("{\"ids\":" + text + "}", ErrorCode::InvalidArgument);
        return json::getStringArray(*doc, "ids").value_or(std::vector<std::string>{});
    } catch (const LtiError&) {
        return {};
    }
}

constexpr const char* kColumns =
    "id, name, issuer, client_id, auth_login_url, token_url, jwks_url, deployment_ids, created_at";

StoredPlatform fromRow(const db::Row& r) {
    StoredPlatform p;
    p.id = r.integer(0);
    p.name = r.text(1);
    p.registration.issuer = r.text(2);
    p.registration.clientId = r.text(3);
    p.registration.authLoginUrl = r.text(4);
    p.registration.tokenUrl = r.text(5);
    p.registration.jwksUrl = r.text(6);
    p.registration.deploymentIds = idsFrom(r.text(7));
    p.createdAt = r.integer(8);
    return p;
}

}  // namespace

std::string sha256Hex(const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

StoredPlatform PlatformStore::save(const PlatformRegistration& r, const std::string& name) {
    if (r.issuer.empty() || r.clientId.empty() || r.authLoginUrl.empty() || r.tokenUrl.empty() ||
        r.jwksUrl.empty())
        throw LtiError(
            ErrorCode::InvalidArgument,
            "a platform needs issuer, client_id, auth_login_url, token_url and jwks_url");
    for (const auto& d : r.deploymentIds)
        if (d.empty() || d.size() > 255)
            throw LtiError(ErrorCode::InvalidArgument,
                           "deployment ids must have 1 to 255 characters");
    db_.transaction([&](db::Connection& c) {
        auto rows = c.query(
            "SELECT deployment_ids, name FROM lti_platforms WHERE issuer = ? AND client_id = ?",
            {r.issuer, r.clientId});
        if (rows.empty()) {
            c.insert(
                "INSERT INTO lti_platforms (name, issuer, client_id, auth_login_url, token_url, "
                "jwks_url, "
                "deployment_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {name, r.issuer, r.clientId, r.authLoginUrl, r.tokenUrl, r.jwksUrl,
                 idsJson(r.deploymentIds), nowMillis()});
            return;
        }
        auto ids = idsFrom(rows[0].text(0));
        for (const auto& d : r.deploymentIds)
            if (std::find(ids.begin(), ids.end(), d) == ids.end()) ids.push_back(d);
        c.execute(
            "UPDATE lti_platforms SET name = ?, auth_login_url = ?, token_url = ?, jwks_url = ?, "
            "deployment_ids = ? "
            "WHERE issuer = ? AND client_id = ?",
            {name.empty() ? rows[0].text(1) : name, r.authLoginUrl, r.tokenUrl, r.jwksUrl,
             idsJson(ids), r.issuer, r.clientId});
    });
    auto rows = db_.acquire()->query(std::string("SELECT ") + kColumns +
                                         " FROM lti_platforms WHERE issuer = ? AND client_id = ?",
                                     {r.issuer, r.clientId});
    return fromRow(rows.at(0));
}

std::vector<StoredPlatform> PlatformStore::list() const {
    std::vector<StoredPlatform> out;
    for (const auto& r : db_.acquire()->query(std::string("SELECT ") + kColumns +
                                              " FROM lti_platforms ORDER BY id"))
        out.push_back(fromRow(r));
    return out;
}

std::optional<StoredPlatform> PlatformStore::get(std::int64_t id) const {
    auto rows = db_.acquire()->query(
        std::string("SELECT ") + kColumns + " FROM lti_platforms WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return fromRow(rows[0]);
}

bool PlatformStore::remove(std::int64_t id) {
    return db_.acquire()->execute("DELETE FROM lti_platforms WHERE id = ?", {id}) > 0;
}

std::optional<PlatformRegistration> PlatformStore::find(const std::string& issuer,
                                                        const std::string& clientId) const {
    auto rows = db_.acquire()->query(std::string("SELECT ") + kColumns +
                                         " FROM lti_platforms WHERE issuer = ? AND client_id = ?",
                                     {issuer, clientId});
    if (rows.empty()) return std::nullopt;
    return fromRow(rows[0]).registration;
}

std::vector<PlatformRegistration> PlatformStore::findByIssuer(const std::string& issuer) const {
    std::vector<PlatformRegistration> out;
    for (const auto& r : db_.acquire()->query(
             std::string("SELECT ") + kColumns + " FROM lti_platforms WHERE issuer = ? ORDER BY id",
             {issuer}))
        out.push_back(fromRow(r).registration);
    return out;
}

std::string PlatformStore::createRegistrationToken(std::optional<std::int64_t> createdBy,
                                                   std::int64_t ttlSeconds) {
    std::string token = randomToken(32);
    const auto now = nowMillis();
    db_.acquire()->execute(
        "INSERT INTO lti_registration_tokens (token_hash, created_by, created_at, expires_at) "
        "VALUES (?, ?, ?, ?)",
        {sha256Hex(token), createdBy ? db::Value(*createdBy) : db::Value(db::Null{}), now,
         now + ttlSeconds * 1000});
    return token;
}

bool PlatformStore::registrationTokenValid(const std::string& token) const {
    auto rows = db_.acquire()->query(
        "SELECT 1 FROM lti_registration_tokens WHERE token_hash = ? AND used_at IS NULL AND "
        "expires_at > ?",
        {sha256Hex(token), nowMillis()});
    return !rows.empty();
}

bool PlatformStore::useRegistrationToken(const std::string& token) {
    const auto now = nowMillis();
    return db_.acquire()->execute(
               "UPDATE lti_registration_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS "
               "NULL AND "
               "expires_at > ?",
               {now, sha256Hex(token), now}) == 1;
}

}  // namespace assay::lti
