#pragma once
// A test-only LTI platform: its own RSA key (generated at test time), its JWKS, and id_tokens
// shaped like the ones Moodle and Canvas send.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assay/lti/Registration.h"
#include "assay/lti/RsaKey.h"

namespace assay::lti::test {

enum class Lms { Moodle, Canvas };

// Keys generated once per test process (RSA generation is slow); index selects one.
const RsaKey& sharedKey(int index);

struct TestPlatform {
    Lms lms = Lms::Moodle;
    std::string issuer;
    std::string clientId;
    std::string deploymentId;
    std::string kid;
    RsaKey key;

    static TestPlatform moodle();
    static TestPlatform canvas();

    PlatformRegistration registration(const std::string& jwksUrl) const;
    std::string jwks() const;

    // A student's resource-link launch, as this LMS shapes it.
    Poco::JSON::Object::Ptr resourceLinkClaims(const std::string& nonce, std::int64_t now) const;
    // An instructor's deep-linking request, as this LMS shapes it.
    Poco::JSON::Object::Ptr deepLinkingClaims(const std::string& nonce, std::int64_t now) const;

    std::string sign(const Poco::JSON::Object& payload) const;
};

class MemoryRegistrations : public RegistrationLookup {
  public:
    void add(PlatformRegistration r) { regs_.push_back(std::move(r)); }
    std::optional<PlatformRegistration> find(const std::string& issuer,
                                             const std::string& clientId) const override;
    std::vector<PlatformRegistration> findByIssuer(const std::string& issuer) const override;

  private:
    std::vector<PlatformRegistration> regs_;
};

// header.payload.signature from arbitrary parts (for forged tokens).
std::string rawToken(const Poco::JSON::Object& header, const Poco::JSON::Object& payload,
                     const std::string& signatureBytes);
std::string hmacSha256(const std::string& key, const std::string& data);
Poco::JSON::Object::Ptr deepCopy(const Poco::JSON::Object& o);
Poco::JSON::Object::Ptr parse(const std::string& json);

}  // namespace assay::lti::test
