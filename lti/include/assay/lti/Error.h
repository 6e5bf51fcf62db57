#pragma once
// The one error type of the LTI library: a stable machine code plus a human message.
// Endpoints map it to an HTTP status and show the code with a reference id.
#include <stdexcept>
#include <string>

namespace assay::lti {

enum class ErrorCode {
    JwtMalformed,         // not a compact JWS of three base64url JSON segments
    JwtTooLarge,          // token longer than the configured limit
    JwtAlgNotAllowed,     // header alg is not RS256 (none, HS*, ES*, ...)
    JwtBadSignature,      // RS256 signature does not verify
    JwtUnknownKid,        // no key of the platform's JWKS carries the header kid
    JwtExpired,           // exp is in the past (beyond the allowed skew)
    JwtNotYetValid,       // iat/nbf in the future (beyond the allowed skew)
    JwtWrongIssuer,       // iss differs from the registration
    JwtWrongAudience,     // aud does not contain the client id
    JwtAzpMismatch,       // aud is an array and azp is missing or not the client id
    JwkInvalid,           // a JWK that is not a usable RSA public key
    JwksInvalid,          // a JWKS document that is not {"keys":[...]}
    JwksFetchFailed,      // the platform's JWKS URL could not be fetched
    UnknownPlatform,      // no registration for (issuer, client id)
    UnknownDeployment,    // deployment id not registered for the platform
    MissingDeployment,    // the deployment_id claim is absent
    NonceMissing,         // the nonce claim is absent or empty
    NonceReplayed,        // nonce unknown, expired or already used
    WrongVersion,         // version claim is not 1.3.0
    WrongMessageType,     // message_type not supported
    MissingClaim,         // a required claim is absent
    InvalidClaim,         // a claim has the wrong shape
    TargetLinkMismatch,   // target_link_uri not the one asked for at login
    LoginInvalid,         // OIDC login initiation parameters missing or malformed
    KeysIo,               // tool key directory could not be read or written
    KeysPermissions,      // tool key files are readable by others
    KeysSecret,           // key-encryption secret missing or wrong
    KeyInvalid,           // a PEM or key that could not be used
    CryptoFailure,        // OpenSSL refused an operation
    DeepLinkNotAllowed,   // item type or count not accepted by the platform
    AgsInvalidUrl,        // a line-item URL that is not an absolute http(s) URL
    HttpFailed,           // an outbound request failed in transport (connect, TLS, timeout, size)
    ServiceTokenFailed,   // the platform's token endpoint refused or answered nonsense
    RegistrationInvalid,  // dynamic registration: bad platform configuration or response
    InvalidArgument,      // a caller passed a value the function cannot use
};

// Stable snake_case name of a code, e.g. "jwt_bad_signature".
const char* errorCodeName(ErrorCode code);

class LtiError : public std::runtime_error {
  public:
    LtiError(ErrorCode code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    ErrorCode code() const { return code_; }
    const char* codeName() const { return errorCodeName(code_); }

  private:
    ErrorCode code_;
};

}  // namespace assay::lti
