#pragma once
// What the OIDC login step remembers under its `state` value until the launch comes back:
// the expectations the launch's id_token must meet. Taken once; expires.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "assay/lti/Clock.h"
#include "assay/lti/LaunchValidator.h"

namespace assay::lti {

struct LoginState {
    LaunchExpectations expected;  // issuer, client id, nonce, target_link_uri of the login
    std::string storageTarget;    // lti_storage_target, when the platform offers storage
    std::int64_t expiresAt = 0;
};

class LoginStateStore {
  public:
    virtual ~LoginStateStore() = default;
    virtual void put(const std::string& state, const LoginState& value) = 0;
    // The state's value exactly once, and only before it expires.
    virtual std::optional<LoginState> take(const std::string& state, std::int64_t now) = 0;
};

class MemoryLoginStateStore final : public LoginStateStore {
  public:
    explicit MemoryLoginStateStore(std::size_t maxEntries = 100000, Clock clock = systemNow)
        : maxEntries_(maxEntries), clock_(std::move(clock)) {}
    void put(const std::string& state, const LoginState& value) override;
    std::optional<LoginState> take(const std::string& state, std::int64_t now) override;

  private:
    std::size_t maxEntries_;
    Clock clock_;
    std::mutex mutex_;
    std::unordered_map<std::string, LoginState> states_;
};

}  // namespace assay::lti
