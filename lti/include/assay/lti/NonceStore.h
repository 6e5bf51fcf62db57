#pragma once
// Single-use nonces: issued at OIDC login, consumed once by the launch that carries them.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "assay/lti/Clock.h"

namespace assay::lti {

class NonceStore {
  public:
    virtual ~NonceStore() = default;
    // Remembers a nonce handed to a platform; it can be consumed once until expiresAt.
    virtual void issue(const std::string& nonce, std::int64_t expiresAt) = 0;
    // True exactly once for an issued, unexpired nonce; false when unknown, expired or used.
    virtual bool consume(const std::string& nonce, std::int64_t now) = 0;
};

// In-process store (one assayd); a database-backed store implements the same interface.
class MemoryNonceStore final : public NonceStore {
  public:
    // clock is only used to drop expired entries when the store is full.
    explicit MemoryNonceStore(std::size_t maxEntries = 100000, Clock clock = systemNow)
        : maxEntries_(maxEntries), clock_(std::move(clock)) {}
    void issue(const std::string& nonce, std::int64_t expiresAt) override;
    bool consume(const std::string& nonce, std::int64_t now) override;
    std::size_t size() const;

  private:
    void pruneLocked(std::int64_t now);
    std::size_t maxEntries_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::int64_t> live_;  // nonce -> expiresAt
    Clock clock_;
};

}  // namespace assay::lti
