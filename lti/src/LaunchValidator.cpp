#include "assay/lti/LaunchValidator.h"

#include <Poco/JSON/Array.h>

#include "LaunchClaims.h"
#include "assay/lti/Claims.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"

namespace assay::lti {
namespace {

using Poco::JSON::Object;

struct Audience {
    std::vector<std::string> values;
    bool isArray = false;
};

Audience readAudience(const Object& p) {
    Audience aud;
    if (!p.has("aud")) throw LtiError(ErrorCode::MissingClaim, "required claim missing: aud");
    if (auto one = json::getString(p, "aud")) {
        aud.values.push_back(*one);
    } else if (auto many = json::getStringArray(p, "aud")) {
        aud.isArray = true;
        aud.values = *many;
    }
    if (aud.values.empty())
        throw LtiError(ErrorCode::JwtWrongAudience,
                       "aud is neither a string nor an array of strings");
    return aud;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
        if (x == s) return true;
    return false;
}

// Decides which client id the token is for, and checks aud/azp against it.
std::string resolveClientId(const Object& p, const std::string& expected) {
    const auto aud = readAudience(p);
    const bool hasAzp = p.has("azp");
    const auto azp = json::getString(p, "azp");
    if (hasAzp && !azp) throw LtiError(ErrorCode::JwtAzpMismatch, "azp is not a string");

    std::string clientId = expected;
    if (clientId.empty()) {
        if (azp)
            clientId = *azp;
        else if (aud.values.size() == 1)
            clientId = aud.values.front();
        else
            throw LtiError(ErrorCode::JwtAzpMismatch, "aud has several entries and no azp");
    }
    if (!contains(aud.values, clientId))
        throw LtiError(ErrorCode::JwtWrongAudience, "aud does not name this tool's client id");
    if (aud.isArray && aud.values.size() > 1 && !azp)
        throw LtiError(ErrorCode::JwtAzpMismatch, "aud has several entries and no azp");
    if (azp && *azp != clientId)
        throw LtiError(ErrorCode::JwtAzpMismatch, "azp is not this tool's client id");
    return clientId;
}

void checkTimes(const Object& p, std::int64_t now, std::int64_t skew, LtiLaunch& launch) {
    const auto exp = json::getInteger(p, "exp");
    const auto iat = json::getInteger(p, "iat");
    if (!exp) throw LtiError(ErrorCode::MissingClaim, "required claim missing: exp");
    if (!iat) throw LtiError(ErrorCode::MissingClaim, "required claim missing: iat");
    if (now > *exp + skew) throw LtiError(ErrorCode::JwtExpired, "token has expired");
    if (*iat > now + skew) throw LtiError(ErrorCode::JwtNotYetValid, "token issued in the future");
    if (p.has("nbf")) {
        const auto nbf = json::getInteger(p, "nbf");
        if (!nbf) throw LtiError(ErrorCode::InvalidClaim, "nbf is not a number");
        if (*nbf > now + skew) throw LtiError(ErrorCode::JwtNotYetValid, "token not valid yet");
    }
    launch.issuedAt = *iat;
    launch.expiresAt = *exp;
}

}  // namespace

LaunchValidator::LaunchValidator(const RegistrationLookup& registrations, JwksCache& jwks,
                                 NonceStore& nonces, LaunchValidatorOptions options)
    : registrations_(registrations), jwks_(jwks), nonces_(nonces), options_(std::move(options)) {
    if (!options_.clock) options_.clock = systemNow;
}

LtiLaunch LaunchValidator::validate(const std::string& idToken,
                                    const LaunchExpectations& expected) const {
    const Jws jws = parseCompactJws(idToken, options_.limits);
    requireRs256(jws);
    const Object& p = *jws.payload;

    LtiLaunch launch;
    const auto iss = json::getString(p, "iss");
    if (!iss || iss->empty())
        throw LtiError(ErrorCode::MissingClaim, "required claim missing: iss");
    if (!expected.issuer.empty() && *iss != expected.issuer)
        throw LtiError(ErrorCode::JwtWrongIssuer, "iss is not the platform the login came from");
    launch.issuer = *iss;
    launch.clientId = resolveClientId(p, expected.clientId);

    const auto reg = registrations_.find(launch.issuer, launch.clientId);
    if (!reg)
        throw LtiError(ErrorCode::UnknownPlatform,
                       "no platform registered for issuer " + launch.issuer.substr(0, 200) +
                           " and client id " + launch.clientId.substr(0, 100));
    verifyRs256(jws, jwks_.keyFor(reg->jwksUrl, jws.kid));

    const auto now = options_.clock();
    checkTimes(p, now, options_.clockSkewSeconds, launch);

    const auto nonce = json::getString(p, "nonce");
    if (!nonce || nonce->empty()) throw LtiError(ErrorCode::NonceMissing, "token carries no nonce");
    if (!expected.nonce.empty() && *nonce != expected.nonce)
        throw LtiError(ErrorCode::NonceReplayed, "nonce is not the one issued for this login");

    if (!p.has(claim::kDeploymentId))
        throw LtiError(ErrorCode::MissingDeployment, "deployment_id claim missing");
    const auto deployment = json::getString(p, claim::kDeploymentId);
    if (!deployment || deployment->empty())
        throw LtiError(ErrorCode::MissingDeployment, "deployment_id claim empty or not a string");
    if (!reg->hasDeployment(*deployment))
        throw LtiError(ErrorCode::UnknownDeployment,
                       "deployment " + deployment->substr(0, 100) + " is not registered");
    launch.deploymentId = *deployment;

    const auto type = json::getString(p, claim::kMessageType);
    if (!type) throw LtiError(ErrorCode::MissingClaim, "required claim missing: message_type");
    if (*type == claim::kResourceLinkRequest)
        launch.messageType = MessageType::ResourceLink;
    else if (*type == claim::kDeepLinkingRequest)
        launch.messageType = MessageType::DeepLinking;
    else
        throw LtiError(ErrorCode::WrongMessageType,
                       "message_type " + type->substr(0, 64) + " not supported");

    const auto version = json::getString(p, claim::kVersion);
    if (!version) throw LtiError(ErrorCode::MissingClaim, "required claim missing: version");
    if (*version != claim::kLtiVersion)
        throw LtiError(ErrorCode::WrongVersion,
                       "LTI version " + version->substr(0, 16) + " not 1.3.0");

    if (p.has(claim::kTargetLinkUri)) {
        const auto target = json::getString(p, claim::kTargetLinkUri);
        if (!target || target->empty()) throw LtiError(ErrorCode::InvalidClaim, "target_link_uri");
        launch.targetLinkUri = *target;
    } else if (launch.messageType == MessageType::ResourceLink) {
        throw LtiError(ErrorCode::MissingClaim, "required claim missing: target_link_uri");
    }
    if (!expected.targetLinkUri.empty() && !launch.targetLinkUri.empty() &&
        launch.targetLinkUri != expected.targetLinkUri)
        throw LtiError(ErrorCode::TargetLinkMismatch, "target_link_uri differs from the login's");

    readLaunchClaims(p, launch);

    // Last: a token refused for any reason above leaves its nonce untouched.
    if (!nonces_.consume(*nonce, now))
        throw LtiError(ErrorCode::NonceReplayed, "nonce unknown, expired or already used");
    return launch;
}

}  // namespace assay::lti
