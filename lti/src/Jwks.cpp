#include "assay/lti/Jwks.h"

#include <Poco/JSON/Array.h>

#include "assay/lti/Error.h"
#include "assay/lti/Json.h"

namespace assay::lti {

RsaKey rsaKeyFromJwk(const Poco::JSON::Object& jwk) {
    const auto kty = json::getString(jwk, "kty");
    if (!kty || *kty != "RSA") throw LtiError(ErrorCode::JwkInvalid, "JWK kty is not RSA");
    const auto n = json::getString(jwk, "n");
    const auto e = json::getString(jwk, "e");
    if (!n || !e) throw LtiError(ErrorCode::JwkInvalid, "JWK lacks n or e");
    return RsaKey::fromModulusExponent(*n, *e);
}

Poco::JSON::Object::Ptr publicJwk(const RsaKey& key, const std::string& kid) {
    Poco::JSON::Object::Ptr jwk = new Poco::JSON::Object;
    jwk->set("kty", "RSA");
    jwk->set("alg", "RS256");
    jwk->set("use", "sig");
    if (!kid.empty()) jwk->set("kid", kid);
    jwk->set("n", key.modulusB64u());
    jwk->set("e", key.exponentB64u());
    return jwk;
}

std::string jwksJson(const std::vector<std::pair<std::string, RsaKey>>& keys) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& [kid, key] : keys)
        arr->add(publicJwk(key, kid));
    Poco::JSON::Object doc;
    doc.set("keys", arr);
    return json::stringify(doc);
}

Jwks Jwks::parse(const std::string& text) {
    const auto doc = json::parseObject(text, ErrorCode::JwksInvalid);
    const auto arr = json::getArray(*doc, "keys");
    if (arr.isNull()) throw LtiError(ErrorCode::JwksInvalid, "JWKS has no keys array");
    if (arr->size() > kMaxKeys)
        throw LtiError(ErrorCode::JwksInvalid,
                       "JWKS has more than " + std::to_string(kMaxKeys) + " keys");
    Jwks out;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto item = arr->getObject(static_cast<unsigned>(i));
        if (item.isNull()) throw LtiError(ErrorCode::JwksInvalid, "JWKS entry is not an object");
        const auto use = json::getString(*item, "use");
        const auto alg = json::getString(*item, "alg");
        const bool useOk = !item->has("use") || (use && *use == "sig");
        const bool algOk = !item->has("alg") || (alg && *alg == "RS256");
        const bool kidOk = !item->has("kid") || json::getString(*item, "kid").has_value();
        if (!useOk || !algOk || !kidOk) {
            ++out.skipped_;
            continue;
        }
        try {
            out.keys_.push_back({json::getString(*item, "kid").value_or(""), rsaKeyFromJwk(*item)});
        } catch (const LtiError&) {
            ++out.skipped_;
        }
    }
    return out;
}

const JwkEntry* Jwks::find(const std::string& kid) const {
    if (kid.empty()) return keys_.size() == 1 ? &keys_.front() : nullptr;
    for (const auto& k : keys_)
        if (k.kid == kid) return &k;
    return nullptr;
}

}  // namespace assay::lti
