#include "assay/lti/JwksCache.h"

#include "assay/lti/Error.h"

namespace assay::lti {

JwksCache::JwksCache(HttpClient& client, JwksCacheOptions options)
    : client_(client), options_(std::move(options)) {
    if (!options_.clock) options_.clock = systemNow;
}

std::shared_ptr<JwksCache::Slot> JwksCache::slotFor(const std::string& url) {
    std::lock_guard lock(mutex_);
    auto& slot = slots_[url];
    if (!slot) slot = std::make_shared<Slot>();
    return slot;
}

void JwksCache::fetchInto(Slot& slot, const std::string& url, std::int64_t now) {
    slot.attempted = true;
    slot.lastAttempt = now;
    {
        std::lock_guard lock(mutex_);
        ++fetches_;
    }
    HttpResponse response;
    try {
        response = client_.send(HttpRequest{"GET", url, {{"Accept", "application/json"}}, {}});
    } catch (const LtiError& e) {
        throw LtiError(ErrorCode::JwksFetchFailed, e.what());
    }
    if (response.status != 200)
        throw LtiError(ErrorCode::JwksFetchFailed,
                       "JWKS " + url + " answered HTTP " + std::to_string(response.status));
    slot.jwks = std::make_shared<const Jwks>(Jwks::parse(response.body));
    slot.fetchedAt = now;
}

RsaKey JwksCache::keyFor(const std::string& url, const std::string& kid) {
    auto slot = slotFor(url);
    std::lock_guard lock(slot->mutex);
    const auto now = options_.clock();
    const bool mayFetch =
        !slot->attempted || now - slot->lastAttempt >= options_.minRefetchIntervalSeconds;
    const bool fresh = slot->jwks && now - slot->fetchedAt < options_.ttlSeconds;

    if (fresh) {
        if (const auto* entry = slot->jwks->find(kid)) return entry->key;
    }
    if (!mayFetch) {
        if (slot->jwks) {
            if (const auto* entry = slot->jwks->find(kid)) return entry->key;  // stale but known
            throw LtiError(ErrorCode::JwtUnknownKid,
                           "kid '" + kid.substr(0, 64) + "' not in the platform's JWKS");
        }
        throw LtiError(ErrorCode::JwksFetchFailed,
                       "JWKS " + url + " failed recently; not retrying yet");
    }
    try {
        fetchInto(*slot, url, now);
    } catch (const LtiError&) {
        // A failed refresh keeps the previous set serving known kids.
        if (slot->jwks) {
            if (const auto* entry = slot->jwks->find(kid)) return entry->key;
        }
        throw;
    }
    if (const auto* entry = slot->jwks->find(kid)) return entry->key;
    throw LtiError(ErrorCode::JwtUnknownKid,
                   "kid '" + kid.substr(0, 64) + "' not in the platform's JWKS");
}

void JwksCache::invalidate(const std::string& url) {
    std::lock_guard lock(mutex_);
    slots_.erase(url);
}

std::uint64_t JwksCache::fetchCount() const {
    std::lock_guard lock(mutex_);
    return fetches_;
}

}  // namespace assay::lti
