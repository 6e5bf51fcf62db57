// The login → launch round trip inside the library: beginLogin records state and nonce, the
// platform answers with an id_token carrying that nonce, and the state's expectations let the
// validator accept exactly that launch, once.
#include <Poco/URI.h>
#include <cppunit/extensions/HelperMacros.h>

#include <memory>

#include "LoopbackHttpServer.h"
#include "LtiAssert.h"
#include "TestPlatform.h"
#include "assay/lti/LaunchValidator.h"
#include "assay/lti/LoginInitiation.h"
#include "assay/lti/LoginStateStore.h"

using namespace assay::lti;
using assay::lti::test::LoopbackHttpServer;
using assay::lti::test::TestPlatform;

namespace {

std::string queryParam(const std::string& url, const std::string& name) {
    for (const auto& [k, v] : Poco::URI(url).getQueryParameters())
        if (k == name) return v;
    return {};
}

const std::string kRedirect = "https://assay.example.edu/lti/launch";

}  // namespace

class LoginFlowTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LoginFlowTest);
    CPPUNIT_TEST(testMoodleLoginThenLaunch);
    CPPUNIT_TEST(testCanvasLoginResolvesClientId);
    CPPUNIT_TEST(testLoginRefusals);
    CPPUNIT_TEST(testStateExpires);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        server_ = std::make_unique<LoopbackHttpServer>();
        server_->setRoute("/moodle/jwks", {200, "application/json", moodle_.jwks(), 0});
        server_->setRoute("/canvas/jwks", {200, "application/json", canvas_.jwks(), 0});
        registrations_.add(moodle_.registration(server_->url("/moodle/jwks")));
        registrations_.add(canvas_.registration(server_->url("/canvas/jwks")));
        CurlHttpOptions http;
        http.allowPlainHttp = true;
        client_ = std::make_unique<CurlHttpClient>(http);
        const Clock clock = [this] { return now_; };
        jwks_ = std::make_unique<JwksCache>(*client_, JwksCacheOptions{3600, 60, clock});
        validator_ = std::make_unique<LaunchValidator>(registrations_, *jwks_, nonces_,
                                                       LaunchValidatorOptions{60, {}, clock});
    }

    void testMoodleLoginThenLaunch() {
        const auto login =
            parseLoginRequest({{"iss", moodle_.issuer},
                               {"login_hint", "17"},
                               {"target_link_uri", kRedirect},
                               {"lti_message_hint", R"({"cmid":5,"launchid":"ltilaunch1_9"})"},
                               {"client_id", moodle_.clientId},
                               {"lti_deployment_id", moodle_.deploymentId}});
        const auto redirect = beginLogin(login, registrations_, nonces_, states_, kRedirect, now_);
        CPPUNIT_ASSERT_EQUAL(redirect.state, queryParam(redirect.url, "state"));
        CPPUNIT_ASSERT_EQUAL(redirect.nonce, queryParam(redirect.url, "nonce"));
        CPPUNIT_ASSERT(redirect.state != redirect.nonce);
        CPPUNIT_ASSERT_EQUAL(moodle_.clientId, redirect.platform.clientId);

        // The platform authenticates the user and posts back id_token and state.
        const auto idToken =
            moodle_.sign(*moodle_.resourceLinkClaims(queryParam(redirect.url, "nonce"), now_ + 5));
        now_ += 5;
        const auto remembered = states_.take(redirect.state, now_);
        CPPUNIT_ASSERT(remembered.has_value());
        CPPUNIT_ASSERT(!states_.take(redirect.state, now_).has_value());  // single use
        const auto launch = validator_->validate(idToken, remembered->expected);
        CPPUNIT_ASSERT_EQUAL(std::string("17"), launch.userId);
        ASSERT_LTI_ERROR(validator_->validate(idToken, remembered->expected),
                         ErrorCode::NonceReplayed);
    }

    void testCanvasLoginResolvesClientId() {
        // Canvas may omit client_id; with one registration for the issuer it is unambiguous.
        const auto login =
            parseLoginRequest({{"iss", canvas_.issuer},
                               {"login_hint", "535fa085f22b4655f48cd5a36a9215f64c062838"},
                               {"target_link_uri", kRedirect},
                               {"deployment_id", canvas_.deploymentId},
                               {"lti_storage_target", "post_message_forwarding"}});
        const auto redirect = beginLogin(login, registrations_, nonces_, states_, kRedirect, now_);
        CPPUNIT_ASSERT_EQUAL(canvas_.clientId, queryParam(redirect.url, "client_id"));
        const auto remembered = states_.take(redirect.state, now_);
        CPPUNIT_ASSERT_EQUAL(std::string("post_message_forwarding"), remembered->storageTarget);
        CPPUNIT_ASSERT_EQUAL(canvas_.clientId, remembered->expected.clientId);
        const auto token = canvas_.sign(*canvas_.deepLinkingClaims(redirect.nonce, now_));
        CPPUNIT_ASSERT(validator_->validate(token, remembered->expected).deepLinking.has_value());

        // A second Canvas developer key on the same issuer makes client_id necessary.
        auto other = canvas_;
        other.clientId = "10000000000077";
        registrations_.add(other.registration(server_->url("/canvas/jwks")));
        ASSERT_LTI_ERROR(beginLogin(login, registrations_, nonces_, states_, kRedirect, now_),
                         ErrorCode::LoginInvalid);
    }

    void testLoginRefusals() {
        auto login = parseLoginRequest({{"iss", "https://unknown.example.org"},
                                        {"login_hint", "1"},
                                        {"target_link_uri", kRedirect}});
        ASSERT_LTI_ERROR(beginLogin(login, registrations_, nonces_, states_, kRedirect, now_),
                         ErrorCode::UnknownPlatform);
        login.issuer = moodle_.issuer;
        login.clientId = "not-registered";
        ASSERT_LTI_ERROR(beginLogin(login, registrations_, nonces_, states_, kRedirect, now_),
                         ErrorCode::UnknownPlatform);
        login.clientId = moodle_.clientId;
        login.deploymentId = "42";
        ASSERT_LTI_ERROR(beginLogin(login, registrations_, nonces_, states_, kRedirect, now_),
                         ErrorCode::UnknownDeployment);
    }

    void testStateExpires() {
        const auto login = parseLoginRequest({{"iss", moodle_.issuer},
                                              {"login_hint", "17"},
                                              {"target_link_uri", kRedirect},
                                              {"client_id", moodle_.clientId}});
        const auto redirect =
            beginLogin(login, registrations_, nonces_, states_, kRedirect, now_, 600);
        const auto token = moodle_.sign(*moodle_.resourceLinkClaims(redirect.nonce, now_));
        now_ += 601;
        CPPUNIT_ASSERT(!states_.take(redirect.state, now_).has_value());
        // Even with the expectations in hand, the nonce itself has expired too.
        LaunchExpectations e{moodle_.issuer, moodle_.clientId, redirect.nonce, kRedirect};
        ASSERT_LTI_ERROR(validator_->validate(token, e), ErrorCode::NonceReplayed);
    }

  private:
    TestPlatform moodle_ = TestPlatform::moodle();
    TestPlatform canvas_ = TestPlatform::canvas();
    std::int64_t now_ = 1'800'000'000;
    std::unique_ptr<LoopbackHttpServer> server_;
    test::MemoryRegistrations registrations_;
    std::unique_ptr<CurlHttpClient> client_;
    std::unique_ptr<JwksCache> jwks_;
    MemoryNonceStore nonces_;
    MemoryLoginStateStore states_;
    std::unique_ptr<LaunchValidator> validator_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoginFlowTest);
