#pragma once
// OAuth2 client credentials with a JWT client assertion (RFC 7523), as LTI Advantage
// services (AGS, NRPS) require for their access tokens.
#include <cstdint>
#include <string>
#include <vector>

#include "assay/lti/Clock.h"
#include "assay/lti/SigningKey.h"

namespace assay::lti {

// Signed assertion: iss = sub = client id, aud = tokenUrl exactly as registered (no
// normalisation: Canvas refuses an added or removed trailing slash), iat, exp = iat +
// lifetime, a unique jti.
std::string buildClientAssertion(const SigningKey& key, const std::string& clientId,
                                 const std::string& tokenUrl, std::int64_t now = systemNow(),
                                 std::int64_t lifetimeSeconds = 300);

// application/x-www-form-urlencoded body for the token endpoint.
std::string clientCredentialsRequestBody(const std::string& assertion,
                                         const std::vector<std::string>& scopes);

struct AccessToken {
    std::string token;
    std::string tokenType;
    std::int64_t expiresAt = 0;  // Unix seconds
    std::string scope;
};

// Reads the token endpoint's JSON answer; throws LtiError(invalid_argument) when it has no
// access_token.
AccessToken parseAccessTokenResponse(const std::string& body, std::int64_t now = systemNow());

}  // namespace assay::lti
