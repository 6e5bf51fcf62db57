#include "assay/lti/Jwt.h"

#include "assay/lti/Base64Url.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"

namespace assay::lti {
namespace {

std::string decodeSegment(std::string_view seg, const char* what) {
    auto bytes = base64UrlDecode(seg);
    if (!bytes) throw LtiError(ErrorCode::JwtMalformed, std::string(what) + " is not base64url");
    return std::move(*bytes);
}

}  // namespace

Jws parseCompactJws(std::string_view token, const JwtLimits& limits) {
    if (token.size() > limits.maxTokenBytes)
        throw LtiError(ErrorCode::JwtTooLarge,
                       "token of " + std::to_string(token.size()) + " bytes exceeds the limit");
    const auto first = token.find('.');
    const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
        throw LtiError(ErrorCode::JwtMalformed, "token does not have exactly three segments");
    const auto headerSeg = token.substr(0, first);
    const auto payloadSeg = token.substr(first + 1, second - first - 1);
    const auto sigSeg = token.substr(second + 1);
    if (headerSeg.empty() || payloadSeg.empty())
        throw LtiError(ErrorCode::JwtMalformed, "empty header or payload segment");

    Jws jws;
    jws.header = json::parseObject(decodeSegment(headerSeg, "header"), ErrorCode::JwtMalformed);
    jws.payload = json::parseObject(decodeSegment(payloadSeg, "payload"), ErrorCode::JwtMalformed);
    jws.signature = decodeSegment(sigSeg, "signature");
    jws.signingInput = std::string(token.substr(0, second));

    const auto alg = json::getString(*jws.header, "alg");
    if (!alg || alg->empty()) throw LtiError(ErrorCode::JwtMalformed, "header has no alg");
    jws.alg = *alg;
    if (jws.header->has("kid")) {
        const auto kid = json::getString(*jws.header, "kid");
        if (!kid) throw LtiError(ErrorCode::JwtMalformed, "header kid is not a string");
        jws.kid = *kid;
    }
    // No JWS extension is understood, so a critical one must be refused (RFC 7515 4.1.11).
    if (jws.header->has("crit"))
        throw LtiError(ErrorCode::JwtMalformed, "header carries unsupported crit parameters");
    return jws;
}

void requireRs256(const Jws& jws) {
    if (jws.alg != "RS256")
        throw LtiError(ErrorCode::JwtAlgNotAllowed,
                       "algorithm '" + jws.alg.substr(0, 32) + "' is not allowed; only RS256");
}

void verifyRs256(const Jws& jws, const RsaKey& key) {
    requireRs256(jws);
    // An RS256 signature is exactly as long as the modulus.
    if (jws.signature.size() != static_cast<std::size_t>((key.bits() + 7) / 8) ||
        !key.verifySha256(jws.signingInput, jws.signature))
        throw LtiError(ErrorCode::JwtBadSignature, "signature does not verify");
}

std::string signRs256(const Poco::JSON::Object& payload, const RsaKey& key, const std::string& kid,
                      const std::string& typ) {
    Poco::JSON::Object header;
    header.set("alg", "RS256");
    if (!typ.empty()) header.set("typ", typ);
    if (!kid.empty()) header.set("kid", kid);
    const std::string input =
        base64UrlEncode(json::stringify(header)) + "." + base64UrlEncode(json::stringify(payload));
    return input + "." + base64UrlEncode(key.signSha256(input));
}

}  // namespace assay::lti
