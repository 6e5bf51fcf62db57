#pragma once
// Complete validation of an LTI 1.3 id_token (resource link and deep-linking requests).
//
// Checks, in order: size and shape; alg RS256 only; iss; aud (a string, or an array whose
// azp equals the client id when it has several entries; azp, when present, must be the
// client id); the (issuer, client id) registration; the signature against the platform's
// JWKS (refetched on an unknown kid, rate-limited); exp/iat/nbf with a small skew; nonce
// present; deployment id present and registered; message_type; version 1.3.0; sub; roles;
// target_link_uri; resource_link.id; deep_linking_settings. Only when all pass is the nonce
// consumed, so a refused token changes nothing. Every refusal is an LtiError with a stable
// code (see Error.h).
#include <cstdint>
#include <string>

#include "assay/lti/Clock.h"
#include "assay/lti/JwksCache.h"
#include "assay/lti/Jwt.h"
#include "assay/lti/LtiLaunch.h"
#include "assay/lti/NonceStore.h"
#include "assay/lti/Registration.h"

namespace assay::lti {

struct LaunchValidatorOptions {
    std::int64_t clockSkewSeconds = 60;
    JwtLimits limits;
    Clock clock = systemNow;
};

// What the login step remembered (in its state) about the launch it started; empty fields
// are not checked.
struct LaunchExpectations {
    std::string issuer;
    std::string clientId;
    std::string nonce;
    std::string targetLinkUri;
};

class LaunchValidator {
  public:
    // The lookup, cache and nonce store must outlive the validator.
    LaunchValidator(const RegistrationLookup& registrations, JwksCache& jwks, NonceStore& nonces,
                    LaunchValidatorOptions options = {});

    LtiLaunch validate(const std::string& idToken, const LaunchExpectations& expected = {}) const;

  private:
    const RegistrationLookup& registrations_;
    JwksCache& jwks_;
    NonceStore& nonces_;
    LaunchValidatorOptions options_;
};

}  // namespace assay::lti
