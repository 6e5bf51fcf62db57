// A host with the xapi module on an ephemeral loopback port, for the LRS and forwarder
// suites: TestHost's pattern, with the module added before open(). The engine comes from
// ASSAY_XAPI_TEST_ENGINE ("sqlite" unless set), so one suite runs on both databases.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "assay/xapi/XapiModule.h"
#include "test_host.h"

namespace assay::test {

std::string lrsTestEngine();

class LrsHost {
  public:
    // `config`: configuration file text added to the test configuration.
    explicit LrsHost(const std::string& engine = lrsTestEngine(),
                     xapi::XapiModuleOptions options = {}, const std::string& config = "");
    // A host over an existing database and data directory (a restart); neither is removed.
    LrsHost(const std::string& dbUrl, const std::string& dataDir, xapi::XapiModuleOptions options,
            const std::string& config = "");
    ~LrsHost();
    Host& host() { return *host_; }
    xapi::XapiModule& module() { return *module_; }
    int port() const { return host_->port(); }
    HttpClient adminClient();

    // Issues an LRS credential through the admin API; returns the "Basic ..." value.
    std::string issueCredential(const std::string& name,
                                const std::string& scopesJson = "[\"all\"]");
    // An LRS request with the default credential and version header (empty version: none).
    HttpResult lrs(const std::string& method, const std::string& path, const std::string& body = "",
                   std::map<std::string, std::string> headers = {},
                   const std::string& version = "1.0.3",
                   const std::string& contentType = "application/json");
    std::string basic;  // the default credential

  private:
    void startHost(const std::string& dbUrl, const std::string& dataDir,
                   xapi::XapiModuleOptions options, const std::string& config);
    TempDir dir_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Host> host_;
    xapi::XapiModule* module_ = nullptr;
};

// Polls `cond` until it holds or `seconds` pass (deliveries happen on other threads).
template <typename F>
bool waitFor(F cond, int seconds = 20) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return cond();
}

// Header that carries LRS Basic credentials: the standard one (public routes of the host pass
// Basic credentials through to the LRS).
inline const char* kLrsAuthHeader = "Authorization";

}  // namespace assay::test
