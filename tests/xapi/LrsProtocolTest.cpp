// The LRS over real HTTP: the alternate request syntax of xAPI 1.0.3, credential scopes
// (statements/read/mine, define, 403s), StatementRef chains in filtered queries, concurrent
// writers of one statement id, and the "launched" statement of an LTI launch event.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <latch>
#include <set>
#include <thread>

#include "LrsHost.h"
#include "assay/xapi/Identity.h"

using assay::test::HttpResult;
using assay::test::LrsHost;
using assay::test::waitFor;

namespace {

const char* kAuth = assay::test::kLrsAuthHeader;
const std::string kAnn = R"({"mbox":"mailto:ann@example.edu"})";
const std::string kBob = R"({"mbox":"mailto:bob@example.edu"})";
const std::string kCarl = R"({"mbox":"mailto:carl@example.edu"})";
const std::string kDan = R"({"mbox":"mailto:dan@example.edu"})";
const std::string kExperienced = "http://adlnet.gov/expapi/verbs/experienced";
const std::string kCommented = "http://adlnet.gov/expapi/verbs/commented";
const std::string kVoided = "http://adlnet.gov/expapi/verbs/voided";
const std::string kA1 = "http://example.edu/a/1";

std::string enc(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]{}\" ", out);
    return out;
}

// application/x-www-form-urlencoded, spaces as '+'.
std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        std::string e = enc(v);
        std::string plus;
        for (size_t i = 0; i < e.size(); ++i) {
            if (e.compare(i, 3, "%20") == 0) {
                plus += '+';
                i += 2;
            } else {
                plus += e[i];
            }
        }
        out += (out.empty() ? "" : "&") + enc(k) + "=" + plus;
    }
    return out;
}

std::string stmt(const std::string& id, const std::string& actor, const std::string& verb,
                 const std::string& object) {
    std::string s = "{";
    if (!id.empty()) s += "\"id\":\"" + id + "\",";
    return s + "\"actor\":" + actor + ",\"verb\":{\"id\":\"" + verb + "\"},\"object\":" + object +
           "}";
}

std::string activity(const std::string& id, const std::string& name = "") {
    if (name.empty()) return "{\"id\":\"" + id + "\"}";
    return "{\"id\":\"" + id + "\",\"definition\":{\"name\":{\"en-US\":\"" + name + "\"}}}";
}

std::string statementRef(const std::string& id) {
    return "{\"objectType\":\"StatementRef\",\"id\":\"" + id + "\"}";
}

std::set<std::string> idsOf(const HttpResult& r) {
    std::set<std::string> out;
    auto arr = r.json()->getArray("statements");
    for (size_t i = 0; i < arr->size(); ++i)
        out.insert(arr->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
    return out;
}

}  // namespace

// Two requests released at the same instant from two threads.
template <typename F1, typename F2>
std::pair<HttpResult, HttpResult> atOnce(F1 first, F2 second) {
    std::latch start(2);
    HttpResult r1, r2;
    std::thread t1([&] {
        start.arrive_and_wait();
        r1 = first();
    });
    std::thread t2([&] {
        start.arrive_and_wait();
        r2 = second();
    });
    t1.join();
    t2.join();
    return {r1, r2};
}

class LrsProtocolTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LrsProtocolTest);
    CPPUNIT_TEST(testAlternateSyntaxStatements);
    CPPUNIT_TEST(testAlternateSyntaxOtherResources);
    CPPUNIT_TEST(testAlternateSyntaxRefusals);
    CPPUNIT_TEST(testScopesReadMine);
    CPPUNIT_TEST(testScopeDefine);
    CPPUNIT_TEST(testScopesRefused);
    CPPUNIT_TEST(testStatementRefChains);
    CPPUNIT_TEST(testStatementRefChainsOutOfOrderAndVoiding);
    CPPUNIT_TEST(testChainsOfEarlierDataAfterTheUpgrade);
    CPPUNIT_TEST(testConcurrentWritersOfOneId);
    CPPUNIT_TEST(testConcurrentLinksOfOneChain);
    CPPUNIT_TEST(testLtiLaunchBecomesLaunched);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override { lrs_ = std::make_unique<LrsHost>(); }
    void tearDown() override { lrs_.reset(); }

    // A POST in the alternate syntax: no Authorization or version header on the request itself.
    HttpResult alternate(const std::string& path, const std::string& method,
                         std::vector<std::pair<std::string, std::string>> fields,
                         const std::string& version = "1.0.3", std::string auth = "") {
        if (auth.empty()) auth = lrs_->basic;
        fields.emplace_back("Authorization", auth);
        if (!version.empty()) fields.emplace_back("X-Experience-API-Version", version);
        return lrs_->lrs("POST", path + "?method=" + method, form(fields), {{kAuth, ""}}, "",
                         "application/x-www-form-urlencoded");
    }

    void testAlternateSyntaxStatements() {
        const std::string id = assay::xapi::randomUuid();
        // PUT carried in a form: statementId and content are form parameters.
        auto put = alternate("/xapi/statements", "PUT",
                             {{"statementId", id},
                              {"Content-Type", "application/json"},
                              {"content", stmt("", kAnn, kExperienced, activity(kA1, "A one"))}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 204, put.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.3"), put.headers["x-experience-api-version"]);
        // The ordinary syntax sees it, with the form credential as authority.
        auto got = lrs_->lrs("GET", "/xapi/statements?statementId=" + id);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(got.body, 200, got.status);
        CPPUNIT_ASSERT_EQUAL(std::string("A one"), got.json()
                                                       ->getObject("object")
                                                       ->getObject("definition")
                                                       ->getObject("name")
                                                       ->getValue<std::string>("en-US"));
        // POST (no content type in the form: JSON) answers the ids.
        auto post =
            alternate("/xapi/statements", "POST",
                      {{"content", "[" + stmt("", kBob, kExperienced, activity(kA1)) + "]"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(post.body, 200, post.status);
        CPPUNIT_ASSERT(post.body.size() == 40 && post.body.front() == '[');
        // GET with filters in the form, e.g. for a query string too long for a URL.
        auto get = alternate("/xapi/statements", "GET", {{"agent", kAnn}, {"verb", kExperienced}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(get.body, 200, get.status);
        CPPUNIT_ASSERT(idsOf(get) == std::set<std::string>{id});
        CPPUNIT_ASSERT(get.headers.count("x-experience-api-consistent-through"));
        auto single = alternate("/xapi/statements", "GET", {{"statementId", id}});
        CPPUNIT_ASSERT_EQUAL(200, single.status);
        CPPUNIT_ASSERT_EQUAL(id, single.json()->getValue<std::string>("id"));
        auto head = alternate("/xapi/statements", "HEAD", {{"statementId", id}});
        CPPUNIT_ASSERT_EQUAL(200, head.status);
        CPPUNIT_ASSERT(head.body.empty());
        // A conflicting PUT through the form is still a conflict.
        auto conflict = alternate(
            "/xapi/statements", "PUT",
            {{"statementId", id}, {"content", stmt("", kBob, kExperienced, activity(kA1))}});
        CPPUNIT_ASSERT_EQUAL(409, conflict.status);
        // The form's credential is checked like the header's: a reader cannot write.
        const std::string reader = lrs_->issueCredential("reader", "[\"statements/read\"]");
        auto denied =
            alternate("/xapi/statements", "POST",
                      {{"content", stmt("", kAnn, kExperienced, activity(kA1))}}, "1.0.3", reader);
        CPPUNIT_ASSERT_EQUAL(403, denied.status);
        auto anonymous = lrs_->lrs("POST", "/xapi/statements?method=GET",
                                   form({{"X-Experience-API-Version", "1.0.3"}}), {{kAuth, ""}}, "",
                                   "application/x-www-form-urlencoded");
        CPPUNIT_ASSERT_EQUAL(401, anonymous.status);
    }

    void testAlternateSyntaxOtherResources() {
        const std::string agent = kAnn;
        const std::vector<std::pair<std::string, std::string>> where = {
            {"activityId", kA1}, {"agent", agent}, {"stateId", "bookmark"}};
        auto with = [&](std::vector<std::pair<std::string, std::string>> extra) {
            auto f = where;
            f.insert(f.end(), extra.begin(), extra.end());
            return f;
        };
        auto put = alternate("/xapi/activities/state", "PUT",
                             with({{"Content-Type", "text/plain"}, {"content", "page 7 + more"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 204, put.status);
        auto got = lrs_->lrs("GET", "/xapi/activities/state?activityId=" + enc(kA1) +
                                        "&agent=" + enc(agent) + "&stateId=bookmark");
        CPPUNIT_ASSERT_EQUAL(200, got.status);
        CPPUNIT_ASSERT_EQUAL(std::string("page 7 + more"), got.body);
        const std::string etag = got.headers["etag"];
        auto viaForm = alternate("/xapi/activities/state", "GET", where);
        CPPUNIT_ASSERT_EQUAL(200, viaForm.status);
        CPPUNIT_ASSERT_EQUAL(std::string("page 7 + more"), viaForm.body);
        // If-Match travels in the form too.
        auto stale = alternate("/xapi/activities/state", "PUT",
                               with({{"If-Match", "\"0000\""}, {"content", "x"}}));
        CPPUNIT_ASSERT_EQUAL(412, stale.status);
        auto fresh = alternate("/xapi/activities/state", "PUT",
                               with({{"If-Match", etag}, {"content", "y"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(fresh.body, 204, fresh.status);
        auto del = alternate("/xapi/activities/state", "DELETE", where);
        CPPUNIT_ASSERT_EQUAL(204, del.status);
        CPPUNIT_ASSERT_EQUAL(404, alternate("/xapi/activities/state", "GET", where).status);

        // Profiles: POST merges JSON.
        const std::vector<std::pair<std::string, std::string>> prof = {{"agent", agent},
                                                                       {"profileId", "prefs"}};
        auto p1 = alternate(
            "/xapi/agents/profile", "POST",
            {prof[0], prof[1], {"Content-Type", "application/json"}, {"content", R"({"a":1})"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(p1.body, 204, p1.status);
        auto p2 = alternate(
            "/xapi/agents/profile", "POST",
            {prof[0], prof[1], {"Content-Type", "application/json"}, {"content", R"({"b":2})"}});
        CPPUNIT_ASSERT_EQUAL(204, p2.status);
        auto merged = alternate("/xapi/agents/profile", "GET", prof);
        CPPUNIT_ASSERT_EQUAL(200, merged.status);
        CPPUNIT_ASSERT_EQUAL(2, merged.json()->getValue<int>("b"));
        CPPUNIT_ASSERT_EQUAL(1, merged.json()->getValue<int>("a"));
        auto ap = alternate("/xapi/activities/profile", "PUT",
                            {{"activityId", kA1}, {"profileId", "p"}, {"content", "z"}});
        CPPUNIT_ASSERT_EQUAL(204, ap.status);

        // Agents, Activities and About answer GET carried in a POST.
        auto person = alternate("/xapi/agents", "GET", {{"agent", agent}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(person.body, 200, person.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Person"),
                             person.json()->getValue<std::string>("objectType"));
        auto act = alternate("/xapi/activities", "GET", {{"activityId", kA1}});
        CPPUNIT_ASSERT_EQUAL(200, act.status);
        CPPUNIT_ASSERT_EQUAL(kA1, act.json()->getValue<std::string>("id"));
        auto about = alternate("/xapi/about", "GET", {});
        CPPUNIT_ASSERT_EQUAL(200, about.status);
        CPPUNIT_ASSERT(about.json()->getArray("version")->size() >= 2);
    }

    void testAlternateSyntaxRefusals() {
        // Any query parameter besides method is refused.
        auto extra =
            lrs_->lrs("POST", "/xapi/statements?method=GET&limit=1",
                      form({{"Authorization", lrs_->basic}, {"X-Experience-API-Version", "1.0.3"}}),
                      {{kAuth, ""}}, "", "application/x-www-form-urlencoded");
        CPPUNIT_ASSERT_EQUAL(400, extra.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.unknown_parameter"), extra.errorCode());
        CPPUNIT_ASSERT_EQUAL(std::string("limit"),
                             extra.json()->getObject("error")->getValue<std::string>("path"));
        // The refusal speaks the version of the request's header.
        auto extra103 = lrs_->lrs("POST", "/xapi/statements?method=GET&limit=1",
                                  form({{"Authorization", lrs_->basic}}), {{kAuth, ""}}, "1.0.3",
                                  "application/x-www-form-urlencoded");
        CPPUNIT_ASSERT_EQUAL(400, extra103.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.3"), extra103.headers["x-experience-api-version"]);
        auto bad = alternate("/xapi/statements", "PATCH", {});
        CPPUNIT_ASSERT_EQUAL(400, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.invalid_parameter"), bad.errorCode());
        // The form's parameters are checked like query parameters.
        auto unknown = alternate("/xapi/statements", "GET", {{"colour", "red"}});
        CPPUNIT_ASSERT_EQUAL(400, unknown.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.unknown_parameter"), unknown.errorCode());
        auto missingVersion = alternate("/xapi/statements", "GET", {}, "");
        CPPUNIT_ASSERT_EQUAL(400, missingVersion.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.missing_version_header"),
                             missingVersion.errorCode());

        // xAPI 2.0 has no alternate syntax: method is an unknown parameter, and resources
        // without POST answer 405; the statement is not stored.
        const std::string id = assay::xapi::randomUuid();
        auto v2 = alternate(
            "/xapi/statements", "PUT",
            {{"statementId", id}, {"content", stmt("", kAnn, kExperienced, activity(kA1))}},
            "2.0.0");
        CPPUNIT_ASSERT_EQUAL(400, v2.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.unknown_parameter"), v2.errorCode());
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), v2.headers["x-experience-api-version"]);
        auto v2header =
            lrs_->lrs("POST", "/xapi/statements?method=GET", form({{"Authorization", lrs_->basic}}),
                      {{kAuth, ""}}, "2.0.0", "application/x-www-form-urlencoded");
        CPPUNIT_ASSERT_EQUAL(400, v2header.status);
        CPPUNIT_ASSERT_EQUAL(404, lrs_->lrs("GET", "/xapi/statements?statementId=" + id).status);
        CPPUNIT_ASSERT_EQUAL(405,
                             alternate("/xapi/agents", "GET", {{"agent", kAnn}}, "2.0").status);
        CPPUNIT_ASSERT_EQUAL(405, alternate("/xapi/about", "GET", {}, "2.0.0").status);
        CPPUNIT_ASSERT_EQUAL(400, alternate("/xapi/activities/state", "GET",
                                            {{"activityId", kA1}, {"agent", kAnn}}, "2.0.0")
                                      .status);
        // A plain POST where the resource has none.
        CPPUNIT_ASSERT_EQUAL(405, lrs_->lrs("POST", "/xapi/agents", "{}").status);
        CPPUNIT_ASSERT_EQUAL(405, lrs_->lrs("POST", "/xapi/activities", "{}").status);
    }

    void testScopesReadMine() {
        const std::string a =
            lrs_->issueCredential("tool-a", "[\"statements/write\",\"statements/read/mine\"]");
        const std::string b =
            lrs_->issueCredential("tool-b", "[\"statements/write\",\"statements/read/mine\"]");
        const std::string reader = lrs_->issueCredential("reader", "[\"statements/read\"]");
        const std::string idA = assay::xapi::randomUuid(), idB = assay::xapi::randomUuid();
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements", stmt(idA, kAnn, kExperienced, activity(kA1)),
                           {{kAuth, a}})
                     .status);
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements", stmt(idB, kAnn, kExperienced, activity(kA1)),
                           {{kAuth, b}})
                     .status);
        // A statement by B that refers to A's: A's query by Ann's statements stays A's own.
        const std::string refB = assay::xapi::randomUuid();
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements",
                           stmt(refB, kBob, kCommented, statementRef(idA)), {{kAuth, b}})
                     .status);
        auto mineA = lrs_->lrs("GET", "/xapi/statements", "", {{kAuth, a}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(mineA.body, 200, mineA.status);
        CPPUNIT_ASSERT(idsOf(mineA) == std::set<std::string>{idA});
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn), "",
                                       {{kAuth, a}})) == std::set<std::string>{idA});
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn), "",
                                       {{kAuth, b}})) == (std::set<std::string>{idB, refB}));
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("GET", "/xapi/statements?statementId=" + idA, "", {{kAuth, a}}).status);
        CPPUNIT_ASSERT_EQUAL(
            404, lrs_->lrs("GET", "/xapi/statements?statementId=" + idB, "", {{kAuth, a}}).status);
        // Paging keeps to the credential's statements.
        auto first = lrs_->lrs("GET", "/xapi/statements?limit=1", "", {{kAuth, b}});
        const std::string more = first.json()->getValue<std::string>("more");
        auto next = lrs_->lrs("GET", more, "", {{kAuth, b}});
        std::set<std::string> both = idsOf(first);
        for (const auto& id : idsOf(next))
            CPPUNIT_ASSERT(both.insert(id).second);
        CPPUNIT_ASSERT(both == (std::set<std::string>{idB, refB}));
        CPPUNIT_ASSERT(next.json()->optValue<std::string>("more", "").empty());
        // A's credential following B's link still sees only A's statements (none after it).
        auto nextA = lrs_->lrs("GET", more, "", {{kAuth, a}});
        CPPUNIT_ASSERT_EQUAL(200, nextA.status);
        for (const auto& id : idsOf(nextA))
            CPPUNIT_ASSERT_EQUAL(idA, id);
        // statements/read reads everything.
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements", "", {{kAuth, reader}})) ==
                       (std::set<std::string>{idA, idB, refB}));
        // The admin API shows the scopes given.
        auto list = lrs_->adminClient().get("/api/v1/lrs/credentials");
        CPPUNIT_ASSERT(list.body.find("statements/read/mine") != std::string::npos);
    }

    void testScopeDefine() {
        const std::string plain = lrs_->issueCredential("plain", "[\"statements/write\"]");
        const std::string definer =
            lrs_->issueCredential("definer", "[\"statements/write\",\"define\"]");
        const std::string act = "http://example.edu/defined";
        auto name = [&]() -> std::string {
            auto r = lrs_->lrs("GET", "/xapi/activities?activityId=" + enc(act));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            auto def = r.json()->getObject("definition");
            if (!def || !def->getObject("name")) return "";
            return def->getObject("name")->getValue<std::string>("en-US");
        };
        // Without define: the statement is stored, the canonical definition untouched.
        const std::string s1 = assay::xapi::randomUuid();
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements",
                           stmt(s1, kAnn, kExperienced, activity(act, "Bad")), {{kAuth, plain}})
                     .status);
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("GET", "/xapi/statements?statementId=" + s1).status);
        CPPUNIT_ASSERT_EQUAL(std::string(), name());
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements",
                           stmt("", kAnn, kExperienced, activity(act, "Good")), {{kAuth, definer}})
                     .status);
        CPPUNIT_ASSERT_EQUAL(std::string("Good"), name());
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements",
                           stmt("", kAnn, kExperienced, activity(act, "Worse")), {{kAuth, plain}})
                     .status);
        CPPUNIT_ASSERT_EQUAL(std::string("Good"), name());
        // "all" (the default) includes define.
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements",
                                            stmt("", kAnn, kExperienced, activity(act, "Best")))
                                      .status);
        CPPUNIT_ASSERT_EQUAL(std::string("Best"), name());
    }

    void testScopesRefused() {
        const std::string writer = lrs_->issueCredential("writer", "[\"statements/write\"]");
        const std::string mine = lrs_->issueCredential("mine", "[\"statements/read/mine\"]");
        const std::string state = lrs_->issueCredential("state", "[\"state\"]");
        const std::string allRead = lrs_->issueCredential("all-read", "[\"all/read\"]");
        auto status = [&](const std::string& method, const std::string& path,
                          const std::string& who, const std::string& body = "") {
            const bool json = body.empty() || body.front() == '{';
            return lrs_
                ->lrs(method, path, body, {{kAuth, who}}, "1.0.3",
                      json ? "application/json" : "text/plain")
                .status;
        };
        const std::string st =
            "/xapi/activities/state?activityId=" + enc(kA1) + "&agent=" + enc(kAnn) + "&stateId=s";
        const std::string prof = "/xapi/agents/profile?agent=" + enc(kAnn) + "&profileId=p";
        CPPUNIT_ASSERT_EQUAL(403, status("GET", "/xapi/statements", writer));
        CPPUNIT_ASSERT_EQUAL(403, status("POST", "/xapi/statements", mine,
                                         stmt("", kAnn, kExperienced, activity(kA1))));
        CPPUNIT_ASSERT_EQUAL(200, status("GET", "/xapi/statements", mine));
        CPPUNIT_ASSERT_EQUAL(403, status("GET", st, mine));
        CPPUNIT_ASSERT_EQUAL(204, status("PUT", st, state, "s"));
        CPPUNIT_ASSERT_EQUAL(200, status("GET", st, state));
        CPPUNIT_ASSERT_EQUAL(403, status("PUT", prof, state, "{}"));
        CPPUNIT_ASSERT_EQUAL(403, status("GET", "/xapi/statements", state));
        // all/read reads everything and writes nothing.
        CPPUNIT_ASSERT_EQUAL(200, status("GET", "/xapi/statements", allRead));
        CPPUNIT_ASSERT_EQUAL(200, status("GET", st, allRead));
        CPPUNIT_ASSERT_EQUAL(403, status("PUT", st, allRead, "t"));
        auto refused = lrs_->lrs("GET", "/xapi/statements", "", {{kAuth, writer}});
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.forbidden"), refused.errorCode());
        // Unknown scopes are refused when the credential is made.
        auto admin = lrs_->adminClient();
        auto bad = admin.post("/api/v1/lrs/credentials",
                              R"({"name":"x","scopes":["statements/read/theirs"]})");
        CPPUNIT_ASSERT_EQUAL(400, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.unknown_scope"), bad.errorCode());
        // No scopes given: all (as before scopes could be chosen).
        auto dflt = admin.post("/api/v1/lrs/credentials", R"({"name":"y"})");
        CPPUNIT_ASSERT_EQUAL(201, dflt.status);
        CPPUNIT_ASSERT_EQUAL(std::string("all"),
                             dflt.json()->getArray("scopes")->getElement<std::string>(0));
        // A name is taken once: credentials are revoked by name.
        auto twice = admin.post("/api/v1/lrs/credentials", R"({"name":"y"})");
        CPPUNIT_ASSERT_EQUAL(409, twice.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.duplicate_name"), twice.errorCode());
    }

    void testStatementRefChains() {
        // d → c → b → a: a matches agent=Ann and activity=A1; so do b, c and d.
        const std::string a = assay::xapi::randomUuid(), b = assay::xapi::randomUuid(),
                          c = assay::xapi::randomUuid(), d = assay::xapi::randomUuid(),
                          other = assay::xapi::randomUuid();
        const std::string body = "[" + stmt(a, kAnn, kExperienced, activity(kA1)) + "," +
                                 stmt(b, kBob, kCommented, statementRef(a)) + "]";
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements", body).status);
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements", stmt(c, kCarl, kCommented, statementRef(b)))
                     .status);
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements", stmt(d, kDan, kCommented, statementRef(c)))
                     .status);
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements",
                           stmt(other, kDan, kExperienced, activity("http://example.edu/other")))
                     .status);
        const std::set<std::string> chain{a, b, c, d};
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn))) == chain);
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?activity=" + enc(kA1))) == chain);
        // A filter matching the middle of the chain picks up what follows it, not what precedes.
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kCarl))) ==
                       (std::set<std::string>{c, d}));
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?verb=" + enc(kCommented))) ==
                       (std::set<std::string>{b, c, d}));
        // Dan's own statement plus d (Dan is d's actor); nothing else.
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kDan))) ==
                       (std::set<std::string>{d, other}));
        // Paging one at a time walks the whole chain once, newest first.
        std::vector<std::string> walked;
        std::string next = "/xapi/statements?limit=1&agent=" + enc(kAnn);
        while (!next.empty()) {
            auto page = lrs_->lrs("GET", next).json();
            auto arr = page->getArray("statements");
            for (size_t i = 0; i < arr->size(); ++i)
                walked.push_back(
                    arr->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            next = page->optValue<std::string>("more", "");
            CPPUNIT_ASSERT(walked.size() <= 4);
        }
        CPPUNIT_ASSERT_EQUAL(size_t{4}, walked.size());
        CPPUNIT_ASSERT(std::set<std::string>(walked.begin(), walked.end()) == chain);
        // since/until apply to the referring statements themselves (stored times compare as
        // strings: same format, UTC).
        auto storedOf = [&](const std::string& id) {
            return lrs_->lrs("GET", "/xapi/statements?statementId=" + id)
                .json()
                ->getValue<std::string>("stored");
        };
        const std::string cut = storedOf(c);
        std::set<std::string> upToC;
        for (const auto& id : chain)
            if (storedOf(id) <= cut) upToC.insert(id);
        CPPUNIT_ASSERT(upToC.count(c) && upToC.count(a) && upToC.size() < 5);
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn) +
                                                  "&until=" + enc(cut))) == upToC);
        std::set<std::string> afterA;
        for (const auto& id : chain)
            if (storedOf(id) > storedOf(a)) afterA.insert(id);
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn) +
                                                  "&since=" + enc(storedOf(a)))) == afterA);
    }

    void testStatementRefChainsOutOfOrderAndVoiding() {
        // The chain arrives backwards: each statement before the one it refers to.
        const std::string a = assay::xapi::randomUuid(), b = assay::xapi::randomUuid(),
                          c = assay::xapi::randomUuid(), d = assay::xapi::randomUuid();
        for (const auto& s : {stmt(d, kDan, kCommented, statementRef(c)),
                              stmt(c, kCarl, kCommented, statementRef(b)),
                              stmt(b, kBob, kCommented, statementRef(a)),
                              stmt(a, kAnn, kExperienced, activity(kA1))})
            CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements", s).status);
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn))) ==
                       (std::set<std::string>{a, b, c, d}));
        // Voiding a: a leaves every result; the voiding statement and the chain stay.
        const std::string v = assay::xapi::randomUuid();
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements",
                                            stmt(v, R"({"mbox":"mailto:admin@example.edu"})",
                                                 kVoided, statementRef(a)))
                                      .status);
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn))) ==
                       (std::set<std::string>{v, b, c, d}));
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?activity=" + enc(kA1))) ==
                       (std::set<std::string>{v, b, c, d}));
        // A cycle (x → y → x) neither loops nor duplicates.
        const std::string x = assay::xapi::randomUuid(), y = assay::xapi::randomUuid();
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements", stmt(x, kAnn, kCommented, statementRef(y)))
                     .status);
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements", stmt(y, kBob, kCommented, statementRef(x)))
                     .status);
        auto bob = lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kBob));
        CPPUNIT_ASSERT_EQUAL(size_t{5}, bob.json()->getArray("statements")->size());
        CPPUNIT_ASSERT(idsOf(bob) == (std::set<std::string>{b, c, d, x, y}));
    }

    void testChainsOfEarlierDataAfterTheUpgrade() {
        // Data of the previous schema: one-level links in xapi_statement_refs (voiding links
        // only in voids_id), no closure. The upgrade's statements must rebuild whole chains.
        std::vector<std::string> ids;
        for (int i = 0; i < 6; ++i)
            ids.push_back(assay::xapi::randomUuid());
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements",
                                            stmt(ids[0], kAnn, kExperienced, activity(kA1)))
                                      .status);
        for (int i = 1; i < 6; ++i) {
            auto r = lrs_->lrs("POST", "/xapi/statements",
                               stmt(ids[i], kBob, kCommented, statementRef(ids[i - 1])));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        }
        const std::string v = assay::xapi::randomUuid(), w = assay::xapi::randomUuid();
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements",
                                            stmt(v, kCarl, kVoided, statementRef(ids[0])))
                                      .status);
        CPPUNIT_ASSERT_EQUAL(
            200, lrs_->lrs("POST", "/xapi/statements", stmt(w, kDan, kCommented, statementRef(v)))
                     .status);
        auto& db = lrs_->host().database();
        db.acquire()->execute("DELETE FROM xapi_statement_targets");
        for (int i = 1; i < 6; ++i)
            db.acquire()->execute(
                "INSERT INTO xapi_statement_refs (statement_id, target_id) VALUES (?, ?)",
                {ids[i], ids[i - 1]});
        db.acquire()->execute(
            "INSERT INTO xapi_statement_refs (statement_id, target_id) VALUES (?, ?)", {w, v});
        const std::set<std::string> everything{ids[1], ids[2], ids[3], ids[4], ids[5], v, w};
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn))).empty());
        int run = 0;
        for (const auto& m : assay::xapi::XapiModule().migrations()) {
            if (m.version != 3) continue;
            for (const auto& step : m.steps)
                if (step.text.find("INSERT INTO xapi_statement_targets") != std::string::npos) {
                    db.acquire()->execute(step.text);
                    ++run;
                }
        }
        CPPUNIT_ASSERT(run >= 4);
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn))) ==
                       everything);
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?activity=" + enc(kA1))) ==
                       everything);
        // New statements continue the rebuilt chains.
        const std::string next = assay::xapi::randomUuid();
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements",
                                            stmt(next, kDan, kCommented, statementRef(w)))
                                      .status);
        auto withNext = everything;
        withNext.insert(next);
        CPPUNIT_ASSERT(idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(kAnn))) == withNext);
    }

    void testConcurrentWritersOfOneId() {
        // Two clients store one id with different content at the same moment: one wins, the
        // other gets 409, never 503; with equal content both succeed.
        auto race = [&](const std::string& method, bool same) {
            const std::string id = assay::xapi::randomUuid();
            const std::string path =
                method == "PUT" ? "/xapi/statements?statementId=" + id : "/xapi/statements";
            const std::string first =
                stmt(method == "PUT" ? "" : id, kAnn, kExperienced, activity(kA1));
            const std::string second =
                same ? first : stmt(method == "PUT" ? "" : id, kBob, kExperienced, activity(kA1));
            auto [r1, r2] = atOnce([&] { return lrs_->lrs(method, path, first); },
                                   [&] { return lrs_->lrs(method, path, second); });
            const int s1 = r1.status, s2 = r2.status;
            const std::string &b1 = r1.body, &b2 = r2.body;
            const int ok = method == "PUT" ? 204 : 200;
            std::multiset<int> got{s1, s2};
            std::multiset<int> want =
                same ? std::multiset<int>{ok, ok} : std::multiset<int>{ok, 409};
            CPPUNIT_ASSERT_MESSAGE(method + " " + std::to_string(s1) + " " + b1 + " / " +
                                       std::to_string(s2) + " " + b2,
                                   got == want);
            // Exactly one version is stored, and it is the winner's.
            auto stored = lrs_->lrs("GET", "/xapi/statements?statementId=" + id);
            CPPUNIT_ASSERT_EQUAL(200, stored.status);
            if (!same) {
                const std::string mbox =
                    stored.json()->getObject("actor")->getValue<std::string>("mbox");
                const bool firstWon = s1 == ok;
                CPPUNIT_ASSERT_EQUAL(
                    std::string(firstWon ? "mailto:ann@example.edu" : "mailto:bob@example.edu"),
                    mbox);
            }
        };
        for (int round = 0; round < 12; ++round) {
            race("PUT", false);
            race("POST", false);
        }
        race("PUT", true);
        race("POST", true);
        // A batch racing a single statement over one of its ids: all or nothing.
        const std::string shared = assay::xapi::randomUuid(), own = assay::xapi::randomUuid();
        const std::string batch = "[" + stmt(own, kAnn, kExperienced, activity(kA1)) + "," +
                                  stmt(shared, kAnn, kExperienced, activity(kA1)) + "]";
        auto [rb, rs] =
            atOnce([&] { return lrs_->lrs("POST", "/xapi/statements", batch); },
                   [&] {
                       return lrs_->lrs("POST", "/xapi/statements",
                                        stmt(shared, kBob, kExperienced, activity(kA1)));
                   });
        const int sb = rb.status, ss = rs.status;
        CPPUNIT_ASSERT((std::multiset<int>{sb, ss}) == (std::multiset<int>{200, 409}));
        CPPUNIT_ASSERT_EQUAL(sb == 200 ? 200 : 404,
                             lrs_->lrs("GET", "/xapi/statements?statementId=" + own).status);
    }

    void testConcurrentLinksOfOneChain() {
        // x → y and y → z stored at the same moment by two clients: a query matching z still
        // finds x (each link sees the other, whichever commits first).
        for (int round = 0; round < 12; ++round) {
            const std::string x = assay::xapi::randomUuid(), y = assay::xapi::randomUuid(),
                              z = assay::xapi::randomUuid();
            const std::string actor =
                R"({"mbox":"mailto:chain)" + std::to_string(round) + R"(@example.edu"})";
            CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements",
                                                stmt(z, actor, kExperienced, activity(kA1)))
                                          .status);
            auto [rx, ry] = atOnce(
                [&] {
                    return lrs_->lrs("POST", "/xapi/statements",
                                     stmt(x, kDan, kCommented, statementRef(y)));
                },
                [&] {
                    return lrs_->lrs("POST", "/xapi/statements",
                                     stmt(y, kCarl, kCommented, statementRef(z)));
                });
            const int sx = rx.status, sy = ry.status;
            CPPUNIT_ASSERT_EQUAL(200, sx);
            CPPUNIT_ASSERT_EQUAL(200, sy);
            CPPUNIT_ASSERT_MESSAGE(
                "round " + std::to_string(round),
                idsOf(lrs_->lrs("GET", "/xapi/statements?agent=" + enc(actor))) ==
                    (std::set<std::string>{x, y, z}));
        }
    }

    void testLtiLaunchBecomesLaunched() {
        // The payload the LTI module publishes for a resource-link launch.
        auto launch = [&](int user, const std::string& sub, const std::string& link) {
            assay::json::Object p = new Poco::JSON::Object;
            p->set("user_id", user);
            p->set("lms_issuer", "https://lms.example.edu");
            p->set("lti_user_id", sub);
            p->set("user_name", "Ann Learner");
            p->set("course_id", 3);
            p->set("course_title", "Programming in Python");
            p->set("assignment_id", 7);
            p->set("assignment_title", "Loops and lists");
            p->set("deployment_id", "dep-1");
            p->set("resource_link_id", link);
            p->set("role", "student");
            p->set("launched_at", 1700000000000);
            return lrs_->host().publish("lti.launch", p);
        };
        launch(11, "17", "link-1");
        launch(11, "17", "link-1");
        launch(12, "18", "link-1");
        const std::string launched = "http://adlnet.gov/expapi/verbs/launched";
        auto query = "/xapi/statements?verb=" + enc(launched);
        CPPUNIT_ASSERT(waitFor(
            [&] { return lrs_->lrs("GET", query).json()->getArray("statements")->size() == 3; }));
        auto all = lrs_->lrs("GET", query).json()->getArray("statements");
        std::map<std::string, std::set<std::string>> registrations;  // learner → registrations
        for (size_t i = 0; i < all->size(); ++i) {
            auto s = all->getObject(static_cast<unsigned>(i));
            auto account = s->getObject("actor")->getObject("account");
            CPPUNIT_ASSERT_EQUAL(std::string("https://lms.example.edu"),
                                 account->getValue<std::string>("homePage"));
            CPPUNIT_ASSERT(s->getObject("object")->getValue<std::string>("id").find(
                               "/xapi/activities/assignments/7") != std::string::npos);
            CPPUNIT_ASSERT_EQUAL(std::string("Loops and lists"), s->getObject("object")
                                                                     ->getObject("definition")
                                                                     ->getObject("name")
                                                                     ->getValue<std::string>("en"));
            registrations[account->getValue<std::string>("name")].insert(
                s->getObject("context")->getValue<std::string>("registration"));
        }
        // One registration per learner and link, different between learners.
        CPPUNIT_ASSERT_EQUAL(size_t{2}, registrations.size());
        CPPUNIT_ASSERT_EQUAL(size_t{1}, registrations["17"].size());
        CPPUNIT_ASSERT_EQUAL(size_t{1}, registrations["18"].size());
        CPPUNIT_ASSERT(*registrations["17"].begin() != *registrations["18"].begin());
    }

  private:
    std::unique_ptr<LrsHost> lrs_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LrsProtocolTest);
