#include "assay/xapi/LrsClients.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "StatementStore.h"
#include "assay/core/auth/crypto.h"
#include "assay/core/error.h"

namespace assay::xapi {
namespace {

std::string joinScopes(const std::vector<std::string>& s) {
    std::string out;
    for (const auto& x : s)
        out += (out.empty() ? "" : " ") + x;
    return out;
}

std::vector<std::string> splitScopes(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

Credential credentialFrom(const db::Row& r) {
    return Credential{r.integer(0), r.text(1), r.text(2), splitScopes(r.text(3)), r.integer(4)};
}

// AES-256-GCM: base64url(nonce | ciphertext | tag).
std::string seal(const std::string& key, const std::string& plain) {
    const std::string nonce = crypto::randomBytes(12);
    std::string out(plain.size(), '\0');
    unsigned char tag[16];
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                                 reinterpret_cast<const unsigned char*>(key.data()),
                                 reinterpret_cast<const unsigned char*>(nonce.data())) == 1 &&
              EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                                reinterpret_cast<const unsigned char*>(plain.data()),
                                static_cast<int>(plain.size())) == 1 &&
              EVP_EncryptFinal_ex(ctx, nullptr, &len) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) throw std::runtime_error("could not seal a forwarding secret");
    return crypto::base64url(nonce + out + std::string(reinterpret_cast<char*>(tag), 16));
}

std::string base64urlDecode(const std::string& in) {
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    int val = 0, bits = -8;
    for (char ch : in) {
        auto p = alphabet.find(ch);
        if (p == std::string::npos) throw std::runtime_error("bad sealed secret");
        val = (val << 6) + static_cast<int>(p);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((val >> bits) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

std::string unseal(const std::string& key, const std::string& sealed) {
    const std::string raw = base64urlDecode(sealed);
    if (raw.size() < 28) throw std::runtime_error("bad sealed secret");
    const std::string nonce = raw.substr(0, 12), tag = raw.substr(raw.size() - 16),
                      cipher = raw.substr(12, raw.size() - 28);
    std::string out(cipher.size(), '\0');
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    bool ok =
        EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                           reinterpret_cast<const unsigned char*>(key.data()),
                           reinterpret_cast<const unsigned char*>(nonce.data())) == 1 &&
        EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                          reinterpret_cast<const unsigned char*>(cipher.data()),
                          static_cast<int>(cipher.size())) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, const_cast<char*>(tag.data())) == 1 &&
        EVP_DecryptFinal_ex(ctx, nullptr, &len) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) throw std::runtime_error("a forwarding secret does not unseal with the key file");
    return out;
}

}  // namespace

bool Credential::allows(const std::string& scope) const {
    // "X/read" is granted by X itself; every read by all/read; statements/read/mine by
    // statements/read too; everything by all.
    const bool read = scope.size() > 5 && scope.compare(scope.size() - 5, 5, "/read") == 0;
    const std::string base = read ? scope.substr(0, scope.size() - 5) : scope;
    const bool mine = scope == "statements/read/mine";
    for (const auto& s : scopes) {
        if (s == "all" || s == scope) return true;
        if (read && (s == "all/read" || s == base)) return true;
        if (mine && (s == "all/read" || s == "statements/read")) return true;
    }
    return false;
}

const std::vector<std::string>& knownScopes() {
    static const std::vector<std::string> known = {
        "all",   "all/read", "statements/write", "statements/read", "statements/read/mine",
        "state", "define",   "profile"};
    return known;
}

std::string loadOrCreateKey(const std::string& path) {
    namespace fs = std::filesystem;
    if (!fs::exists(path)) {
        fs::create_directories(fs::path(path).parent_path());
        const std::string key = crypto::randomBytes(32);
        std::ofstream out(path, std::ios::binary);
        out.write(key.data(), 32);
        out.close();
        ::chmod(path.c_str(), 0600);
    }
    std::ifstream in(path, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() != 32) throw std::runtime_error("key file " + path + " is damaged");
    return key;
}

IssuedCredential Credentials::add(const std::string& name, const std::vector<std::string>& scopes) {
    const auto& known = knownScopes();
    for (const auto& s : scopes)
        if (std::find(known.begin(), known.end(), s) == known.end())
            throw ApiError::badRequest("xapi.unknown_scope", "unknown scope " + s);
    if (name.empty() || name.size() > 190)
        throw ApiError::badRequest("xapi.bad_name", "a name of 1 to 190 characters");
    // Names identify credentials for people (`assay lrs credentials remove NAME`): one each.
    if (!db_.acquire()->query("SELECT id FROM xapi_credentials WHERE name = ?", {name}).empty())
        throw ApiError::conflict("xapi.duplicate_name", "a credential named " + name + " exists");
    IssuedCredential out;
    out.credential.name = name;
    out.credential.key = crypto::randomToken(15);
    out.credential.scopes = scopes.empty() ? std::vector<std::string>{"all"} : scopes;
    out.credential.createdMs = nowMillis();
    out.secret = crypto::randomToken(32);
    out.credential.id = db_.acquire()->insert(
        "INSERT INTO xapi_credentials (name, client_key, secret_hash, scopes, created_ms) VALUES "
        "(?, ?, ?, ?, ?)",
        {name, out.credential.key, crypto::sha256Hex(out.secret), joinScopes(out.credential.scopes),
         out.credential.createdMs});
    return out;
}

