// State, Activity Profile and Agent Profile resources with ETag concurrency, and the Agents
// and Activities resources, over real HTTP.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include "LrsHost.h"

using assay::test::LrsHost;

namespace {

std::string enc(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]{}\" ", out);
    return out;
}

const std::string kAgent = R"({"objectType":"Agent","mbox":"mailto:ann@example.edu","name":"Ann"})";
const std::string kActivity = "http://example.edu/a/1";

}  // namespace

class LrsDocumentsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LrsDocumentsTest);
    CPPUNIT_TEST(testState);
    CPPUNIT_TEST(testActivityProfileConcurrency);
    CPPUNIT_TEST(testAgentProfileAndAgents);
    CPPUNIT_TEST(testActivities);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override { lrs_ = std::make_unique<LrsHost>(); }
    void tearDown() override { lrs_.reset(); }

    void testState() {
        const std::string base =
            "/xapi/activities/state?activityId=" + enc(kActivity) + "&agent=" + enc(kAgent);
        const std::string doc = base + "&stateId=bookmark";
        auto put = lrs_->lrs("PUT", doc, R"({"page":1})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 204, put.status);
        const std::string etag = put.headers["etag"];
        CPPUNIT_ASSERT(!etag.empty());
        auto get = lrs_->lrs("GET", doc);
        CPPUNIT_ASSERT_EQUAL(200, get.status);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"page":1})"), get.body);
        CPPUNIT_ASSERT_EQUAL(etag, get.headers["etag"]);
        CPPUNIT_ASSERT(get.headers.count("last-modified"));
        // POST merges JSON objects.
        CPPUNIT_ASSERT_EQUAL(204, lrs_->lrs("POST", doc, R"({"done":true})").status);
        auto merged = lrs_->lrs("GET", doc).json();
        CPPUNIT_ASSERT_EQUAL(1, merged->getValue<int>("page"));
        CPPUNIT_ASSERT(merged->getValue<bool>("done"));
        // POST of JSON over a non-JSON document is refused.
        CPPUNIT_ASSERT_EQUAL(204, lrs_->lrs("PUT", base + "&stateId=blob", "raw bytes", {}, "1.0.3",
                                            "application/octet-stream")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("POST", base + "&stateId=blob", R"({"a":1})").status);
        // Registration scopes documents.
        const std::string reg = "&registration=6c0d4a3e-9c8b-4f4e-8a7e-1b2c3d4e5f60";
        CPPUNIT_ASSERT_EQUAL(404, lrs_->lrs("GET", doc + reg).status);
        // Listing ids, then deleting all.
        auto list = lrs_->lrs("GET", base);
        CPPUNIT_ASSERT_EQUAL(200, list.status);
        CPPUNIT_ASSERT(list.body.find("bookmark") != std::string::npos &&
                       list.body.find("blob") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(204, lrs_->lrs("DELETE", doc).status);
        CPPUNIT_ASSERT_EQUAL(404, lrs_->lrs("GET", doc).status);
        CPPUNIT_ASSERT_EQUAL(204, lrs_->lrs("DELETE", base).status);
        CPPUNIT_ASSERT_EQUAL(std::string("[]"), lrs_->lrs("GET", base).body);
        // Missing and malformed parameters.
        CPPUNIT_ASSERT_EQUAL(
            400, lrs_->lrs("GET", "/xapi/activities/state?activityId=" + enc(kActivity)).status);
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("GET", base + "&stateId=x&registration=nope").status);
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("GET", doc, "", {}, "").status);
    }

    void testActivityProfileConcurrency() {
        const std::string doc =
            "/xapi/activities/profile?activityId=" + enc(kActivity) + "&profileId=rubric";
        auto created = lrs_->lrs("PUT", doc, R"({"v":1})", {{"If-None-Match", "*"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 204, created.status);
        const std::string etag = created.headers["etag"];
        // Overwriting without a precondition: 409. Stale or wrong preconditions: 412.
        CPPUNIT_ASSERT_EQUAL(409, lrs_->lrs("PUT", doc, R"({"v":2})").status);
        CPPUNIT_ASSERT_EQUAL(412,
                             lrs_->lrs("PUT", doc, R"({"v":2})", {{"If-None-Match", "*"}}).status);
        CPPUNIT_ASSERT_EQUAL(
            412, lrs_->lrs("PUT", doc, R"({"v":2})", {{"If-Match", "\"0000\""}}).status);
        auto updated = lrs_->lrs("PUT", doc, R"({"v":2})", {{"If-Match", etag}});
        CPPUNIT_ASSERT_EQUAL(204, updated.status);
        CPPUNIT_ASSERT(updated.headers["etag"] != etag);
        // The old tag is stale now.
        CPPUNIT_ASSERT_EQUAL(412, lrs_->lrs("PUT", doc, R"({"v":3})", {{"If-Match", etag}}).status);
        CPPUNIT_ASSERT_EQUAL(412, lrs_->lrs("DELETE", doc, "", {{"If-Match", etag}}).status);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"v":2})"), lrs_->lrs("GET", doc).body);
        CPPUNIT_ASSERT_EQUAL(
            204, lrs_->lrs("DELETE", doc, "", {{"If-Match", updated.headers["etag"]}}).status);
        CPPUNIT_ASSERT_EQUAL(404, lrs_->lrs("GET", doc).status);
        // If-Match on a missing document fails.
        CPPUNIT_ASSERT_EQUAL(412, lrs_->lrs("PUT", doc, R"({"v":4})", {{"If-Match", "*"}}).status);
    }

    void testAgentProfileAndAgents() {
        const std::string doc = "/xapi/agents/profile?agent=" + enc(kAgent) + "&profileId=prefs";
        CPPUNIT_ASSERT_EQUAL(204, lrs_->lrs("PUT", doc, R"({"theme":"dark"})").status);
        CPPUNIT_ASSERT_EQUAL(409, lrs_->lrs("PUT", doc, R"({"theme":"light"})").status);
        auto get = lrs_->lrs("GET", doc);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"theme":"dark"})"), get.body);
        CPPUNIT_ASSERT_EQUAL(
            204, lrs_->lrs("PUT", doc, R"({"theme":"light"})", {{"If-Match", get.headers["etag"]}})
                     .status);
        auto list = lrs_->lrs("GET", "/xapi/agents/profile?agent=" + enc(kAgent));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(["prefs"])"), list.body);
        // A Group is not an agent for profiles.
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("GET", "/xapi/agents/profile?agent=" +
                                                       enc(R"({"objectType":"Group","member":[]})"))
                                      .status);
        auto person = lrs_->lrs("GET", "/xapi/agents?agent=" + enc(kAgent));
        CPPUNIT_ASSERT_EQUAL(200, person.status);
        auto p = person.json();
        CPPUNIT_ASSERT_EQUAL(std::string("Person"), p->getValue<std::string>("objectType"));
        CPPUNIT_ASSERT_EQUAL(std::string("mailto:ann@example.edu"),
                             p->getArray("mbox")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("GET", "/xapi/agents").status);
    }

    void testActivities() {
        const std::string s =
            R"({"actor":{"mbox":"mailto:ann@example.edu"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":")" +
            kActivity + R"(","definition":{"name":{"en-US":"Loops"}}}})";
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements", s).status);
        const std::string s2 =
            R"({"actor":{"mbox":"mailto:ann@example.edu"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":")" +
            kActivity + R"(","definition":{"name":{"de-DE":"Schleifen"}}}})";
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements", s2).status);
        auto a = lrs_->lrs("GET", "/xapi/activities?activityId=" + enc(kActivity));
        CPPUNIT_ASSERT_EQUAL(200, a.status);
        auto name = a.json()->getObject("definition")->getObject("name");
        CPPUNIT_ASSERT_EQUAL(std::string("Loops"), name->getValue<std::string>("en-US"));
        CPPUNIT_ASSERT_EQUAL(std::string("Schleifen"), name->getValue<std::string>("de-DE"));
        auto unknown =
            lrs_->lrs("GET", "/xapi/activities?activityId=" + enc("http://example.edu/none"));
        CPPUNIT_ASSERT_EQUAL(200, unknown.status);
        CPPUNIT_ASSERT_EQUAL(400,
                             lrs_->lrs("GET", "/xapi/activities?activityId=not-an-iri").status);
        // canonical format uses the LRS's definition and one language.
        auto c = lrs_->lrs("GET", "/xapi/statements?format=canonical&limit=1", "",
                           {{"Accept-Language", "de-DE"}});
        auto def = c.json()
                       ->getArray("statements")
                       ->getObject(0)
                       ->getObject("object")
                       ->getObject("definition");
        CPPUNIT_ASSERT_EQUAL(std::string("Schleifen"),
                             def->getObject("name")->getValue<std::string>("de-DE"));
        CPPUNIT_ASSERT(!def->getObject("name")->has("en-US"));
    }

  private:
    std::unique_ptr<LrsHost> lrs_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LrsDocumentsTest);
