#pragma once
// OIDC third-party login initiation (LTI 1.3 core, section 5.1.1): reading the platform's
// GET/POST parameters and building the authentication request the browser is sent to.
// HTTP-agnostic: the endpoint merges query and form parameters and passes them in.
#include <cstdint>
#include <map>
#include <string>

#include "assay/lti/LoginStateStore.h"
#include "assay/lti/NonceStore.h"
#include "assay/lti/Registration.h"

namespace assay::lti {

struct LoginRequest {
    std::string issuer;          // iss (required)
    std::string loginHint;       // login_hint (required, opaque)
    std::string targetLinkUri;   // target_link_uri (required)
    std::string ltiMessageHint;  // lti_message_hint (opaque: Moodle JSON, Canvas JWT, ...)
    std::string clientId;        // client_id (optional; needed when an issuer has several)
    std::string deploymentId;    // lti_deployment_id, or Canvas's deployment_id
    std::string storageTarget;   // lti_storage_target (platform storage frame name)
};

// Throws LtiError(lti_login_invalid) when a required parameter is missing, iss or
// target_link_uri is not an absolute http(s) URL, or a value exceeds 4096 bytes.
LoginRequest parseLoginRequest(const std::map<std::string, std::string>& params);

// The platform's authorization URL with scope=openid, response_type=id_token,
// response_mode=form_post, prompt=none, client_id, redirect_uri, login_hint, state, nonce and
// lti_message_hint (when given), appended to any query the URL already has.
std::string buildAuthRequestUrl(const PlatformRegistration& platform, const LoginRequest& login,
                                const std::string& redirectUri, const std::string& state,
                                const std::string& nonce);

struct LoginRedirect {
    std::string url;    // where to send the browser (the platform's authorization endpoint)
    std::string state;  // also to be bound to the browser (cookie or platform storage)
    std::string nonce;
    PlatformRegistration platform;
};

// The whole login step: finds the registration (by issuer and client_id; without client_id the
// issuer must have exactly one), checks a given deployment id is registered, creates a fresh
// state and a single-use nonce, records both (for ttlSeconds) and builds the redirect.
// Throws lti_unknown_platform, lti_unknown_deployment or lti_login_invalid (issuer with
// several registrations and no client_id).
LoginRedirect beginLogin(const LoginRequest& login, const RegistrationLookup& registrations,
                         NonceStore& nonces, LoginStateStore& states,
                         const std::string& redirectUri, std::int64_t now = systemNow(),
                         std::int64_t ttlSeconds = 600);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string urlEncode(const std::string& value);

}  // namespace assay::lti
