// Launch validation end to end inside the library: a test platform signs Moodle- and
// Canvas-shaped id_tokens with its own key, publishes its JWKS on a loopback HTTP server, and
// the validator accepts the good ones and refuses each attack with its stable code.
#include <Poco/JSON/Array.h>
#include <cppunit/extensions/HelperMacros.h>

#include <memory>

#include "LoopbackHttpServer.h"
#include "LtiAssert.h"
#include "TestPlatform.h"
#include "assay/lti/AgsScore.h"
#include "assay/lti/Base64Url.h"
#include "assay/lti/Claims.h"
#include "assay/lti/LaunchValidator.h"

using namespace assay::lti;
using assay::lti::test::LoopbackHttpServer;
using assay::lti::test::TestPlatform;
using Poco::JSON::Object;

class LaunchValidatorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LaunchValidatorTest);
    CPPUNIT_TEST(testMoodleResourceLink);
    CPPUNIT_TEST(testCanvasResourceLink);
    CPPUNIT_TEST(testMoodleDeepLinking);
    CPPUNIT_TEST(testCanvasDeepLinking);
    CPPUNIT_TEST(testCanvasIssuerSharedByClients);
    CPPUNIT_TEST(testExpiredToken);
    CPPUNIT_TEST(testIssuedInTheFuture);
    CPPUNIT_TEST(testWrongAudience);
    CPPUNIT_TEST(testAudArrayNeedsMatchingAzp);
    CPPUNIT_TEST(testReplayedNonce);
    CPPUNIT_TEST(testUnknownKidSignedByStranger);
    CPPUNIT_TEST(testAlgNone);
    CPPUNIT_TEST(testHs256WithPlatformPublicKey);
    CPPUNIT_TEST(testMissingDeployment);
    CPPUNIT_TEST(testWrongVersion);
    CPPUNIT_TEST(testTamperedPayload);
    CPPUNIT_TEST(testMissingOrWrongClaims);
    CPPUNIT_TEST(testExpectationsFromLogin);
    CPPUNIT_TEST(testRefusedTokenLeavesNonceUnused);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        server_ = std::make_unique<LoopbackHttpServer>();
        server_->setRoute("/moodle/jwks", {200, "application/json", moodle_.jwks(), 0});
        server_->setRoute("/canvas/jwks", {200, "application/json", canvas_.jwks(), 0});
        registrations_ = std::make_unique<test::MemoryRegistrations>();
        registrations_->add(moodle_.registration(server_->url("/moodle/jwks")));
        registrations_->add(canvas_.registration(server_->url("/canvas/jwks")));
        CurlHttpOptions http;
        http.allowPlainHttp = true;
        client_ = std::make_unique<CurlHttpClient>(http);
        const Clock clock = [this] { return now_; };
        jwks_ = std::make_unique<JwksCache>(*client_, JwksCacheOptions{3600, 60, clock});
        nonces_ = std::make_unique<MemoryNonceStore>(1000, clock);
        validator_ = std::make_unique<LaunchValidator>(*registrations_, *jwks_, *nonces_,
                                                       LaunchValidatorOptions{60, {}, clock});
    }

    void tearDown() override {
        validator_.reset();
        jwks_.reset();
        server_.reset();
    }

    void testMoodleResourceLink() {
        const auto launch = validate(moodle_, moodle_.resourceLinkClaims(issue("n-1"), now_));
        CPPUNIT_ASSERT(launch.messageType == MessageType::ResourceLink);
        CPPUNIT_ASSERT_EQUAL(std::string("https://moodle.example.edu"), launch.issuer);
        CPPUNIT_ASSERT_EQUAL(moodle_.clientId, launch.clientId);
        CPPUNIT_ASSERT_EQUAL(std::string("3"), launch.deploymentId);
        CPPUNIT_ASSERT_EQUAL(std::string("17"), launch.userId);
        CPPUNIT_ASSERT_EQUAL(std::string("Grace Hopper"), launch.name);
        CPPUNIT_ASSERT_EQUAL(std::string("grace@moodle.example.edu"), launch.email);
        CPPUNIT_ASSERT(launch.roles.courseRole() == CourseRole::Student);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), launch.context->id);
        CPPUNIT_ASSERT_EQUAL(std::string("Programming in Python"), launch.context->title);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), launch.resourceLink->id);
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/lti/launch"),
                             launch.targetLinkUri);
        CPPUNIT_ASSERT(launch.ags.has_value());
        CPPUNIT_ASSERT(launch.ags->hasScope(claim::kScopeScore));
        CPPUNIT_ASSERT_EQUAL(std::string("https://moodle.example.edu/mod/lti/services.php/2/"
                                         "lineitems/7/lineitem/scores?type_id=4"),
                             scoresUrl(launch.ags->lineItem));
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://moodle.example.edu/mod/lti/services.php/2/lineitems?type_id=4"),
            launch.ags->lineItems);
        CPPUNIT_ASSERT(launch.nrps.has_value());
        CPPUNIT_ASSERT_EQUAL(size_t(2), launch.nrps->serviceVersions.size());
        CPPUNIT_ASSERT_EQUAL(std::string("a-17"), launch.custom.at("assignment"));
        CPPUNIT_ASSERT_EQUAL(std::string("moodle"), launch.platform.productFamilyCode);
        CPPUNIT_ASSERT_EQUAL(std::string("iframe"), launch.presentation.documentTarget);
        CPPUNIT_ASSERT(!launch.deepLinking.has_value());
        CPPUNIT_ASSERT_EQUAL(now_ + 3600, launch.expiresAt);
    }

    void testCanvasResourceLink() {
        const auto launch = validate(canvas_, canvas_.resourceLinkClaims(issue("n-2"), now_));
        CPPUNIT_ASSERT_EQUAL(std::string("https://canvas.instructure.com"), launch.issuer);
        CPPUNIT_ASSERT_EQUAL(std::string("10000000000042"), launch.clientId);
        CPPUNIT_ASSERT_EQUAL(canvas_.deploymentId, launch.deploymentId);
        CPPUNIT_ASSERT_EQUAL(std::string("8e1b0c52-6c0a-4f0e-9d54-3f5f2d7c1b22"), launch.userId);
        CPPUNIT_ASSERT(launch.roles.courseRole() == CourseRole::Student);
        CPPUNIT_ASSERT_EQUAL(size_t(3), launch.roleUris.size());
        CPPUNIT_ASSERT_EQUAL(std::string("6a8d5f07-6f7b-4a2e-9a11-0c3e4b5d6f70"),
                             launch.resourceLink->id);
        CPPUNIT_ASSERT_EQUAL(std::string(""), launch.resourceLink->description);  // null in Canvas
        CPPUNIT_ASSERT_EQUAL(std::string("https://canvas.example.edu/api/lti/courses/101/"
                                         "line_items/33/scores?include=launch_url"),
                             scoresUrl(launch.ags->lineItem));
        CPPUNIT_ASSERT_EQUAL(std::string("101"), launch.custom.at("canvas_course_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("canvas"), launch.platform.productFamilyCode);
        CPPUNIT_ASSERT_EQUAL(std::string("en"), launch.locale);
    }

    void testMoodleDeepLinking() {
        const auto launch = validate(moodle_, moodle_.deepLinkingClaims(issue("n-3"), now_));
        CPPUNIT_ASSERT(launch.messageType == MessageType::DeepLinking);
        CPPUNIT_ASSERT(launch.roles.courseRole() == CourseRole::Instructor);
        CPPUNIT_ASSERT(!launch.resourceLink.has_value());
        const auto& dl = *launch.deepLinking;
        CPPUNIT_ASSERT_EQUAL(std::string("https://moodle.example.edu/mod/lti/"
                                         "contentitem_return.php?course=2&id=4&sesskey=Zq8XcV2b"),
                             dl.returnUrl);
        CPPUNIT_ASSERT(dl.accepts("ltiResourceLink"));
        CPPUNIT_ASSERT(dl.acceptMultiple);
        CPPUNIT_ASSERT_EQUAL(std::string("5,2,f7d1c8b6"), dl.data.value());
        CPPUNIT_ASSERT_EQUAL(size_t(1), dl.acceptMediaTypes.size());
    }

    void testCanvasDeepLinking() {
        const auto launch = validate(canvas_, canvas_.deepLinkingClaims(issue("n-4"), now_));
        CPPUNIT_ASSERT(launch.roles.courseRole() == CourseRole::Instructor);
        const auto& dl = *launch.deepLinking;
        CPPUNIT_ASSERT(!dl.acceptMultiple);
        CPPUNIT_ASSERT(dl.autoCreate);
        CPPUNIT_ASSERT_EQUAL(std::string("application/vnd.ims.lti.v1.ltilink"),
                             dl.acceptMediaTypes.at(0));
        CPPUNIT_ASSERT(dl.data->find("eyJ") == 0);
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://canvas.example.edu/courses/101/deep_linking_response?modal=true"),
            dl.returnUrl);
    }

    void testCanvasIssuerSharedByClients() {
        // Two Canvas developer keys share the issuer; each launch resolves its own registration.
        auto second = canvas_;
        second.clientId = "10000000000077";
        second.deploymentId = "91:aa";
        registrations_->add(second.registration(server_->url("/canvas/jwks")));
        const auto a = validate(second, second.resourceLinkClaims(issue("n-5"), now_));
        CPPUNIT_ASSERT_EQUAL(std::string("10000000000077"), a.clientId);
        CPPUNIT_ASSERT_EQUAL(std::string("91:aa"), a.deploymentId);
        // The first client's deployment is not registered for the second client.
        auto p = second.resourceLinkClaims(issue("n-6"), now_);
        p->set(claim::kDeploymentId, canvas_.deploymentId);
        ASSERT_LTI_ERROR(validate(second, p), ErrorCode::UnknownDeployment);
    }

    void testExpiredToken() {
        auto p = moodle_.resourceLinkClaims(issue("n-7"), now_ - 7200);
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::JwtExpired);
        // Within the allowed skew it still passes.
        auto q = moodle_.resourceLinkClaims(issue("n-8"), now_ - 3600);
        q->set("exp", static_cast<Poco::Int64>(now_ - 30));
        validate(moodle_, q);
        auto r = moodle_.resourceLinkClaims(issue("n-9"), now_);
        r->remove("exp");
        ASSERT_LTI_ERROR(validate(moodle_, r), ErrorCode::MissingClaim);
    }

    void testIssuedInTheFuture() {
        auto p = moodle_.resourceLinkClaims(issue("n-10"), now_ + 600);
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::JwtNotYetValid);
    }

    void testWrongAudience() {
        auto p = moodle_.resourceLinkClaims(issue("n-11"), now_);
        p->set("aud", "some-other-tool");
        LaunchExpectations fromLogin;
        fromLogin.clientId = moodle_.clientId;
        ASSERT_LTI_ERROR(validate(moodle_, p, fromLogin), ErrorCode::JwtWrongAudience);
        // Without the login's client id, an unknown audience matches no registration.
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::UnknownPlatform);
        p->set("aud", 42);
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::JwtWrongAudience);
    }

    void testAudArrayNeedsMatchingAzp() {
        auto p = canvas_.resourceLinkClaims(issue("n-12"), now_);
        Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
        aud->add(canvas_.clientId);
        aud->add(std::string("https://other.example.com"));
        p->set("aud", aud);
        p->remove("azp");
        ASSERT_LTI_ERROR(validate(canvas_, p), ErrorCode::JwtAzpMismatch);
        LaunchExpectations fromLogin;
        fromLogin.clientId = canvas_.clientId;
        ASSERT_LTI_ERROR(validate(canvas_, p, fromLogin), ErrorCode::JwtAzpMismatch);
        p->set("azp", "https://other.example.com");
        ASSERT_LTI_ERROR(validate(canvas_, p, fromLogin), ErrorCode::JwtAzpMismatch);
        ASSERT_LTI_ERROR(validate(canvas_, p), ErrorCode::UnknownPlatform);
        p->set("azp", canvas_.clientId);
        CPPUNIT_ASSERT_EQUAL(canvas_.clientId, validate(canvas_, p, fromLogin).clientId);
    }

    void testReplayedNonce() {
        const auto token = canvas_.sign(*canvas_.resourceLinkClaims(issue("n-13"), now_));
        validator_->validate(token);
        ASSERT_LTI_ERROR(validator_->validate(token), ErrorCode::NonceReplayed);
        // A nonce Assay never issued, or one that expired, is refused alike.
        ASSERT_LTI_ERROR(validate(canvas_, canvas_.resourceLinkClaims("never-issued", now_)),
                         ErrorCode::NonceReplayed);
        nonces_->issue("n-14", now_ + 10);
        now_ += 20;
        ASSERT_LTI_ERROR(validate(canvas_, canvas_.resourceLinkClaims("n-14", now_)),
                         ErrorCode::NonceReplayed);
        auto p = canvas_.resourceLinkClaims("", now_);
        ASSERT_LTI_ERROR(validate(canvas_, p), ErrorCode::NonceMissing);
        p->remove("nonce");
        ASSERT_LTI_ERROR(validate(canvas_, p), ErrorCode::NonceMissing);
    }

    void testUnknownKidSignedByStranger() {
        auto stranger = moodle_;
        stranger.key = test::sharedKey(2);
        stranger.kid = "stranger-key";
        ASSERT_LTI_ERROR(validate(stranger, moodle_.resourceLinkClaims(issue("n-15"), now_)),
                         ErrorCode::JwtUnknownKid);
        // The stranger borrowing the platform's kid fails on the signature instead.
        stranger.kid = moodle_.kid;
        ASSERT_LTI_ERROR(validate(stranger, moodle_.resourceLinkClaims(issue("n-16"), now_)),
                         ErrorCode::JwtBadSignature);
        // And the genuine launch with the same nonce still works afterwards.
        validate(moodle_, moodle_.resourceLinkClaims("n-16", now_));
    }

    void testAlgNone() {
        Object header;
        header.set("alg", "none");
        header.set("typ", "JWT");
        const auto token =
            test::rawToken(header, *moodle_.resourceLinkClaims(issue("n-17"), now_), "");
        ASSERT_LTI_ERROR(validator_->validate(token), ErrorCode::JwtAlgNotAllowed);
        header.set("kid", moodle_.kid);
        const auto withKid = test::rawToken(header, *moodle_.resourceLinkClaims("n-17", now_), "");
        ASSERT_LTI_ERROR(validator_->validate(withKid), ErrorCode::JwtAlgNotAllowed);
    }

    void testHs256WithPlatformPublicKey() {
        // The classic key-confusion attack: HMAC keyed with the platform's public key.
        const auto payload = moodle_.resourceLinkClaims(issue("n-18"), now_);
        Object header;
        header.set("alg", "HS256");
        header.set("typ", "JWT");
        header.set("kid", moodle_.kid);
        for (const std::string& secret :
             {moodle_.key.publicPem(), moodle_.jwks(), moodle_.key.modulusB64u()}) {
            const auto unsignedToken = test::rawToken(header, *payload, "");
            const auto input = unsignedToken.substr(0, unsignedToken.size() - 1);
            const auto token = input + "." + base64UrlEncode(test::hmacSha256(secret, input));
            ASSERT_LTI_ERROR(validator_->validate(token), ErrorCode::JwtAlgNotAllowed);
        }
    }

    void testMissingDeployment() {
        auto p = moodle_.resourceLinkClaims(issue("n-19"), now_);
        p->remove(claim::kDeploymentId);
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::MissingDeployment);
        p->set(claim::kDeploymentId, "");
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::MissingDeployment);
        p->set(claim::kDeploymentId, "999");
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::UnknownDeployment);
    }

    void testWrongVersion() {
        auto p = moodle_.resourceLinkClaims(issue("n-20"), now_);
        p->set(claim::kVersion, "1.1.0");
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::WrongVersion);
        p->set(claim::kVersion, "1.3");
        ASSERT_LTI_ERROR(validate(moodle_, p), ErrorCode::WrongVersion);
    }

    void testTamperedPayload() {
        const auto token = moodle_.sign(*moodle_.resourceLinkClaims(issue("n-21"), now_));
        // A student rewrites their roles to Instructor and keeps the signature.
        auto forged = moodle_.resourceLinkClaims("n-21", now_);
        Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
        roles->add(std::string("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"));
        forged->set(claim::kRoles, roles);
        std::ostringstream out;
        forged->stringify(out);
        const auto dot1 = token.find('.');
        const auto dot2 = token.find('.', dot1 + 1);
        const auto tampered =
            token.substr(0, dot1 + 1) + base64UrlEncode(out.str()) + token.substr(dot2);
        ASSERT_LTI_ERROR(validator_->validate(tampered), ErrorCode::JwtBadSignature);
        // The untampered token is still good: the refusal consumed nothing.
        CPPUNIT_ASSERT(validator_->validate(token).roles.courseRole() == CourseRole::Student);
    }

    void testMissingOrWrongClaims() {
        const auto expect = [&](const char* key, Poco::Dynamic::Var value, ErrorCode code,
                                bool remove) {
            auto p = moodle_.resourceLinkClaims(issue("n-22"), now_);
            if (remove)
                p->remove(key);
            else
                p->set(key, value);
            ASSERT_LTI_ERROR(validate(moodle_, p), code);
        };
        expect(claim::kMessageType, "LtiSubmissionReviewRequest", ErrorCode::WrongMessageType,
               false);
        expect(claim::kMessageType, {}, ErrorCode::MissingClaim, true);
        expect(claim::kVersion, {}, ErrorCode::MissingClaim, true);
        expect(claim::kRoles, {}, ErrorCode::MissingClaim, true);
        expect(claim::kRoles, "Instructor", ErrorCode::InvalidClaim, false);
        expect(claim::kResourceLink, {}, ErrorCode::MissingClaim, true);
        expect(claim::kResourceLink, test::parse(R"({"title":"no id"})"), ErrorCode::MissingClaim,
               false);
        expect(claim::kResourceLink, "5", ErrorCode::InvalidClaim, false);
        expect(claim::kTargetLinkUri, {}, ErrorCode::MissingClaim, true);
        expect(claim::kContext, test::parse(R"({"title":"no id"})"), ErrorCode::InvalidClaim,
               false);
        expect("sub", {}, ErrorCode::MissingClaim, true);
        expect("iss", {}, ErrorCode::MissingClaim, true);
        expect("iss", "https://unknown.example.org", ErrorCode::UnknownPlatform, false);
        expect("aud", {}, ErrorCode::MissingClaim, true);
        expect("nbf", static_cast<Poco::Int64>(now_ + 600), ErrorCode::JwtNotYetValid, false);
        auto dl = moodle_.deepLinkingClaims(issue("n-23"), now_);
        dl->getObject(claim::kDeepLinkingSettings)->remove("deep_link_return_url");
        ASSERT_LTI_ERROR(validate(moodle_, dl), ErrorCode::MissingClaim);
        dl->remove(claim::kDeepLinkingSettings);
        ASSERT_LTI_ERROR(validate(moodle_, dl), ErrorCode::MissingClaim);
        // Not a JWT at all.
        ASSERT_LTI_ERROR(validator_->validate("not-a-token"), ErrorCode::JwtMalformed);
    }

    void testExpectationsFromLogin() {
        LaunchExpectations e;
        e.issuer = "https://canvas.instructure.com";
        ASSERT_LTI_ERROR(validate(moodle_, moodle_.resourceLinkClaims(issue("n-24"), now_), e),
                         ErrorCode::JwtWrongIssuer);
        e = {};
        e.nonce = "n-other";
        ASSERT_LTI_ERROR(validate(moodle_, moodle_.resourceLinkClaims("n-24", now_), e),
                         ErrorCode::NonceReplayed);
        e = {};
        e.targetLinkUri = "https://assay.example.edu/lti/launch?assignment=elsewhere";
        ASSERT_LTI_ERROR(validate(moodle_, moodle_.resourceLinkClaims("n-24", now_), e),
                         ErrorCode::TargetLinkMismatch);
        e = {moodle_.issuer, moodle_.clientId, "n-24", "https://assay.example.edu/lti/launch"};
        CPPUNIT_ASSERT_EQUAL(std::string("17"),
                             validate(moodle_, moodle_.resourceLinkClaims("n-24", now_), e).userId);
    }

    void testRefusedTokenLeavesNonceUnused() {
        auto bad = moodle_.resourceLinkClaims(issue("n-25"), now_);
        bad->set(claim::kVersion, "2.0.0");
        ASSERT_LTI_ERROR(validate(moodle_, bad), ErrorCode::WrongVersion);
        CPPUNIT_ASSERT_EQUAL(std::string("17"),
                             validate(moodle_, moodle_.resourceLinkClaims("n-25", now_)).userId);
    }

  private:
    std::string issue(const std::string& nonce) {
        nonces_->issue(nonce, now_ + 600);
        return nonce;
    }
    LtiLaunch validate(const TestPlatform& platform, const Object::Ptr& payload,
                       const LaunchExpectations& expected = {}) {
        return validator_->validate(platform.sign(*payload), expected);
    }

    TestPlatform moodle_ = TestPlatform::moodle();
    TestPlatform canvas_ = TestPlatform::canvas();
    std::int64_t now_ = 1'800'000'000;
    std::unique_ptr<LoopbackHttpServer> server_;
    std::unique_ptr<test::MemoryRegistrations> registrations_;
    std::unique_ptr<CurlHttpClient> client_;
    std::unique_ptr<JwksCache> jwks_;
    std::unique_ptr<MemoryNonceStore> nonces_;
    std::unique_ptr<LaunchValidator> validator_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LaunchValidatorTest);
