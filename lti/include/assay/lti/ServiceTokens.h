#pragma once
// OAuth2 access tokens for LTI Advantage services (AGS, NRPS), obtained with the
// client-credentials grant and a signed client assertion, and cached until shortly before
// they expire.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "assay/lti/ClientAssertion.h"
#include "assay/lti/Clock.h"
#include "assay/lti/HttpClient.h"
#include "assay/lti/Registration.h"
#include "assay/lti/SigningKey.h"

namespace assay::lti {

class ServiceTokens {
  public:
    // client must outlive this object; signingKey yields the tool's current key (e.g. from
    // ToolKeyStore::signingKey).
    ServiceTokens(HttpClient& client, std::function<SigningKey()> signingKey,
                  Clock clock = systemNow);

    // An access token for these scopes at the platform's token endpoint. Cached per
    // (token URL, client id, scope set) until 60 s before expiry. Throws LtiError:
    // http_failed (transport), service_token_failed (non-200 or no access_token).
    AccessToken token(const PlatformRegistration& platform, std::vector<std::string> scopes);
    // Forgets cached tokens of a platform (e.g. after a 401 from a service).
    void invalidate(const PlatformRegistration& platform);
    std::uint64_t requests() const;

  private:
    using Key = std::tuple<std::string, std::string, std::string>;
    HttpClient& client_;
    std::function<SigningKey()> signingKey_;
    Clock clock_;
    mutable std::mutex mutex_;
    std::map<Key, AccessToken> cache_;
    std::uint64_t requests_ = 0;
};

}  // namespace assay::lti
