#pragma once
// The platform registry and one-time registration tokens in the host's database (tables of
// the "lti" module). Registrations are keyed by (issuer, client_id).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "assay/core/store/db.h"
#include "assay/core/store/migrations.h"
#include "assay/lti/Registration.h"

namespace assay::lti {

// The lti module's schema, applied by the host after the core's (and by the CLI).
std::vector<db::Migration> schemaMigrations();
inline constexpr const char* kModuleName = "lti";

struct StoredPlatform {
    std::int64_t id = 0;
    std::string name;
    PlatformRegistration registration;
    std::int64_t createdAt = 0;  // Unix ms
};

class PlatformStore final : public RegistrationLookup {
  public:
    explicit PlatformStore(db::Database& db) : db_(db) {}

    // Inserts, or updates the URLs and adds the deployment ids of an existing (issuer,
    // client_id). Throws LtiError(invalid_argument) for a registration with empty fields.
    StoredPlatform save(const PlatformRegistration& r, const std::string& name = {});
    std::vector<StoredPlatform> list() const;
    std::optional<StoredPlatform> get(std::int64_t id) const;
    bool remove(std::int64_t id);

    std::optional<PlatformRegistration> find(const std::string& issuer,
                                             const std::string& clientId) const override;
    std::vector<PlatformRegistration> findByIssuer(const std::string& issuer) const override;

    // One-time registration tokens: the clear token is returned once; only its hash is kept.
    std::string createRegistrationToken(std::optional<std::int64_t> createdBy,
                                        std::int64_t ttlSeconds);
    // True when the token exists, is unused and unexpired.
    bool registrationTokenValid(const std::string& token) const;
    // Marks the token used; false when it was already used, expired or unknown.
    bool useRegistrationToken(const std::string& token);

  private:
    db::Database& db_;
};

// Shared with the module: SHA-256 hex of a secret stored in the database.
std::string sha256Hex(const std::string& data);

}  // namespace assay::lti
