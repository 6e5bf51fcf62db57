// The built-in LRS: the xAPI resources under /xapi/ and the admin API under /api/v1/lrs/.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "DocumentStore.h"
#include "StatementStore.h"
#include "assay/core/host.h"
#include "assay/xapi/LrsClients.h"
#include "assay/xapi/Version.h"

namespace assay::xapi {

// Hands out stored times and the X-Experience-API-Consistent-Through instant: every statement
// stored at or before it is committed, and no later write gets a stored time at or before it.
class WriteClock {
  public:
    int64_t begin();
    void end(int64_t stored);
    int64_t consistentThrough();

  private:
    std::mutex mutex_;
    std::multiset<int64_t> inflight_;
    int64_t last_ = 0;    // newest stored time handed out
    int64_t issued_ = 0;  // newest consistent-through handed out
};

// Who is calling the LRS and under which rules.
struct LrsCall {
    Version version = Version::V1_0_3;
    std::optional<Credential> credential;  // nullopt: an Assay administrator's own session/token
    Poco::JSON::Object::Ptr authority;
};

class Lrs {
  public:
    Lrs(Host& host, std::string keyFile);
    void registerRoutes();

    StatementStore& statements() { return statements_; }
    Credentials& credentials() { return credentials_; }
    Targets& targets() { return targets_; }
    WriteClock& clock() { return clock_; }
    // Stores statements Assay emits (authority: the appliance); `onStored` queues forwarding.
    std::vector<std::string> storeOwn(
        const std::vector<Poco::JSON::Object::Ptr>& statements,
        const std::function<void(db::Connection&, const std::vector<std::string>&)>& onStored);
    Poco::JSON::Object::Ptr ownAuthority() const;

  private:
    using LrsHandler = std::function<void(http::Request&, http::Response&, const LrsCall&)>;
    // Wraps an LRS handler: version header, Basic auth with `scope`, xAPI error bodies, and
    // X-Experience-API-Version on every answer.
    http::Handler wrap(const std::string& scope, bool needsVersion, LrsHandler h);
    LrsCall authenticate(http::Request& req, const std::string& scope);

    void postStatements(http::Request& req, http::Response& res, const LrsCall& call, bool put);
    void getStatements(http::Request& req, http::Response& res, const LrsCall& call);
    void documents(http::Request& req, http::Response& res, const LrsCall& call, int resource);
    void agents(http::Request& req, http::Response& res, const LrsCall& call);
    void activities(http::Request& req, http::Response& res, const LrsCall& call);
    void about(http::Response& res);
    void registerAdminRoutes();

    Host& host_;
    std::string moreKey_;
    StatementStore statements_;
    DocumentStore documents_;
    Credentials credentials_;
    Targets targets_;
    WriteClock clock_;
};

QueryParameters queryOf(http::Request& req);

}  // namespace assay::xapi
