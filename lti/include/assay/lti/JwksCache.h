#pragma once
// Platform JWKS documents fetched over HTTPS and cached per URL.
//
// A cached set is used until its TTL runs out. A kid the cached set does not know triggers a
// refetch (the platform may have rotated), but at most one fetch per URL per
// minRefetchIntervalSeconds, so forged tokens with random kids cannot make Assay hammer a
// platform. When a refresh fails, the last good set keeps serving.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "assay/lti/Clock.h"
#include "assay/lti/HttpClient.h"
#include "assay/lti/Jwks.h"

namespace assay::lti {

struct JwksCacheOptions {
    std::int64_t ttlSeconds = 3600;
    std::int64_t minRefetchIntervalSeconds = 60;
    Clock clock = systemNow;
};

class JwksCache {
  public:
    // client must outlive the cache.
    explicit JwksCache(HttpClient& client, JwksCacheOptions options = {});

    // The RS256 key with this kid from the JWKS at url (an empty kid matches a set with a
    // single key). Throws LtiError: jwt_unknown_kid, jwks_fetch_failed, jwks_invalid.
    RsaKey keyFor(const std::string& url, const std::string& kid);
    // Drops the cached set of url (e.g. after the registration changed).
    void invalidate(const std::string& url);
    // Fetch attempts made so far, over all URLs.
    std::uint64_t fetchCount() const;

  private:
    struct Slot {
        std::mutex mutex;  // held while fetching, so one URL is fetched by one thread at a time
        std::shared_ptr<const Jwks> jwks;
        std::int64_t fetchedAt = 0;
        std::int64_t lastAttempt = 0;
        bool attempted = false;
    };
    std::shared_ptr<Slot> slotFor(const std::string& url);
    void fetchInto(Slot& slot, const std::string& url, std::int64_t now);

    HttpClient& client_;
    JwksCacheOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Slot>> slots_;
    std::uint64_t fetches_ = 0;
};

}  // namespace assay::lti
