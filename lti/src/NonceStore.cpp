#include "assay/lti/NonceStore.h"

#include <openssl/rand.h>

#include "assay/lti/Base64Url.h"
#include "assay/lti/Error.h"
#include "assay/lti/Random.h"

namespace assay::lti {

void MemoryNonceStore::issue(const std::string& nonce, std::int64_t expiresAt) {
    std::lock_guard lock(mutex_);
    if (live_.size() >= maxEntries_) pruneLocked(clock_());
    if (live_.size() >= maxEntries_)
        throw LtiError(ErrorCode::InvalidArgument, "too many outstanding logins");
    live_[nonce] = expiresAt;
}

bool MemoryNonceStore::consume(const std::string& nonce, std::int64_t now) {
    std::lock_guard lock(mutex_);
    const auto it = live_.find(nonce);
    if (it == live_.end()) return false;
    const bool valid = it->second > now;
    live_.erase(it);  // used or expired: either way it is gone
    return valid;
}

std::size_t MemoryNonceStore::size() const {
    std::lock_guard lock(mutex_);
    return live_.size();
}

void MemoryNonceStore::pruneLocked(std::int64_t now) {
    std::erase_if(live_, [now](const auto& kv) { return kv.second <= now; });
}

std::string randomToken(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
        throw LtiError(ErrorCode::CryptoFailure, "random generator failed");
    return base64UrlEncode(raw);
}

}  // namespace assay::lti
