#pragma once
// What Assay knows about a registered platform, and how the validator looks it up.
// Registrations are keyed by (issuer, client_id): every hosted Canvas shares one issuer.
#include <optional>
#include <string>
#include <vector>

namespace assay::lti {

struct PlatformRegistration {
    std::string issuer;        // e.g. https://canvas.instructure.com or a Moodle site URL
    std::string clientId;      // the client id the platform gave the tool
    std::string authLoginUrl;  // OIDC authorization endpoint
    std::string tokenUrl;      // OAuth2 token endpoint (exactly as given)
    std::string jwksUrl;       // the platform's public keys
    std::vector<std::string> deploymentIds;

    bool hasDeployment(const std::string& deploymentId) const;
};

class RegistrationLookup {
  public:
    virtual ~RegistrationLookup() = default;
    virtual std::optional<PlatformRegistration> find(const std::string& issuer,
                                                     const std::string& clientId) const = 0;
    // All registrations of an issuer (login initiation may arrive without client_id).
    virtual std::vector<PlatformRegistration> findByIssuer(const std::string& issuer) const = 0;
};

}  // namespace assay::lti
