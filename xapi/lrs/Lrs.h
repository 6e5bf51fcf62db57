// The built-in LRS: the xAPI resources under /xapi/ and the admin API under /api/v1/lrs/.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "DocumentStore.h"
#include "StatementStore.h"
#include "assay/core/host.h"
#include "assay/xapi/LrsClients.h"
#include "assay/xapi/StatementQuery.h"
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
    bool mineOnly = false;  // statements/read/mine: only statements this credential stored
    bool define = true;     // its statements may (re)define activities
};

// One LRS request as the resources see it: the HTTP request itself or, in the alternate
// request syntax of xAPI 1.0.3 (a POST with `?method=X` and a form body), the request the form
// carries: its method, parameters, the six headers the form may hold and `content`.
class LrsRequest {
  public:
    explicit LrsRequest(http::Request& raw);
    http::Request& raw() { return raw_; }
    bool alternate() const { return alternate_; }
    const std::string& method() const { return method_; }
    const QueryParameters& query() const { return query_; }
    // A header; in the alternate syntax the form's value wins for the headers it may carry.
    std::optional<std::string> headerOpt(const std::string& name) const;
    std::string header(const std::string& name) const { return headerOpt(name).value_or(""); }
    const std::string& body();

  private:
    http::Request& raw_;
    bool alternate_ = false;
    std::string method_;
    QueryParameters query_;
    std::map<std::string, std::string> formHeaders_;  // lower-case names
    std::string content_;
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
    using LrsHandler = std::function<void(LrsRequest&, http::Response&, const LrsCall&)>;
    struct Endpoint {
        std::string scope;  // empty: no credentials needed (About)
        LrsHandler handler;
    };
    using Endpoints = std::map<std::string, Endpoint>;  // by method
    // Serves one resource: the alternate request syntax, the version header, Basic auth with
    // the method's scope, xAPI error bodies, and X-Experience-API-Version on every answer.
    http::Handler serve(Endpoints endpoints);
    LrsCall authenticate(LrsRequest& req, const std::string& scope);

    void postStatements(LrsRequest& req, http::Response& res, const LrsCall& call, bool put);
    void getStatements(LrsRequest& req, http::Response& res, const LrsCall& call);
    void documents(LrsRequest& req, http::Response& res, const LrsCall& call, int resource);
    void agents(LrsRequest& req, http::Response& res, const LrsCall& call);
    void activities(LrsRequest& req, http::Response& res, const LrsCall& call);
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