std::vector<Credential> Credentials::list() {
    std::vector<Credential> out;
    for (const auto& r : db_.acquire()->query(
             "SELECT id, name, client_key, scopes, created_ms FROM xapi_credentials ORDER BY id"))
        out.push_back(credentialFrom(r));
    return out;
}

bool Credentials::remove(int64_t id) {
    return db_.acquire()->execute("DELETE FROM xapi_credentials WHERE id = ?", {id}) > 0;
}

bool Credentials::removeByName(const std::string& nameOrKey) {
    return db_.acquire()->execute("DELETE FROM xapi_credentials WHERE name = ? OR client_key = ?",
                                  {nameOrKey, nameOrKey}) > 0;
}

std::optional<Credential> Credentials::verify(const std::string& key, const std::string& secret) {
    auto rows = db_.acquire()->query(
        "SELECT id, name, client_key, scopes, created_ms, secret_hash FROM xapi_credentials WHERE "
        "client_key = ?",
        {key});
    if (rows.empty()) return std::nullopt;
    if (!crypto::constantTimeEquals(crypto::sha256Hex(secret), rows[0].text(5)))
        return std::nullopt;
    return credentialFrom(rows[0]);
}

bool Target::wants(const std::string& verbId) const {
    return verbs.empty() || std::find(verbs.begin(), verbs.end(), verbId) != verbs.end();
}

std::string Targets::sealKey() {
    return loadOrCreateKey(keyFile_);
}

namespace {

void normaliseTarget(Target& t) {
    if (t.endpoint.rfind("http://", 0) != 0 && t.endpoint.rfind("https://", 0) != 0)
        throw ApiError::badRequest("xapi.bad_endpoint", "endpoint must be an http(s) URL");
    if (t.endpoint.back() != '/') t.endpoint += '/';
}

std::string verbsJson(const std::vector<std::string>& verbs) {
    Poco::JSON::Array arr;
    for (const auto& v : verbs)
        arr.add(v);
    std::ostringstream vs;
    arr.stringify(vs);
    return vs.str();
}

}  // namespace

Target Targets::add(Target t) {
    normaliseTarget(t);
    t.createdMs = nowMillis();
    t.origin = "api";
    t.id = db_.acquire()->insert(
        "INSERT INTO xapi_targets (name, endpoint, username, secret_sealed, verbs, created_ms, "
        "origin) VALUES (?, ?, ?, ?, ?, ?, 'api')",
        {t.name, t.endpoint, t.username, seal(sealKey(), t.password), verbsJson(t.verbs),
         t.createdMs});
    return t;
}

std::vector<Target> Targets::list() {
    std::vector<Target> out;
    auto rows = db_.acquire()->query(
        "SELECT id, name, endpoint, username, secret_sealed, verbs, created_ms, origin FROM "
        "xapi_targets ORDER BY id");
    if (rows.empty()) return out;
    const std::string key = sealKey();
    for (const auto& r : rows) {
        Target t{r.integer(0),           r.text(1), r.text(2),    r.text(3),
                 unseal(key, r.text(4)), {},        r.integer(6), r.text(7)};
        Poco::JSON::Parser p;
        auto arr = p.parse(r.text(5)).extract<Poco::JSON::Array::Ptr>();
        for (size_t i = 0; i < arr->size(); ++i)
            t.verbs.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
        out.push_back(std::move(t));
    }
    return out;
}

void Targets::syncConfigured(std::vector<Target> configured) {
    for (auto& t : configured)
        normaliseTarget(t);
    const std::string key = sealKey();
    db_.transaction([&](db::Connection& c) {
        std::map<std::string, int64_t> existing;
        for (const auto& r :
             c.query("SELECT id, name FROM xapi_targets WHERE origin = 'config' ORDER BY id"))
            existing[r.text(1)] = r.integer(0);
        for (const auto& t : configured) {
            auto it = existing.find(t.name);
            if (it == existing.end()) {
                c.execute(
                    "INSERT INTO xapi_targets (name, endpoint, username, secret_sealed, verbs, "
                    "created_ms, origin) VALUES (?, ?, ?, ?, ?, ?, 'config')",
                    {t.name, t.endpoint, t.username, seal(key, t.password), verbsJson(t.verbs),
                     nowMillis()});
                continue;
            }
            c.execute(
                "UPDATE xapi_targets SET endpoint = ?, username = ?, secret_sealed = ?, verbs = ? "
                "WHERE id = ?",
                {t.endpoint, t.username, seal(key, t.password), verbsJson(t.verbs), it->second});
            existing.erase(it);
        }
        for (const auto& [name, id] : existing) {
            c.execute("DELETE FROM xapi_forward_queue WHERE target_id = ?", {id});
            c.execute("DELETE FROM xapi_targets WHERE id = ?", {id});
        }
    });
}

bool Targets::remove(int64_t id) {
    return db_.transaction([&](db::Connection& c) {
        auto rows = c.query("SELECT origin FROM xapi_targets WHERE id = ?", {id});
        if (!rows.empty() && rows[0].text(0) == "config")
            throw ApiError(409, "xapi.target_in_config",
                           "this target is defined in the configuration file; remove it there");
        c.execute("DELETE FROM xapi_forward_queue WHERE target_id = ?", {id});
        return c.execute("DELETE FROM xapi_targets WHERE id = ?", {id}) > 0;
    });
}

}  // namespace assay::xapi
