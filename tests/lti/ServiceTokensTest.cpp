// Access tokens for AGS/NRPS from a token endpoint on loopback: the request a platform
// receives (form fields, a client assertion that verifies against the tool's JWKS, aud equal
// to the token URL byte for byte), caching until expiry, and refusals.
#include <Poco/URI.h>
#include <cppunit/extensions/HelperMacros.h>

#include <memory>

#include "LoopbackHttpServer.h"
#include "LtiAssert.h"
#include "TempDir.h"
#include "TestPlatform.h"
#include "assay/lti/Claims.h"
#include "assay/lti/Jwks.h"
#include "assay/lti/Jwt.h"
#include "assay/lti/ServiceTokens.h"
#include "assay/lti/ToolKeyStore.h"

using namespace assay::lti;
using assay::lti::test::LoopbackHttpServer;

namespace {

std::map<std::string, std::string> formFields(const std::string& body) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : Poco::URI("http://x/?" + body).getQueryParameters())
        out[k] = v;
    return out;
}

}  // namespace

class ServiceTokensTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ServiceTokensTest);
    CPPUNIT_TEST(testTokenRequestAsThePlatformSeesIt);
    CPPUNIT_TEST(testCachingUntilExpiry);
    CPPUNIT_TEST(testRefusals);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        tmp_ = std::make_unique<test::TempDir>();
        keys_ = ToolKeyStore::open({tmp_->path(), "", 2048, systemNow});
        server_ = std::make_unique<LoopbackHttpServer>();
        server_->setRoute(
            "/login/oauth2/token/",
            {200, "application/json",
             R"({"access_token":"tok-1","token_type":"Bearer","expires_in":3600,"scope":"s"})", 0});
        CurlHttpOptions http;
        http.allowPlainHttp = true;
        client_ = std::make_unique<CurlHttpClient>(http);
        tokens_ = std::make_unique<ServiceTokens>(
            *client_, [this] { return keys_->signingKey(); }, [this] { return now_; });
        platform_ = test::TestPlatform::canvas().registration("unused");
        platform_.tokenUrl = server_->url("/login/oauth2/token/");  // trailing slash kept as given
    }

    void testTokenRequestAsThePlatformSeesIt() {
        const auto t = tokens_->token(platform_, {claim::kScopeScore, claim::kScopeLineItem});
        CPPUNIT_ASSERT_EQUAL(std::string("tok-1"), t.token);
        CPPUNIT_ASSERT_EQUAL(now_ + 3600, t.expiresAt);
        const auto reqs = server_->requests();
        CPPUNIT_ASSERT_EQUAL(size_t(1), reqs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), reqs[0].method);
        const auto form = formFields(reqs[0].body);
        CPPUNIT_ASSERT_EQUAL(std::string("client_credentials"), form.at("grant_type"));
        CPPUNIT_ASSERT_EQUAL(std::string("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                             form.at("client_assertion_type"));
        CPPUNIT_ASSERT_EQUAL(std::string(claim::kScopeLineItem) + " " + claim::kScopeScore,
                             form.at("scope"));
        // What a platform does with the assertion: verify it with the tool's published keys.
        const auto jws = parseCompactJws(form.at("client_assertion"));
        const auto jwks = Jwks::parse(keys_->publicJwks());
        CPPUNIT_ASSERT(jwks.find(jws.kid) != nullptr);
        verifyRs256(jws, jwks.find(jws.kid)->key);
        CPPUNIT_ASSERT_EQUAL(platform_.tokenUrl, jws.payload->getValue<std::string>("aud"));
        CPPUNIT_ASSERT_EQUAL(platform_.clientId, jws.payload->getValue<std::string>("iss"));
        CPPUNIT_ASSERT_EQUAL(platform_.clientId, jws.payload->getValue<std::string>("sub"));
    }

    void testCachingUntilExpiry() {
        tokens_->token(platform_, {claim::kScopeScore, claim::kScopeLineItem});
        tokens_->token(platform_, {claim::kScopeLineItem, claim::kScopeScore, claim::kScopeScore});
        CPPUNIT_ASSERT_EQUAL(size_t(1), server_->hits("/login/oauth2/token/"));
        tokens_->token(platform_, {claim::kScopeNrps});  // other scopes, other token
        CPPUNIT_ASSERT_EQUAL(size_t(2), server_->hits("/login/oauth2/token/"));
        now_ += 3600 - 61;
        tokens_->token(platform_, {claim::kScopeScore, claim::kScopeLineItem});
        CPPUNIT_ASSERT_EQUAL(size_t(2), server_->hits("/login/oauth2/token/"));
        now_ += 2;  // within a minute of expiry: renewed
        tokens_->token(platform_, {claim::kScopeScore, claim::kScopeLineItem});
        CPPUNIT_ASSERT_EQUAL(size_t(3), server_->hits("/login/oauth2/token/"));
        tokens_->invalidate(platform_);
        tokens_->token(platform_, {claim::kScopeScore, claim::kScopeLineItem});
        CPPUNIT_ASSERT_EQUAL(size_t(4), server_->hits("/login/oauth2/token/"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), tokens_->requests());
    }

    void testRefusals() {
        server_->setRoute("/login/oauth2/token/",
                          {401, "application/json", R"({"error":"invalid_client"})", 0});
        ASSERT_LTI_ERROR(tokens_->token(platform_, {claim::kScopeScore}),
                         ErrorCode::ServiceTokenFailed);
        server_->setRoute("/login/oauth2/token/",
                          {200, "application/json", R"({"token_type":"Bearer"})", 0});
        ASSERT_LTI_ERROR(tokens_->token(platform_, {claim::kScopeScore}),
                         ErrorCode::ServiceTokenFailed);
        platform_.tokenUrl = "http://127.0.0.1:1/token";
        ASSERT_LTI_ERROR(tokens_->token(platform_, {claim::kScopeScore}), ErrorCode::HttpFailed);
    }

  private:
    std::int64_t now_ = 1'800'000'000;
    std::unique_ptr<test::TempDir> tmp_;
    std::unique_ptr<ToolKeyStore> keys_;
    std::unique_ptr<LoopbackHttpServer> server_;
    std::unique_ptr<CurlHttpClient> client_;
    std::unique_ptr<ServiceTokens> tokens_;
    PlatformRegistration platform_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServiceTokensTest);
