#pragma once
// Compact JWS (RFC 7515) parsing, RS256 verification and signing. Only RS256 is accepted:
// "none", HS*, ES*, PS* and anything else are refused with jwt_alg_not_allowed.
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "assay/lti/RsaKey.h"

namespace assay::lti {

struct JwtLimits {
    std::size_t maxTokenBytes = 64 * 1024;  // LTI id_tokens with many claims stay far below
};

// A decoded, not yet verified token.
struct Jws {
    Poco::JSON::Object::Ptr header;
    Poco::JSON::Object::Ptr payload;
    std::string signingInput;  // "<header>.<payload>" exactly as received
    std::string signature;     // raw signature bytes
    std::string alg;           // header alg
    std::string kid;           // header kid, empty when absent
};

// Splits and decodes a compact JWS: exactly three segments, header and payload base64url
// JSON objects, header with a string alg and no crit. Throws LtiError (jwt_too_large,
// jwt_malformed). The alg is not judged here.
Jws parseCompactJws(std::string_view token, const JwtLimits& limits = {});

// Throws jwt_alg_not_allowed unless the header alg is RS256.
void requireRs256(const Jws& jws);

// requireRs256, then the signature against key; throws jwt_bad_signature on mismatch.
void verifyRs256(const Jws& jws, const RsaKey& key);

// Signs payload with RS256; header {"alg":"RS256","typ":typ,"kid":kid} (kid omitted if empty).
std::string signRs256(const Poco::JSON::Object& payload, const RsaKey& key, const std::string& kid,
                      const std::string& typ = "JWT");

}  // namespace assay::lti
