// LRS client credentials (key + SHA-256 of a high-entropy secret) and forwarding targets
// (external LRS endpoints whose Basic-auth secret is sealed with AES-256-GCM under a key
// file kept in the data directory, so it never appears in the database in clear).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "assay/core/store/db.h"

namespace assay::xapi {

struct Credential {
    int64_t id = 0;
    std::string name;
    std::string key;
    // OAuth-style scopes of xAPI 1.0.3 §4.2: "all", "all/read", "statements/write",
    // "statements/read", "statements/read/mine", "state", "define", "profile".
    std::vector<std::string> scopes;
    int64_t createdMs = 0;
    bool allows(const std::string& scope) const;
};

// The scopes a credential may be given.
const std::vector<std::string>& knownScopes();

struct IssuedCredential {
    Credential credential;
    std::string secret;  // shown once
};

class Credentials {
  public:
    explicit Credentials(db::Database& db) : db_(db) {}
    IssuedCredential add(const std::string& name, const std::vector<std::string>& scopes = {"all"});
    std::vector<Credential> list();
    bool remove(int64_t id);
    bool removeByName(const std::string& nameOrKey);
    // The credential whose key and secret match (constant-time on the hash), or nullopt.
    std::optional<Credential> verify(const std::string& key, const std::string& secret);

  private:
    db::Database& db_;
};

struct Target {
    int64_t id = 0;
    std::string name;
    std::string endpoint;  // base URL of the external LRS, e.g. https://lrs.example.edu/xapi/
    std::string username;
    std::string password;            // clear only in memory
    std::vector<std::string> verbs;  // forward only these verb IRIs; empty: every statement
    int64_t createdMs = 0;
    std::string origin = "api";  // "api" (admin API) or "config" (a [xapi.target.NAME] section)
    bool wants(const std::string& verbId) const;
};

// A 32-byte secret in a file (mode 0600), created on first use.
std::string loadOrCreateKey(const std::string& path);

class Targets {
  public:
    Targets(db::Database& db, std::string keyFile) : db_(db), keyFile_(std::move(keyFile)) {}
    Target add(Target t);
    std::vector<Target> list();  // with passwords unsealed
    // Removes a target of the admin API; a target of the configuration file is refused (409).
    bool remove(int64_t id);
    // Makes the "config" targets exactly `configured` (by name): new ones are added, changed
    // ones updated in place (their queue kept), the ones no longer configured removed.
    void syncConfigured(std::vector<Target> configured);

  private:
    std::string sealKey();
    db::Database& db_;
    std::string keyFile_;
    std::mutex keyMutex_;
    std::string key_;  // loaded once
};

}  // namespace assay::xapi
