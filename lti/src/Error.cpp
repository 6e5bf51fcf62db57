#include "assay/lti/Error.h"

namespace assay::lti {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::JwtMalformed:
            return "jwt_malformed";
        case ErrorCode::JwtTooLarge:
            return "jwt_too_large";
        case ErrorCode::JwtAlgNotAllowed:
            return "jwt_alg_not_allowed";
        case ErrorCode::JwtBadSignature:
            return "jwt_bad_signature";
        case ErrorCode::JwtUnknownKid:
            return "jwt_unknown_kid";
        case ErrorCode::JwtExpired:
            return "jwt_expired";
        case ErrorCode::JwtNotYetValid:
            return "jwt_not_yet_valid";
        case ErrorCode::JwtWrongIssuer:
            return "jwt_wrong_issuer";
        case ErrorCode::JwtWrongAudience:
            return "jwt_wrong_audience";
        case ErrorCode::JwtAzpMismatch:
            return "jwt_azp_mismatch";
        case ErrorCode::JwkInvalid:
            return "jwk_invalid";
        case ErrorCode::JwksInvalid:
            return "jwks_invalid";
        case ErrorCode::JwksFetchFailed:
            return "jwks_fetch_failed";
        case ErrorCode::UnknownPlatform:
            return "lti_unknown_platform";
        case ErrorCode::UnknownDeployment:
            return "lti_unknown_deployment";
        case ErrorCode::MissingDeployment:
            return "lti_missing_deployment";
        case ErrorCode::NonceMissing:
            return "lti_nonce_missing";
        case ErrorCode::NonceReplayed:
            return "lti_nonce_replayed";
        case ErrorCode::WrongVersion:
            return "lti_wrong_version";
        case ErrorCode::WrongMessageType:
            return "lti_wrong_message_type";
        case ErrorCode::MissingClaim:
            return "lti_missing_claim";
        case ErrorCode::InvalidClaim:
            return "lti_invalid_claim";
        case ErrorCode::TargetLinkMismatch:
            return "lti_target_link_mismatch";
        case ErrorCode::LoginInvalid:
            return "lti_login_invalid";
        case ErrorCode::KeysIo:
            return "tool_keys_io";
        case ErrorCode::KeysPermissions:
            return "tool_keys_permissions";
        case ErrorCode::KeysSecret:
            return "tool_keys_secret";
        case ErrorCode::KeyInvalid:
            return "key_invalid";
        case ErrorCode::CryptoFailure:
            return "crypto_failure";
        case ErrorCode::DeepLinkNotAllowed:
            return "deep_link_not_allowed";
        case ErrorCode::AgsInvalidUrl:
            return "ags_invalid_url";
        case ErrorCode::HttpFailed:
            return "http_failed";
        case ErrorCode::ServiceTokenFailed:
            return "service_token_failed";
        case ErrorCode::RegistrationInvalid:
            return "lti_registration_invalid";
        case ErrorCode::InvalidArgument:
            return "invalid_argument";
    }
    return "unknown";
}

}  // namespace assay::lti
