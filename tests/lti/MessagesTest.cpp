// Messages the tool signs or sends: the Deep Linking response, the RFC 7523 client
// assertion and token request, and AGS score/line-item bodies and URLs. Signed messages are
// verified the way a platform would: against the tool's published JWKS.
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>
#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <set>

#include "LtiAssert.h"
#include "TempDir.h"
#include "TestPlatform.h"
#include "assay/lti/AgsScore.h"
#include "assay/lti/Claims.h"
#include "assay/lti/ClientAssertion.h"
#include "assay/lti/DeepLinkingResponse.h"
#include "assay/lti/Jwks.h"
#include "assay/lti/Jwt.h"
#include "assay/lti/ToolKeyStore.h"

using namespace assay::lti;
using Poco::JSON::Object;

namespace {

LtiLaunch deepLinkRequest(bool acceptMultiple, std::optional<std::string> data) {
    LtiLaunch l;
    l.messageType = MessageType::DeepLinking;
    l.issuer = "https://moodle.example.edu";
    l.clientId = "kY7r2Vd0mZ3sQp1";
    l.deploymentId = "3";
    DeepLinkingSettings s;
    s.returnUrl = "https://moodle.example.edu/mod/lti/contentitem_return.php?course=2&id=4";
    s.acceptTypes = {"ltiResourceLink"};
    s.acceptMultiple = acceptMultiple;
    s.data = std::move(data);
    l.deepLinking = s;
    return l;
}

DeepLinkResourceLink item(const std::string& id, double max) {
    DeepLinkResourceLink it;
    it.title = "Exercise " + id;
    it.url = "https://assay.example.edu/lti/launch?assignment=" + id;
    it.lineItem = DeepLinkLineItem{max, "Exercise " + id + " (auto-graded)", id, "assay"};
    it.custom = {{"assignment", id}};
    return it;
}

}  // namespace

class MessagesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MessagesTest);
    CPPUNIT_TEST(testDeepLinkingResponse);
    CPPUNIT_TEST(testDeepLinkingSeveralItems);
    CPPUNIT_TEST(testDeepLinkingRefusals);
    CPPUNIT_TEST(testClientAssertion);
    CPPUNIT_TEST(testTokenRequestBodyAndResponse);
    CPPUNIT_TEST(testScoresUrl);
    CPPUNIT_TEST(testScoreJson);
    CPPUNIT_TEST(testScoreRefusals);
    CPPUNIT_TEST(testLineItemJson);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        tmp_ = std::make_unique<test::TempDir>();
        keys_ = ToolKeyStore::open({tmp_->path(), "", 2048, systemNow});
    }
    void tearDown() override {
        keys_.reset();
        tmp_.reset();
    }

    void testDeepLinkingResponse() {
        const auto request = deepLinkRequest(false, std::string("5,2,f7d1c8b6"));
        const auto jwt = buildDeepLinkingResponse(keys_->signingKey(), request, {item("a-17", 10)},
                                                  {"Exercise linked", "", "", ""}, 1'800'000'000);
        const auto jws = verifiedByTool(jwt);
        const Object& p = *jws.payload;
        CPPUNIT_ASSERT_EQUAL(request.clientId, p.getValue<std::string>("iss"));
        CPPUNIT_ASSERT_EQUAL(request.issuer, p.getValue<std::string>("aud"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1'800'000'000), p.getValue<Poco::Int64>("iat"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1'800'000'300), p.getValue<Poco::Int64>("exp"));
        CPPUNIT_ASSERT(!p.getValue<std::string>("nonce").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("LtiDeepLinkingResponse"),
                             p.getValue<std::string>(claim::kMessageType));
        CPPUNIT_ASSERT_EQUAL(std::string("1.3.0"), p.getValue<std::string>(claim::kVersion));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), p.getValue<std::string>(claim::kDeploymentId));
        CPPUNIT_ASSERT_EQUAL(std::string("5,2,f7d1c8b6"), p.getValue<std::string>(claim::kDlData));
        CPPUNIT_ASSERT_EQUAL(std::string("Exercise linked"),
                             p.getValue<std::string>(claim::kDlMsg));
        const auto items = p.getArray(claim::kDlContentItems);
        CPPUNIT_ASSERT_EQUAL(size_t(1), items->size());
        const auto first = items->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("ltiResourceLink"), first->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/lti/launch?assignment=a-17"),
                             first->getValue<std::string>("url"));
        const auto li = first->getObject("lineItem");
        CPPUNIT_ASSERT(li);
        CPPUNIT_ASSERT_EQUAL(10.0, li->getValue<double>("scoreMaximum"));
        CPPUNIT_ASSERT_EQUAL(std::string("Exercise a-17 (auto-graded)"),
                             li->getValue<std::string>("label"));
        CPPUNIT_ASSERT_EQUAL(std::string("a-17"), li->getValue<std::string>("resourceId"));
        CPPUNIT_ASSERT_EQUAL(std::string("a-17"),
                             first->getObject("custom")->getValue<std::string>("assignment"));
        // Without data in the request, none is sent back.
        const auto bare = verifiedByTool(buildDeepLinkingResponse(
            keys_->signingKey(), deepLinkRequest(false, std::nullopt), {item("b", 5)}));
        CPPUNIT_ASSERT(!bare.payload->has(claim::kDlData));
    }

    void testDeepLinkingSeveralItems() {
        const auto jwt =
            buildDeepLinkingResponse(keys_->signingKey(), deepLinkRequest(true, std::string("d")),
                                     {item("a", 10), item("b", 20), item("c", 5)});
        const auto items = verifiedByTool(jwt).payload->getArray(claim::kDlContentItems);
        CPPUNIT_ASSERT_EQUAL(size_t(3), items->size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("b"),
            items->getObject(1)->getObject("lineItem")->getValue<std::string>("resourceId"));
        // An empty selection (the instructor cancelled) is a valid response too.
        const auto none =
            buildDeepLinkingResponse(keys_->signingKey(), deepLinkRequest(false, std::nullopt), {});
        CPPUNIT_ASSERT_EQUAL(
            size_t(0), verifiedByTool(none).payload->getArray(claim::kDlContentItems)->size());
    }

    void testDeepLinkingRefusals() {
        const auto key = keys_->signingKey();
        ASSERT_LTI_ERROR(buildDeepLinkingResponse(key, deepLinkRequest(false, std::nullopt),
                                                  {item("a", 1), item("b", 1)}),
                         ErrorCode::DeepLinkNotAllowed);
        auto htmlOnly = deepLinkRequest(true, std::nullopt);
        htmlOnly.deepLinking->acceptTypes = {"html", "link"};
        ASSERT_LTI_ERROR(buildDeepLinkingResponse(key, htmlOnly, {item("a", 1)}),
                         ErrorCode::DeepLinkNotAllowed);
        auto launch = deepLinkRequest(true, std::nullopt);
        launch.messageType = MessageType::ResourceLink;
        ASSERT_LTI_ERROR(buildDeepLinkingResponse(key, launch, {item("a", 1)}),
                         ErrorCode::InvalidArgument);
        ASSERT_LTI_ERROR(
            buildDeepLinkingResponse(key, deepLinkRequest(true, std::nullopt), {item("a", 0)}),
            ErrorCode::InvalidArgument);
    }

    void testClientAssertion() {
        const auto key = keys_->signingKey();
        std::set<std::string> jtis;
        for (const std::string url :
             {"https://canvas.example.edu/login/oauth2/token",
              "https://moodle.example.edu/mod/lti/token.php", "https://lms.example.org/token/"}) {
            const auto jws =
                verifiedByTool(buildClientAssertion(key, "10000000000042", url, 1'800'000'000));
            const Object& p = *jws.payload;
            CPPUNIT_ASSERT_EQUAL(url, p.getValue<std::string>("aud"));  // exactly, slash or not
            CPPUNIT_ASSERT_EQUAL(std::string("10000000000042"), p.getValue<std::string>("iss"));
            CPPUNIT_ASSERT_EQUAL(std::string("10000000000042"), p.getValue<std::string>("sub"));
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(300),
                                 p.getValue<Poco::Int64>("exp") - p.getValue<Poco::Int64>("iat"));
            jtis.insert(p.getValue<std::string>("jti"));
        }
        for (int i = 0; i < 50; ++i)
            jtis.insert(parseCompactJws(buildClientAssertion(key, "c", "https://t.example/token"))
                            .payload->getValue<std::string>("jti"));
        CPPUNIT_ASSERT_EQUAL(size_t(53), jtis.size());
        ASSERT_LTI_ERROR(buildClientAssertion(key, "", "https://t.example/token"),
                         ErrorCode::InvalidArgument);
    }

    void testTokenRequestBodyAndResponse() {
        const auto assertion =
            buildClientAssertion(keys_->signingKey(), "c1", "https://t.example/token");
        const auto body =
            clientCredentialsRequestBody(assertion, {claim::kScopeScore, claim::kScopeLineItem});
        Poco::URI form("http://x/?" + body);
        std::map<std::string, std::string> fields;
        for (const auto& [k, v] : form.getQueryParameters())
            fields[k] = v;
        CPPUNIT_ASSERT_EQUAL(std::string("client_credentials"), fields.at("grant_type"));
        CPPUNIT_ASSERT_EQUAL(std::string("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                             fields.at("client_assertion_type"));
        CPPUNIT_ASSERT_EQUAL(assertion, fields.at("client_assertion"));
        CPPUNIT_ASSERT_EQUAL(std::string(claim::kScopeScore) + " " + claim::kScopeLineItem,
                             fields.at("scope"));

        const auto token = parseAccessTokenResponse(
            R"({"access_token":"abc.def","token_type":"Bearer","expires_in":3600,"scope":"s"})",
            1000);
        CPPUNIT_ASSERT_EQUAL(std::string("abc.def"), token.token);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(4600), token.expiresAt);
        ASSERT_LTI_ERROR(parseAccessTokenResponse(R"({"error":"invalid_client"})"),
                         ErrorCode::InvalidArgument);
        ASSERT_LTI_ERROR(parseAccessTokenResponse("<html>"), ErrorCode::InvalidArgument);
    }

    void testScoresUrl() {
        CPPUNIT_ASSERT_EQUAL(std::string("https://moodle.example.edu/mod/lti/services.php/2/"
                                         "lineitems/7/lineitem/scores?type_id=4"),
                             scoresUrl("https://moodle.example.edu/mod/lti/services.php/2/"
                                       "lineitems/7/lineitem?type_id=4"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://canvas.example.edu/api/lti/courses/101/line_items/33/scores"),
            scoresUrl("https://canvas.example.edu/api/lti/courses/101/line_items/33"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "https://canvas.example.edu/api/lti/courses/101/line_items/33/scores?a=1&b=2"),
            scoresUrl("https://canvas.example.edu/api/lti/courses/101/line_items/33?a=1&b=2"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://lms.example.org/items/9/scores"),
                             scoresUrl("https://lms.example.org/items/9/"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://lms.example.org/items/9/scores#x"),
                             scoresUrl("https://lms.example.org/items/9#x"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://lms.example.org/scores?q=1"),
                             scoresUrl("https://lms.example.org?q=1"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8080/li/1/results?x=/y"),
                             resultsUrl("http://127.0.0.1:8080/li/1?x=/y"));
        for (const char* bad :
             {"", "/relative/path", "ftp://lms/x", "https://", "https:///x", "lineitem?x=1"})
            ASSERT_LTI_ERROR(scoresUrl(bad), ErrorCode::AgsInvalidUrl);
    }

    void testScoreJson() {
        CPPUNIT_ASSERT_EQUAL(std::string("2023-11-14T22:13:20.123Z"),
                             iso8601Millis(1'700'000'000'123));
        CPPUNIT_ASSERT_EQUAL(std::string("1970-01-01T00:00:00.000Z"), iso8601Millis(0));
        CPPUNIT_ASSERT_EQUAL(std::string("1969-12-31T23:59:59.999Z"), iso8601Millis(-1));
        Score s;
        s.userId = "8e1b0c52-6c0a-4f0e-9d54-3f5f2d7c1b22";
        s.scoreGiven = 7.5;
        s.scoreMaximum = 10;
        s.timestampMillis = 1'700'000'000'045;
        s.comment = "3 of 4 tests passed";
        s.submittedAtMillis = 1'699'999'000'000;
        const auto o = test::parse(scoreJson(s));
        CPPUNIT_ASSERT_EQUAL(s.userId, o->getValue<std::string>("userId"));
        CPPUNIT_ASSERT_EQUAL(7.5, o->getValue<double>("scoreGiven"));
        CPPUNIT_ASSERT_EQUAL(10.0, o->getValue<double>("scoreMaximum"));
        CPPUNIT_ASSERT_EQUAL(std::string("Completed"),
                             o->getValue<std::string>("activityProgress"));
        CPPUNIT_ASSERT_EQUAL(std::string("FullyGraded"),
                             o->getValue<std::string>("gradingProgress"));
        CPPUNIT_ASSERT_EQUAL(std::string("2023-11-14T22:13:20.045Z"),
                             o->getValue<std::string>("timestamp"));
        CPPUNIT_ASSERT(std::regex_match(o->getValue<std::string>("timestamp"),
                                        std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
        CPPUNIT_ASSERT_EQUAL(s.comment, o->getValue<std::string>("comment"));
        CPPUNIT_ASSERT_EQUAL(std::string("2023-11-14T21:56:40.000Z"),
                             o->getObject("submission")->getValue<std::string>("submittedAt"));
        CPPUNIT_ASSERT_EQUAL(std::string("2023-11-14T21:56:40.000Z"),
                             o->getObject("https://canvas.instructure.com/lti/submission")
                                 ->getValue<std::string>("submitted_at"));
        // A progress-only score carries no numbers and no comment.
        Score pending;
        pending.userId = "17";
        pending.activityProgress = ActivityProgress::Submitted;
        pending.gradingProgress = GradingProgress::Pending;
        const auto q = test::parse(scoreJson(pending));
        CPPUNIT_ASSERT(!q->has("scoreGiven") && !q->has("scoreMaximum") && !q->has("comment"));
        CPPUNIT_ASSERT_EQUAL(std::string("Submitted"),
                             q->getValue<std::string>("activityProgress"));
        CPPUNIT_ASSERT_EQUAL(std::string("Pending"), q->getValue<std::string>("gradingProgress"));
        CPPUNIT_ASSERT(!q->has("submission"));
    }

    void testScoreRefusals() {
        Score s;
        s.scoreGiven = 1;
        s.scoreMaximum = 1;
        ASSERT_LTI_ERROR(scoreJson(s), ErrorCode::InvalidArgument);  // no userId
        s.userId = "17";
        s.scoreMaximum.reset();
        ASSERT_LTI_ERROR(scoreJson(s), ErrorCode::InvalidArgument);
        s.scoreMaximum = 0;
        ASSERT_LTI_ERROR(scoreJson(s), ErrorCode::InvalidArgument);
        s.scoreMaximum = 10;
        s.scoreGiven = -1;
        ASSERT_LTI_ERROR(scoreJson(s), ErrorCode::InvalidArgument);
        s.scoreGiven = std::nan("");
        ASSERT_LTI_ERROR(scoreJson(s), ErrorCode::InvalidArgument);
        s.scoreGiven = 12;  // extra credit above the maximum is allowed by AGS
        CPPUNIT_ASSERT_EQUAL(12.0, test::parse(scoreJson(s))->getValue<double>("scoreGiven"));
    }

    void testLineItemJson() {
        const auto o = test::parse(lineItemJson({25, "Loops", "a-17", "assay", "5"}));
        CPPUNIT_ASSERT_EQUAL(25.0, o->getValue<double>("scoreMaximum"));
        CPPUNIT_ASSERT_EQUAL(std::string("Loops"), o->getValue<std::string>("label"));
        CPPUNIT_ASSERT_EQUAL(std::string("a-17"), o->getValue<std::string>("resourceId"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), o->getValue<std::string>("resourceLinkId"));
        ASSERT_LTI_ERROR(lineItemJson({0, "x", "", "", ""}), ErrorCode::InvalidArgument);
        ASSERT_LTI_ERROR(lineItemJson({10, "", "", "", ""}), ErrorCode::InvalidArgument);
    }

  private:
    // Parses and verifies a token with the key its kid names in the tool's published JWKS.
    Jws verifiedByTool(const std::string& token) {
        auto jws = parseCompactJws(token);
        CPPUNIT_ASSERT_EQUAL(std::string("RS256"), jws.alg);
        const auto jwks = Jwks::parse(keys_->publicJwks());
        const auto* entry = jwks.find(jws.kid);
        CPPUNIT_ASSERT(entry != nullptr);
        verifyRs256(jws, entry->key);
        return jws;
    }

    std::unique_ptr<test::TempDir> tmp_;
    std::unique_ptr<ToolKeyStore> keys_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MessagesTest);
