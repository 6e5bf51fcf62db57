// NRPS 2.0 membership containers as Moodle and Canvas return them, Link-header paging, and
// the HTTP client capturing response headers from a real server on loopback.
#include <cppunit/extensions/HelperMacros.h>

#include "LoopbackHttpServer.h"
#include "LtiAssert.h"
#include "assay/lti/HttpClient.h"
#include "assay/lti/NrpsRoster.h"

using namespace assay::lti;
using assay::lti::test::LoopbackHttpServer;

namespace {

const char* kMoodlePage = R"({
  "id": "https://moodle.example.edu/mod/lti/services.php/CourseSection/2/bindings/4/memberships",
  "context": {"id": "2", "label": "PY101", "title": "Programming in Python"},
  "members": [
    {"name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace",
     "email": "ada@moodle.example.edu", "user_id": "3",
     "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]},
    {"name": "Grace Hopper", "given_name": "Grace", "family_name": "Hopper",
     "email": "grace@moodle.example.edu", "user_id": "17",
     "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
    {"name": "No Id", "roles": []}
  ]
})";

const char* kCanvasPage = R"({
  "id": "https://canvas.example.edu/api/lti/courses/101/names_and_roles",
  "context": {"id": "4dde05e8ca1973bcca9bffc13e1548820eee93a3", "label": "CS1",
              "title": "Introduction to Computing"},
  "members": [
    {"status": "Active", "name": "Grace Hopper", "picture": "https://canvas.example.edu/images/x.png",
     "given_name": "Grace", "family_name": "Hopper", "email": "grace@canvas.example.edu",
     "lis_person_sourcedid": "S1234", "user_id": "8e1b0c52-6c0a-4f0e-9d54-3f5f2d7c1b22",
     "lti11_legacy_user_id": "a7e8f1d0c2b3",
     "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
    {"status": "Inactive", "name": "Dropped Student", "user_id": "f00",
     "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
    {"status": "Active", "name": "Tea Assistant", "user_id": "t-1",
     "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"]}
  ]
})";

}  // namespace

class NrpsRosterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(NrpsRosterTest);
    CPPUNIT_TEST(testMoodleContainer);
    CPPUNIT_TEST(testCanvasContainer);
    CPPUNIT_TEST(testLinkHeaders);
    CPPUNIT_TEST(testRefusals);
    CPPUNIT_TEST(testPagingOverHttp);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testMoodleContainer() {
        const auto page = parseMembershipPage(kMoodlePage);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), page.contextId);
        CPPUNIT_ASSERT_EQUAL(size_t(2),
                             page.members.size());  // the entry without user_id is skipped
        CPPUNIT_ASSERT(page.members[0].roles.courseRole() == CourseRole::Instructor);
        CPPUNIT_ASSERT_EQUAL(std::string("17"), page.members[1].userId);
        CPPUNIT_ASSERT_EQUAL(std::string("Active"), page.members[1].status);
        CPPUNIT_ASSERT(page.members[1].roles.courseRole() == CourseRole::Student);
        CPPUNIT_ASSERT(page.nextUrl.empty());
    }

    void testCanvasContainer() {
        const auto page = parseMembershipPage(
            kCanvasPage,
            "<https://canvas.example.edu/api/lti/courses/101/names_and_roles?page=2&per_page=3>; "
            "rel=\"next\",<https://canvas.example.edu/api/lti/courses/101/names_and_roles?page=1"
            "&per_page=3>; rel=\"first\"");
        CPPUNIT_ASSERT_EQUAL(size_t(3), page.members.size());
        CPPUNIT_ASSERT_EQUAL(std::string("S1234"), page.members[0].lisPersonSourcedId);
        CPPUNIT_ASSERT_EQUAL(std::string("Inactive"), page.members[1].status);
        CPPUNIT_ASSERT(page.members[2].roles.courseRole() == CourseRole::Instructor);
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "https://canvas.example.edu/api/lti/courses/101/names_and_roles?page=2&per_page=3"),
            page.nextUrl);
    }

    void testLinkHeaders() {
        CPPUNIT_ASSERT_EQUAL(std::string("https://lms/m?from=10"),
                             linkRelUrl("<https://lms/m?from=10>; rel=next"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://lms/a,b?x=1"),
            linkRelUrl("<https://lms/first>; rel=\"first\", <https://lms/a,b?x=1>; rel=\"next\""));
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://lms/d"),
            linkRelUrl("<https://lms/d>; title=\"a, b; c\"; rel=\"differences next\""));
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://lms/d"),
            linkRelUrl("<https://lms/d>; rel=\"differences next\"", "differences"));
        CPPUNIT_ASSERT(linkRelUrl("<https://lms/x>; rel=\"prev\"").empty());
        CPPUNIT_ASSERT(linkRelUrl("").empty());
        CPPUNIT_ASSERT(linkRelUrl("garbage; rel=next").empty());
        CPPUNIT_ASSERT(linkRelUrl("<https://lms/x>; rel=nextpage").empty());
    }

    void testRefusals() {
        ASSERT_LTI_ERROR(parseMembershipPage("{}"), ErrorCode::InvalidClaim);
        ASSERT_LTI_ERROR(parseMembershipPage(R"({"members":{}})"), ErrorCode::InvalidClaim);
        ASSERT_LTI_ERROR(parseMembershipPage(R"({"members":[1]})"), ErrorCode::InvalidClaim);
        ASSERT_LTI_ERROR(parseMembershipPage("<html>"), ErrorCode::InvalidClaim);
    }

    void testPagingOverHttp() {
        LoopbackHttpServer server;
        std::string link = server.url("/nrps2");
        link.append("?from=2>; rel=\"next\"");
        link.insert(link.begin(), '<');
        server.setRoute("/nrps", {200, kMembershipMediaType, kMoodlePage, 0, {{"Link", link}}});
        server.setRoute("/nrps2", {200, kMembershipMediaType, kCanvasPage, 0, {}});
        CurlHttpOptions opts;
        opts.allowPlainHttp = true;
        CurlHttpClient client(opts);
        std::string url = server.url("/nrps");
        std::size_t total = 0;
        int pages = 0;
        while (!url.empty() && pages < 10) {
            const auto resp = client.send({"GET", url, {{"Accept", kMembershipMediaType}}, {}});
            CPPUNIT_ASSERT_EQUAL(200L, resp.status);
            const auto page = parseMembershipPage(resp.body, resp.header("link"));
            total += page.members.size();
            url = page.nextUrl;
            ++pages;
        }
        CPPUNIT_ASSERT_EQUAL(2, pages);
        CPPUNIT_ASSERT_EQUAL(size_t(5), total);
        CPPUNIT_ASSERT_EQUAL(std::string("/nrps2?from=2"), server.requests().back().uri);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NrpsRosterTest);
