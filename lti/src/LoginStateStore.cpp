#include "assay/lti/LoginStateStore.h"

#include "assay/lti/Error.h"

namespace assay::lti {

void MemoryLoginStateStore::put(const std::string& state, const LoginState& value) {
    std::lock_guard lock(mutex_);
    if (states_.size() >= maxEntries_) {
        const auto now = clock_();
        std::erase_if(states_, [now](const auto& kv) { return kv.second.expiresAt <= now; });
    }
    if (states_.size() >= maxEntries_)
        throw LtiError(ErrorCode::InvalidArgument, "too many outstanding logins");
    states_[state] = value;
}

std::optional<LoginState> MemoryLoginStateStore::take(const std::string& state, std::int64_t now) {
    std::lock_guard lock(mutex_);
    const auto it = states_.find(state);
    if (it == states_.end()) return std::nullopt;
    LoginState value = std::move(it->second);
    states_.erase(it);
    if (value.expiresAt <= now) return std::nullopt;
    return value;
}

}  // namespace assay::lti
