#pragma once
// JSON Web Keys (RFC 7517) restricted to what LTI uses: RSA signing keys for RS256.
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "assay/lti/RsaKey.h"

namespace assay::lti {

// An RSA public key from a JWK (kty RSA, n, e); throws jwk_invalid otherwise.
RsaKey rsaKeyFromJwk(const Poco::JSON::Object& jwk);

// {"kty":"RSA","alg":"RS256","use":"sig","kid":kid,"n":..,"e":..}
Poco::JSON::Object::Ptr publicJwk(const RsaKey& key, const std::string& kid);

// {"keys":[...]} for the given (kid, key) pairs, public halves only.
std::string jwksJson(const std::vector<std::pair<std::string, RsaKey>>& keys);

struct JwkEntry {
    std::string kid;  // may be empty
    RsaKey key;
};

// A parsed key set. Keys that are not RSA signature keys usable with RS256 (kty other than
// RSA, use other than sig, alg other than RS256, bad n/e) are skipped, not fatal.
class Jwks {
  public:
    static constexpr std::size_t kMaxKeys = 64;

    // Throws jwks_invalid when the text is not an object with a "keys" array, or has more
    // than kMaxKeys entries.
    static Jwks parse(const std::string& text);

    // The key with this kid; with an empty kid, the only key if there is exactly one.
    const JwkEntry* find(const std::string& kid) const;
    const std::vector<JwkEntry>& keys() const { return keys_; }
    std::size_t skipped() const { return skipped_; }

  private:
    std::vector<JwkEntry> keys_;
    std::size_t skipped_ = 0;
};

}  // namespace assay::lti
