// Dynamic registration documents as Moodle and Canvas shape them: the platform's OpenID
// configuration, the tool's registration request, and the platform's answer.
#include <Poco/JSON/Array.h>
#include <cppunit/extensions/HelperMacros.h>

#include "LtiAssert.h"
#include "TestPlatform.h"
#include "assay/lti/Claims.h"
#include "assay/lti/DynamicRegistration.h"

using namespace assay::lti;

namespace {

const char* kMoodleConfig = R"({
  "issuer": "https://moodle.example.edu",
  "token_endpoint": "https://moodle.example.edu/mod/lti/token.php",
  "token_endpoint_auth_methods_supported": ["private_key_jwt"],
  "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
  "jwks_uri": "https://moodle.example.edu/mod/lti/certs.php",
  "authorization_endpoint": "https://moodle.example.edu/mod/lti/auth.php",
  "registration_endpoint": "https://moodle.example.edu/mod/lti/openid-registration.php",
  "scopes_supported": ["https://purl.imsglobal.org/spec/lti-bo/scope/basicoutcome",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly", "openid"],
  "response_types_supported": ["id_token"],
  "subject_types_supported": ["public", "pairwise"],
  "id_token_signing_alg_values_supported": ["RS256"],
  "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
  "https://purl.imsglobal.org/spec/lti-platform-configuration": {
    "product_family_code": "moodle", "version": "4.1.2",
    "messages_supported": ["LtiResourceLinkRequest", "LtiDeepLinkingRequest"],
    "placements": ["AddContentMenu"]}
})";

const char* kCanvasConfig = R"({
  "issuer": "https://canvas.instructure.com",
  "authorization_endpoint": "https://sso.canvaslms.com/api/lti/authorize_redirect",
  "registration_endpoint": "https://canvas.instructure.com/api/lti/registrations",
  "jwks_uri": "https://sso.canvaslms.com/api/lti/security/jwks",
  "token_endpoint": "https://sso.canvaslms.com/login/oauth2/token",
  "token_endpoint_auth_methods_supported": ["private_key_jwt"],
  "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
  "scopes_supported": ["openid", "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"],
  "response_types_supported": ["id_token"],
  "id_token_signing_alg_values_supported": ["RS256"],
  "claims_supported": ["sub", "picture", "email", "name", "given_name", "family_name", "locale"],
  "subject_types_supported": ["public"],
  "authorization_server": "sso.canvaslms.com",
  "https://purl.imsglobal.org/spec/lti-platform-configuration": {
    "product_family_code": "canvas", "version": "OpenSource",
    "messages_supported": [
      {"type": "LtiResourceLinkRequest", "placements": ["course_navigation", "assignment_selection"]},
      {"type": "LtiDeepLinkingRequest", "placements": ["assignment_selection", "link_selection"]}],
    "https://canvas.instructure.com/lti/account_name": "Example State University"}
})";

const std::string kCanvasConfigUrl =
    "https://canvas.instructure.com/api/lti/security/openid-configuration";

}  // namespace

class DynamicRegistrationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DynamicRegistrationTest);
    CPPUNIT_TEST(testMoodleConfiguration);
    CPPUNIT_TEST(testCanvasConfiguration);
    CPPUNIT_TEST(testConfigurationRefusals);
    CPPUNIT_TEST(testRegistrationRequestForMoodle);
    CPPUNIT_TEST(testRegistrationRequestForCanvas);
    CPPUNIT_TEST(testRegistrationResponse);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testMoodleConfiguration() {
        const auto c = parsePlatformConfiguration(
            kMoodleConfig, "https://moodle.example.edu/mod/lti/openid-configuration.php");
        CPPUNIT_ASSERT_EQUAL(std::string("https://moodle.example.edu"), c.issuer);
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://moodle.example.edu/mod/lti/openid-registration.php"),
            c.registrationEndpoint);
        CPPUNIT_ASSERT_EQUAL(std::string("moodle"), c.productFamilyCode);
        CPPUNIT_ASSERT_EQUAL(size_t(2), c.messagesSupported.size());
        CPPUNIT_ASSERT_EQUAL(std::string("LtiDeepLinkingRequest"), c.messagesSupported[1]);
    }

    void testCanvasConfiguration() {
        const auto c = parsePlatformConfiguration(kCanvasConfig, kCanvasConfigUrl);
        CPPUNIT_ASSERT_EQUAL(std::string("canvas"), c.productFamilyCode);
        CPPUNIT_ASSERT_EQUAL(std::string("https://sso.canvaslms.com/login/oauth2/token"),
                             c.tokenEndpoint);
        CPPUNIT_ASSERT_EQUAL(size_t(2), c.messagesSupported.size());
        const auto reg = registrationFrom(c, {"10000000000042", ""});
        CPPUNIT_ASSERT_EQUAL(std::string("https://canvas.instructure.com"), reg.issuer);
        CPPUNIT_ASSERT_EQUAL(std::string("https://sso.canvaslms.com/api/lti/authorize_redirect"),
                             reg.authLoginUrl);
        CPPUNIT_ASSERT(reg.deploymentIds.empty());
    }

    void testConfigurationRefusals() {
        // Served from a host other than the issuer's.
        ASSERT_LTI_ERROR(parsePlatformConfiguration(
                             kMoodleConfig, "https://evil.example.org/openid-configuration"),
                         ErrorCode::RegistrationInvalid);
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://moodle.example.edu"),
            parsePlatformConfiguration(kMoodleConfig, "https://evil.example.org/x", false).issuer);
        const auto mutate = [](const char* key, Poco::Dynamic::Var value, bool remove) {
            auto doc = test::parse(kMoodleConfig);
            if (remove)
                doc->remove(key);
            else
                doc->set(key, value);
            std::ostringstream out;
            doc->stringify(out);
            return out.str();
        };
        const std::string url = "https://moodle.example.edu/mod/lti/openid-configuration.php";
        for (const char* key : {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                                "registration_endpoint"})
            ASSERT_LTI_ERROR(parsePlatformConfiguration(mutate(key, {}, true), url),
                             ErrorCode::RegistrationInvalid);
        ASSERT_LTI_ERROR(parsePlatformConfiguration(
                             mutate("jwks_uri", "http://moodle.example.edu/certs", false), url),
                         ErrorCode::RegistrationInvalid);
        Poco::JSON::Array::Ptr hs = new Poco::JSON::Array;
        hs->add(std::string("HS256"));
        ASSERT_LTI_ERROR(parsePlatformConfiguration(
                             mutate("id_token_signing_alg_values_supported", hs, false), url),
                         ErrorCode::RegistrationInvalid);
        Poco::JSON::Array::Ptr secret = new Poco::JSON::Array;
        secret->add(std::string("client_secret_basic"));
        ASSERT_LTI_ERROR(parsePlatformConfiguration(
                             mutate("token_endpoint_auth_methods_supported", secret, false), url),
                         ErrorCode::RegistrationInvalid);
        ASSERT_LTI_ERROR(parsePlatformConfiguration("<html>", url), ErrorCode::RegistrationInvalid);
    }

    void testRegistrationRequestForMoodle() {
        const auto c = parsePlatformConfiguration(
            kMoodleConfig, "https://moodle.example.edu/mod/lti/openid-configuration.php");
        const auto body = test::parse(toolRegistrationRequest({"https://assay.example.edu/"}, c));
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/lti/login"),
                             body->getValue<std::string>("initiate_login_uri"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/lti/launch"),
                             body->getArray("redirect_uris")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/lti/jwks"),
                             body->getValue<std::string>("jwks_uri"));
        CPPUNIT_ASSERT_EQUAL(std::string("private_key_jwt"),
                             body->getValue<std::string>("token_endpoint_auth_method"));
        CPPUNIT_ASSERT_EQUAL(std::string("web"), body->getValue<std::string>("application_type"));
        const auto scope = body->getValue<std::string>("scope");
        CPPUNIT_ASSERT(scope.find(claim::kScopeScore) != std::string::npos);
        CPPUNIT_ASSERT(scope.find(claim::kScopeNrps) != std::string::npos);
        const auto tool = body->getObject("https://purl.imsglobal.org/spec/lti-tool-configuration");
        CPPUNIT_ASSERT_EQUAL(std::string("assay.example.edu"),
                             tool->getValue<std::string>("domain"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/lti/launch"),
                             tool->getValue<std::string>("target_link_uri"));
        const auto messages = tool->getArray("messages");
        CPPUNIT_ASSERT_EQUAL(size_t(2), messages->size());
        CPPUNIT_ASSERT_EQUAL(std::string("LtiDeepLinkingRequest"),
                             messages->getObject(1)->getValue<std::string>("type"));
        CPPUNIT_ASSERT(!messages->getObject(1)->has("placements"));
        CPPUNIT_ASSERT(!tool->has("https://canvas.instructure.com/lti/privacy_level"));
    }

    void testRegistrationRequestForCanvas() {
        auto c = parsePlatformConfiguration(kCanvasConfig, kCanvasConfigUrl);
        c.scopesSupported = {claim::kScopeScore,
                             claim::kScopeLineItem};  // a platform offering less
        const auto body =
            test::parse(toolRegistrationRequest({"https://assay.example.edu:8443"}, c));
        CPPUNIT_ASSERT_EQUAL(std::string(claim::kScopeLineItem) + " " + claim::kScopeScore,
                             body->getValue<std::string>("scope"));
        const auto tool = body->getObject("https://purl.imsglobal.org/spec/lti-tool-configuration");
        CPPUNIT_ASSERT_EQUAL(std::string("assay.example.edu:8443"),
                             tool->getValue<std::string>("domain"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("public"),
            tool->getValue<std::string>("https://canvas.instructure.com/lti/privacy_level"));
        const auto dl = tool->getArray("messages")->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::string("assignment_selection"),
                             dl->getArray("placements")->getElement<std::string>(0));
    }

    void testRegistrationResponse() {
        const auto moodle = parseRegistrationResponse(
            R"({"client_id":"kY7r2Vd0mZ3sQp1","response_types":["id_token"],
            "https://purl.imsglobal.org/spec/lti-tool-configuration":{"deployment_id":"3","version":"1.3.0"}})");
        CPPUNIT_ASSERT_EQUAL(std::string("kY7r2Vd0mZ3sQp1"), moodle.clientId);
        CPPUNIT_ASSERT_EQUAL(std::string("3"), moodle.deploymentId);
        const auto numeric = parseRegistrationResponse(
            R"({"client_id":"c","https://purl.imsglobal.org/spec/lti-tool-configuration":{"deployment_id":7}})");
        CPPUNIT_ASSERT_EQUAL(std::string("7"), numeric.deploymentId);
        const auto canvas = parseRegistrationResponse(R"({"client_id":"10000000000042"})");
        CPPUNIT_ASSERT(canvas.deploymentId.empty());
        ASSERT_LTI_ERROR(parseRegistrationResponse(R"({"error":"invalid_token"})"),
                         ErrorCode::RegistrationInvalid);
        const auto c = parsePlatformConfiguration(kMoodleConfig, "https://moodle.example.edu/x");
        const auto reg = registrationFrom(c, moodle);
        CPPUNIT_ASSERT_EQUAL(std::string("https://moodle.example.edu/mod/lti/token.php"),
                             reg.tokenUrl);
        CPPUNIT_ASSERT(reg.hasDeployment("3"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DynamicRegistrationTest);
