#pragma once
// Database-backed login states and nonces, so several request threads (and a restart between
// login and launch) see the same single-use values.
#include <optional>
#include <string>

#include "assay/core/store/db.h"
#include "assay/lti/LoginStateStore.h"
#include "assay/lti/NonceStore.h"

namespace assay::lti {

class DbNonceStore final : public NonceStore {
  public:
    explicit DbNonceStore(db::Database& db) : db_(db) {}
    void issue(const std::string& nonce, std::int64_t expiresAt) override;
    bool consume(const std::string& nonce, std::int64_t now) override;

  private:
    db::Database& db_;
};

// A login state plus what the launch page needs when the state cookie did not come back.
struct PendingLogin {
    LoginState state;
    std::string storageSecret;  // also put into platform storage (lti.put_data)
    std::string loginQuery;     // the original login parameters, for the new-window fallback
};

class DbLoginStateStore final : public LoginStateStore {
  public:
    explicit DbLoginStateStore(db::Database& db) : db_(db) {}
    void put(const std::string& state, const LoginState& value) override;
    std::optional<LoginState> take(const std::string& state, std::int64_t now) override;

    // Adds the storage secret and login parameters to a state put() stored.
    void annotate(const std::string& state, const std::string& storageSecret,
                  const std::string& loginQuery);
    // Reads without consuming (the launch page asks platform storage before it takes).
    std::optional<PendingLogin> peek(const std::string& state, std::int64_t now) const;
    // Consumes and returns everything.
    std::optional<PendingLogin> takePending(const std::string& state, std::int64_t now);

  private:
    db::Database& db_;
};

}  // namespace assay::lti
