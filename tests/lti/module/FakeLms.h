#pragma once
// An LTI platform for the end-to-end tests, served over real HTTP on loopback: OpenID
// configuration and registration endpoint (dynamic registration), its JWKS, an OIDC
// authorization endpoint that answers with a signed id_token, a token endpoint that verifies
// the tool's client assertions against the tool's JWKS, AGS score and NRPS membership endpoints
// and a deep-link return endpoint. It records what it receives and can be stopped and started
// again on the same port (an LMS outage).
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "TestPlatform.h"

namespace assay::lti::test {

class FakeLms {
  public:
    struct Received {
        std::string method, uri, body, authorization;
    };
    // Builds the id_token claims for one authorization request (nonce from the request).
    using ClaimsBuilder = std::function<Poco::JSON::Object::Ptr(const std::string& nonce)>;
    // Turns claims into the token sent back (default: RS256 with the platform key).
    using Signer = std::function<std::string(const Poco::JSON::Object& claims)>;

    explicit FakeLms(TestPlatform keys);
    ~FakeLms();
    void start();  // on the same port as before, once one was chosen
    void stop();

    std::string base() const;  // http://127.0.0.1:<port>
    std::string url(const std::string& pathAndQuery) const { return base() + pathAndQuery; }
    TestPlatform& platform() { return platform_; }

    // Configuration (set before use).
    std::string registrationToken = "reg-token-7f3a";
    std::string toolJwksUrl;  // Assay's /lti/jwks, to verify client assertions
    std::string productFamily = "moodle";
    std::string rosterJson = R"({"id":"roster","context":{"id":"2"},"members":[]})";

    void setClaims(ClaimsBuilder b);
    void setSigner(Signer s);

    // Records.
    std::vector<Received> received(const std::string& pathPrefix) const;
    int failedAssertions() const { return failedAssertions_; }
    std::string lastAuthQuery() const;

    // Used by the request handler.
    void handle(const std::string& method, const std::string& uri, const std::string& body,
                const std::string& authorization, int& status, std::string& contentType,
                std::string& out);

  private:
    bool verifyAssertion(const std::string& formBody, std::string& why);
    bool bearerOk(const std::string& authorization) const;

    TestPlatform platform_;
    unsigned short port_ = 0;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    mutable std::mutex mutex_;
    ClaimsBuilder claims_;
    Signer signer_;
    std::vector<Received> received_;
    std::vector<std::string> issuedTokens_;
    std::vector<std::string> createdLineItems_;
    std::string lastAuthQuery_;
    std::atomic<int> failedAssertions_{0};
};

// Minimal HTML form reading for the tests: the action and the named input values.
std::string formAction(const std::string& html);
std::map<std::string, std::string> formFields(const std::string& html);
std::string htmlUnescape(const std::string& s);
// Decoded query parameters of a URL.
std::map<std::string, std::string> queryOf(const std::string& url);

}  // namespace assay::lti::test
