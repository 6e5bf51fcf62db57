// OIDC login initiation with the parameter forms Moodle and Canvas send, and the
// authentication request URL Assay redirects the browser to.
#include <Poco/URI.h>
#include <cppunit/extensions/HelperMacros.h>

#include "LtiAssert.h"
#include "TestPlatform.h"
#include "assay/lti/LoginInitiation.h"
#include "assay/lti/Random.h"

using namespace assay::lti;
using assay::lti::test::TestPlatform;

namespace {

std::map<std::string, std::string> queryOf(const std::string& url) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : Poco::URI(url).getQueryParameters()) {
        CPPUNIT_ASSERT_MESSAGE("duplicate parameter " + k, out.count(k) == 0);
        out[k] = v;
    }
    return out;
}

}  // namespace

class LoginInitiationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LoginInitiationTest);
    CPPUNIT_TEST(testMoodleLogin);
    CPPUNIT_TEST(testOlderMoodleMessageHint);
    CPPUNIT_TEST(testCanvasLogin);
    CPPUNIT_TEST(testAuthUrlWithExistingQuery);
    CPPUNIT_TEST(testRefusals);
    CPPUNIT_TEST(testRandomTokens);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testMoodleLogin() {
        const auto moodle = TestPlatform::moodle();
        const std::string hint = R"({"cmid":5,"launchid":"ltilaunch1_1371394577"})";
        const auto login =
            parseLoginRequest({{"iss", "https://moodle.example.edu"},
                               {"target_link_uri", "https://assay.example.edu/lti/launch"},
                               {"login_hint", "17"},
                               {"lti_message_hint", hint},
                               {"client_id", moodle.clientId},
                               {"lti_deployment_id", "3"}});
        CPPUNIT_ASSERT_EQUAL(std::string("3"), login.deploymentId);
        CPPUNIT_ASSERT_EQUAL(hint, login.ltiMessageHint);
        const auto url =
            buildAuthRequestUrl(moodle.registration("https://moodle.example.edu/mod/lti/certs.php"),
                                login, "https://assay.example.edu/lti/launch", "st&te=1", "n0nce");
        CPPUNIT_ASSERT(url.rfind("https://moodle.example.edu/mod/lti/auth.php?", 0) == 0);
        const auto q = queryOf(url);
        CPPUNIT_ASSERT_EQUAL(std::string("openid"), q.at("scope"));
        CPPUNIT_ASSERT_EQUAL(std::string("id_token"), q.at("response_type"));
        CPPUNIT_ASSERT_EQUAL(std::string("form_post"), q.at("response_mode"));
        CPPUNIT_ASSERT_EQUAL(std::string("none"), q.at("prompt"));
        CPPUNIT_ASSERT_EQUAL(moodle.clientId, q.at("client_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/lti/launch"),
                             q.at("redirect_uri"));
        CPPUNIT_ASSERT_EQUAL(std::string("17"), q.at("login_hint"));
        CPPUNIT_ASSERT_EQUAL(std::string("st&te=1"), q.at("state"));
        CPPUNIT_ASSERT_EQUAL(std::string("n0nce"), q.at("nonce"));
        CPPUNIT_ASSERT_EQUAL(hint, q.at("lti_message_hint"));  // JSON survives the round trip
        CPPUNIT_ASSERT(url.find('{') == std::string::npos);
        CPPUNIT_ASSERT(url.find('"') == std::string::npos);
    }

    void testOlderMoodleMessageHint() {
        const auto login =
            parseLoginRequest({{"iss", "https://moodle.example.edu"},
                               {"target_link_uri", "https://assay.example.edu/lti/launch"},
                               {"login_hint", "2"},
                               {"lti_message_hint", "5"}});
        CPPUNIT_ASSERT_EQUAL(std::string("5"), login.ltiMessageHint);
        CPPUNIT_ASSERT(login.clientId.empty());
        const auto q =
            queryOf(buildAuthRequestUrl(TestPlatform::moodle().registration("x"), login,
                                        "https://assay.example.edu/lti/launch", "s", "n"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), q.at("lti_message_hint"));
    }

    void testCanvasLogin() {
        const auto canvas = TestPlatform::canvas();
        const std::string hint =
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ2ZXJpZmllciI6IjEyMyIsImNhbnZhc19kb21haW4iOiJj"
            "YW52YXMuZXhhbXBsZS5lZHUiLCJjb250ZXh0X3R5cGUiOiJDb3Vyc2UifQ.aGVsbG8-d29ybGRfIQ";
        const auto login =
            parseLoginRequest({{"iss", "https://canvas.instructure.com"},
                               {"login_hint", "535fa085f22b4655f48cd5a36a9215f64c062838"},
                               {"client_id", canvas.clientId},
                               {"target_link_uri", "https://assay.example.edu/lti/launch"},
                               {"lti_message_hint", hint},
                               {"canvas_region", "us-east-1"},
                               {"canvas_environment", "prod"},
                               {"deployment_id", canvas.deploymentId},
                               {"lti_storage_target", "post_message_forwarding"}});
        CPPUNIT_ASSERT_EQUAL(canvas.deploymentId, login.deploymentId);
        CPPUNIT_ASSERT_EQUAL(std::string("post_message_forwarding"), login.storageTarget);
        const auto url = buildAuthRequestUrl(canvas.registration("x"), login,
                                             "https://assay.example.edu/lti/launch", "s1", "n1");
        CPPUNIT_ASSERT(
            url.rfind("https://sso.canvaslms.com/api/lti/authorize_redirect?scope=openid&", 0) ==
            0);
        const auto q = queryOf(url);
        CPPUNIT_ASSERT_EQUAL(hint, q.at("lti_message_hint"));
        CPPUNIT_ASSERT_EQUAL(canvas.clientId, q.at("client_id"));
        CPPUNIT_ASSERT_EQUAL(size_t(10), q.size());
    }

    void testAuthUrlWithExistingQuery() {
        auto reg = TestPlatform::moodle().registration("x");
        reg.authLoginUrl = "https://lms.example.org/auth?tenant=7#frag";
        const auto login =
            parseLoginRequest({{"iss", "https://lms.example.org"},
                               {"login_hint", "u"},
                               {"target_link_uri", "https://assay.example.edu/lti/launch"}});
        const auto url =
            buildAuthRequestUrl(reg, login, "https://assay.example.edu/lti/launch", "s", "n");
        CPPUNIT_ASSERT(url.rfind("https://lms.example.org/auth?tenant=7&scope=openid&", 0) == 0);
        CPPUNIT_ASSERT(url.find('#') == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(size_t(0), queryOf(url).count("lti_message_hint"));
        CPPUNIT_ASSERT_EQUAL(std::string("%20%2F%3F%26%3D~-._"), urlEncode(" /?&=~-._"));
    }

    void testRefusals() {
        const std::map<std::string, std::string> good = {
            {"iss", "https://moodle.example.edu"},
            {"login_hint", "17"},
            {"target_link_uri", "https://assay.example.edu/lti/launch"}};
        parseLoginRequest(good);
        for (const char* key : {"iss", "login_hint", "target_link_uri"}) {
            auto p = good;
            p.erase(key);
            ASSERT_LTI_ERROR(parseLoginRequest(p), ErrorCode::LoginInvalid);
            p[key] = "";
            ASSERT_LTI_ERROR(parseLoginRequest(p), ErrorCode::LoginInvalid);
        }
        auto p = good;
        p["iss"] = "moodle.example.edu";
        ASSERT_LTI_ERROR(parseLoginRequest(p), ErrorCode::LoginInvalid);
        p = good;
        p["target_link_uri"] = "javascript:alert(1)";
        ASSERT_LTI_ERROR(parseLoginRequest(p), ErrorCode::LoginInvalid);
        p = good;
        p["lti_message_hint"] = std::string(5000, 'x');
        ASSERT_LTI_ERROR(parseLoginRequest(p), ErrorCode::LoginInvalid);
    }

    void testRandomTokens() {
        const auto a = randomToken();
        const auto b = randomToken();
        CPPUNIT_ASSERT_EQUAL(size_t(43), a.size());
        CPPUNIT_ASSERT(a != b);
        CPPUNIT_ASSERT(a.find_first_not_of(
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
                       std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoginInitiationTest);
