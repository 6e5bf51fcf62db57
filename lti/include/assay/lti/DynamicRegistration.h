#pragma once
// LTI Dynamic Registration 1.0, the parts that are not HTTP plumbing: reading the platform's
// OpenID configuration, building the tool's registration request, reading the platform's
// answer, and turning both into a PlatformRegistration.
//
// Flow (driven by the /lti/register endpoint): GET openid_configuration → parse →
// POST toolRegistrationRequest() to registration_endpoint with "Authorization: Bearer
// <registration_token>" → parseRegistrationResponse() → store registrationFrom(...) → close
// the window with postMessage {subject: "org.imsglobal.lti.close"}.
#include <string>
#include <vector>

#include "assay/lti/Registration.h"

namespace assay::lti {

struct PlatformConfiguration {
    std::string issuer;
    std::string authorizationEndpoint;
    std::string tokenEndpoint;
    std::string jwksUri;
    std::string registrationEndpoint;
    std::vector<std::string> scopesSupported;  // empty: not advertised
    std::string productFamilyCode;             // "moodle", "canvas", ...
    std::string version;
    std::vector<std::string> messagesSupported;  // message types
};

// Throws lti_registration_invalid when a required member (issuer, authorization_endpoint,
// token_endpoint, jwks_uri, registration_endpoint) is missing or not https (http only for
// loopback hosts), RS256 is not among id_token_signing_alg_values_supported (when given),
// private_key_jwt is not among token_endpoint_auth_methods_supported (when given), or -
// with requireIssuerHostMatch - the issuer's host differs from the configuration URL's host.
PlatformConfiguration parsePlatformConfiguration(const std::string& body,
                                                 const std::string& configurationUrl,
                                                 bool requireIssuerHostMatch = true);

struct ToolDescription {
    std::string publicUrl;  // Assay's base URL; endpoints are derived from it
    std::string clientName = "Assay";
    std::string description = "Python programming assignments, run and graded in a sandbox";
    std::string logoUri;
    std::string deepLinkingLabel = "Assay assignment";
};

// The registration request body (application/json): OpenID client metadata with
// initiate_login_uri {public}/lti/login, redirect_uris [{public}/lti/launch], jwks_uri
// {public}/lti/jwks, private_key_jwt, the AGS and NRPS scopes the platform supports, and the
// LTI tool configuration (domain, target_link_uri, claims, resource-link and deep-linking
// messages; Canvas placements and privacy level when the platform is Canvas).
std::string toolRegistrationRequest(const ToolDescription& tool,
                                    const PlatformConfiguration& platform);

struct RegistrationResult {
    std::string clientId;
    std::string deploymentId;  // may be empty (some platforms create it at install time)
};

// Throws lti_registration_invalid when the answer has no client_id.
RegistrationResult parseRegistrationResponse(const std::string& body);

PlatformRegistration registrationFrom(const PlatformConfiguration& platform,
                                      const RegistrationResult& result);

}  // namespace assay::lti
