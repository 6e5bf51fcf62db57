// Every REST route over real HTTP against a host on an ephemeral loopback port.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "assay/core/bundle/bundle.h"
#include "test_host.h"

using namespace assay;
using test::HttpClient;

namespace {

std::string demoBundleJson(const std::string& id = "greeting") {
    auto b = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/01-greeting");
    auto manifest = json::parseObject(b.manifestJson);
    manifest->set("id", id);
    Poco::JSON::Object::Ptr files = new Poco::JSON::Object;
    for (const auto& [k, v] : b.files)
        files->set(k, v);
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("manifest", manifest);
    body->set("files", files);
    return json::stringify(body);
}

int64_t idOf(const test::HttpResult& r) {
    return r.json()->getValue<int64_t>("id");
}

}  // namespace

class ApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiTest);
    CPPUNIT_TEST(testHealthAndMetrics);
    CPPUNIT_TEST(testUnknownRouteAndMethod);
    CPPUNIT_TEST(testLoginMeLogout);
    CPPUNIT_TEST(testPasswordChange);
    CPPUNIT_TEST(testUsersAdmin);
    CPPUNIT_TEST(testTokens);
    CPPUNIT_TEST(testCoursesAndMembers);
    CPPUNIT_TEST(testAssignmentLifecycle);
    CPPUNIT_TEST(testStudentViewHidesSolutionAndHiddenTests);
    CPPUNIT_TEST(testSubmissions);
    CPPUNIT_TEST(testEventsLog);
    CPPUNIT_TEST(testClientMistakesAreNever500);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override { host_ = std::make_unique<test::TestHost>(); }
    void tearDown() override { host_.reset(); }

    void testHealthAndMetrics() {
        auto c = host_->client();
        auto h = c.get("/healthz");
        // No runner listens in this test, so the host reports itself degraded.
        CPPUNIT_ASSERT_EQUAL(503, h.status);
        auto body = h.json();
        CPPUNIT_ASSERT_EQUAL(std::string("degraded"), body->getValue<std::string>("status"));
        CPPUNIT_ASSERT(body->getObject("database")->getValue<bool>("ok"));
        CPPUNIT_ASSERT(!body->getObject("runner")->getValue<bool>("ok"));
        c.get("/api/v1/courses");
        auto m = c.get("/metrics");
        CPPUNIT_ASSERT_EQUAL(200, m.status);
        CPPUNIT_ASSERT(
            m.body.find(
                "assay_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"503\"} 1") !=
            std::string::npos);
        CPPUNIT_ASSERT(m.body.find("assay_http_request_duration_seconds_bucket") !=
                       std::string::npos);
        CPPUNIT_ASSERT(m.body.find("assay_db_pool_connections{state=\"open\"}") !=
                       std::string::npos);
        CPPUNIT_ASSERT(!h.headers["x-request-id"].empty());
    }

    void testUnknownRouteAndMethod() {
        auto c = host_->client();
        auto r = c.get("/api/v1/nothing");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("not_found"), r.errorCode());
        r = c.request("PATCH", "/api/v1/courses");
        CPPUNIT_ASSERT_EQUAL(405, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("method_not_allowed"), r.errorCode());
    }

    void testLoginMeLogout() {
        auto c = host_->client();
        CPPUNIT_ASSERT_EQUAL(401, c.get("/api/v1/auth/me").status);
        auto bad = c.login("admin", "wrong-password");
        CPPUNIT_ASSERT_EQUAL(401, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_credentials"), bad.errorCode());
        CPPUNIT_ASSERT_EQUAL(401, c.login("nobody", "whatever-password").status);
        auto ok = c.login("admin", "admin-password-1");
        CPPUNIT_ASSERT_EQUAL(200, ok.status);
        const std::string cookie = ok.headers["set-cookie"];
        CPPUNIT_ASSERT(cookie.find("HttpOnly") != std::string::npos);
        CPPUNIT_ASSERT(cookie.find("SameSite=Lax") !=
                       std::string::npos);  // plain HTTP in this test
        auto me = c.get("/api/v1/auth/me");
        CPPUNIT_ASSERT_EQUAL(200, me.status);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"),
                             me.json()->getObject("user")->getValue<std::string>("username"));
        CPPUNIT_ASSERT_EQUAL(c.csrf(), me.json()->getValue<std::string>("csrf_token"));
        CPPUNIT_ASSERT_EQUAL(200, c.post("/api/v1/auth/logout", "").status);
        auto after = c.get("/api/v1/auth/me");
        CPPUNIT_ASSERT_EQUAL(401, after.status);
    }

    void testPasswordChange() {
        auto c = host_->userClient("pat", Role::Student);
        auto weak = c.post("/api/v1/auth/password",
                           R"({"current_password":"pat-password","new_password":"short"})");
        CPPUNIT_ASSERT_EQUAL(400, weak.status);
        CPPUNIT_ASSERT_EQUAL(std::string("weak_password"), weak.errorCode());
        auto wrong = c.post("/api/v1/auth/password",
                            R"({"current_password":"nope","new_password":"a-long-new-password"})");
        CPPUNIT_ASSERT_EQUAL(403, wrong.status);
        CPPUNIT_ASSERT_EQUAL(
            200,
            c.post("/api/v1/auth/password",
                   R"({"current_password":"pat-password","new_password":"a-long-new-password"})")
                .status);
        auto fresh = host_->client();
        CPPUNIT_ASSERT_EQUAL(401, fresh.login("pat", "pat-password").status);
        CPPUNIT_ASSERT_EQUAL(200, fresh.login("pat", "a-long-new-password").status);
    }

    void testUsersAdmin() {
        auto a = host_->adminClient();
        auto created = a.post(
            "/api/v1/users",
            R"({"username":"ines","display_name":"Ines","role":"instructor","password":"ines-password-123"})");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        const int64_t id = idOf(created);
        CPPUNIT_ASSERT_EQUAL(
            409, a.post("/api/v1/users", R"({"username":"INES","role":"student"})").status);
        CPPUNIT_ASSERT_EQUAL(400,
                             a.post("/api/v1/users", R"({"username":"x","role":"king"})").status);
        CPPUNIT_ASSERT_EQUAL(200, a.get("/api/v1/users").status);
        CPPUNIT_ASSERT_EQUAL(std::string("Ines"), a.get("/api/v1/users/" + std::to_string(id))
                                                      .json()
                                                      ->getValue<std::string>("display_name"));
        auto upd = a.put("/api/v1/users/" + std::to_string(id), R"({"disabled":true})");
        CPPUNIT_ASSERT_EQUAL(200, upd.status);
        auto ines = host_->client();
        auto denied = ines.login("ines", "ines-password-123");
        CPPUNIT_ASSERT_EQUAL(403, denied.status);
        CPPUNIT_ASSERT_EQUAL(std::string("account_disabled"), denied.errorCode());
        CPPUNIT_ASSERT_EQUAL(404, a.get("/api/v1/users/99999").status);
        // An admin cannot lock themselves out.
        auto me = a.get("/api/v1/auth/me").json()->getObject("user")->getValue<int64_t>("id");
        CPPUNIT_ASSERT_EQUAL(
            409, a.put("/api/v1/users/" + std::to_string(me), R"({"role":"student"})").status);
    }

    void testTokens() {
        auto a = host_->adminClient();
        auto t = a.post("/api/v1/tokens", R"({"name":"ci"})");
        CPPUNIT_ASSERT_EQUAL(201, t.status);
        const std::string token = t.json()->getValue<std::string>("token");
        CPPUNIT_ASSERT(token.rfind("assay_", 0) == 0);
        auto list = a.get("/api/v1/tokens");
        CPPUNIT_ASSERT(list.body.find(token) == std::string::npos);  // never shown again
        auto id = list.json()->getArray("tokens")->getObject(0)->getValue<int64_t>("id");
        HttpClient bearer = host_->client();
        bearer.setBearer(token);
        CPPUNIT_ASSERT_EQUAL(200, bearer.get("/api/v1/users").status);
        // Token calls need no CSRF token.
        CPPUNIT_ASSERT_EQUAL(
            201, bearer.post("/api/v1/courses", R"({"code":"TOK","title":"By token"})").status);
        CPPUNIT_ASSERT_EQUAL(200, a.del("/api/v1/tokens/" + std::to_string(id)).status);
        auto revoked = bearer.get("/api/v1/users");
        CPPUNIT_ASSERT_EQUAL(401, revoked.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_token"), revoked.errorCode());
        CPPUNIT_ASSERT_EQUAL(404, a.del("/api/v1/tokens/" + std::to_string(id + 100)).status);
    }

    void testCoursesAndMembers() {
        int64_t sid = 0;
        auto teacher = host_->userClient("tina", Role::Instructor);
        auto student = host_->userClient("sam", Role::Student, &sid);
        auto c = teacher.post("/api/v1/courses", R"({"code":"CS1","title":"Intro"})");
        CPPUNIT_ASSERT_EQUAL(201, c.status);
        const std::string cid = std::to_string(idOf(c));
        CPPUNIT_ASSERT_EQUAL(
            409, teacher.post("/api/v1/courses", R"({"code":"CS1","title":"Again"})").status);
        CPPUNIT_ASSERT_EQUAL(
            404, student.get("/api/v1/courses/" + cid).status);  // not enrolled: invisible
        auto add = teacher.put("/api/v1/courses/" + cid + "/members/" + std::to_string(sid),
                               R"({"role":"student"})");
        CPPUNIT_ASSERT_EQUAL(200, add.status);
        CPPUNIT_ASSERT_EQUAL(200, student.get("/api/v1/courses/" + cid).status);
        auto mine = student.get("/api/v1/courses").json()->getArray("courses");
        CPPUNIT_ASSERT_EQUAL(size_t{1}, mine->size());
        CPPUNIT_ASSERT_EQUAL(std::string("student"),
                             mine->getObject(0)->getValue<std::string>("my_role"));
        CPPUNIT_ASSERT_EQUAL(403, student.get("/api/v1/courses/" + cid + "/members").status);
        CPPUNIT_ASSERT_EQUAL(
            403, student.put("/api/v1/courses/" + cid, R"({"title":"Mine now"})").status);
        CPPUNIT_ASSERT_EQUAL(
            200, teacher.put("/api/v1/courses/" + cid, R"({"title":"Intro to Python"})").status);
        auto members =
            teacher.get("/api/v1/courses/" + cid + "/members").json()->getArray("members");
        CPPUNIT_ASSERT_EQUAL(size_t{2}, members->size());
        CPPUNIT_ASSERT_EQUAL(400,
                             teacher
                                 .put("/api/v1/courses/" + cid + "/members/" + std::to_string(sid),
                                      R"({"role":"admin"})")
                                 .status);
        CPPUNIT_ASSERT_EQUAL(
            200, teacher.del("/api/v1/courses/" + cid + "/members/" + std::to_string(sid)).status);
        CPPUNIT_ASSERT_EQUAL(404, student.get("/api/v1/courses/" + cid).status);
        CPPUNIT_ASSERT_EQUAL(404, teacher.get("/api/v1/courses/abc").status);
    }

    void testAssignmentLifecycle() {
        auto teacher = host_->userClient("tina", Role::Instructor);
        const std::string cid = std::to_string(
            idOf(teacher.post("/api/v1/courses", R"({"code":"CS1","title":"Intro"})")));
        auto created = teacher.post("/api/v1/courses/" + cid + "/assignments", demoBundleJson());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string aid = std::to_string(idOf(created));
        CPPUNIT_ASSERT_EQUAL(
            409, teacher.post("/api/v1/courses/" + cid + "/assignments", demoBundleJson()).status);
        auto got = teacher.get("/api/v1/assignments/" + aid).json();
        CPPUNIT_ASSERT(got->getObject("content")->getObject("files")->has("solution/main.py"));
        // A new version, then publish version 1 only.
        auto upd = teacher.put("/api/v1/assignments/" + aid, demoBundleJson());
        CPPUNIT_ASSERT_EQUAL(200, upd.status);
        CPPUNIT_ASSERT_EQUAL(2, upd.json()->getValue<int>("latest_version"));
        CPPUNIT_ASSERT_EQUAL(
            400, teacher.put("/api/v1/assignments/" + aid, demoBundleJson("other")).status);
        auto pub = teacher.post("/api/v1/assignments/" + aid + "/publish", R"({"version":1})");
        CPPUNIT_ASSERT_EQUAL(200, pub.status);
        CPPUNIT_ASSERT_EQUAL(1, pub.json()->getValue<int>("published_version"));
        CPPUNIT_ASSERT_EQUAL(1, teacher.get("/api/v1/assignments/" + aid + "?version=1")
                                    .json()
                                    ->getObject("content")
                                    ->getValue<int>("version"));
        auto list =
            teacher.get("/api/v1/courses/" + cid + "/assignments").json()->getArray("assignments");
        CPPUNIT_ASSERT_EQUAL(size_t{1}, list->size());
        // Export, then import the zip as a new assignment in another course.
        auto zip = teacher.get("/api/v1/assignments/" + aid + "/export");
        CPPUNIT_ASSERT_EQUAL(200, zip.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/zip"), zip.headers["content-type"]);
        const std::string cid2 = std::to_string(
            idOf(teacher.post("/api/v1/courses", R"({"code":"CS2","title":"Two"})")));
        auto imported = teacher.request("POST", "/api/v1/courses/" + cid2 + "/assignments",
                                        zip.body, "application/zip");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(imported.body, 201, imported.status);
        CPPUNIT_ASSERT_EQUAL(std::string("greeting"),
                             imported.json()->getValue<std::string>("slug"));
        // Delete works while nobody has submitted.
        CPPUNIT_ASSERT_EQUAL(
            200, teacher.del("/api/v1/assignments/" + std::to_string(idOf(imported))).status);
        CPPUNIT_ASSERT_EQUAL(
            404, teacher.get("/api/v1/assignments/" + std::to_string(idOf(imported))).status);
    }

    void testStudentViewHidesSolutionAndHiddenTests() {
        int64_t sid = 0;
        auto teacher = host_->userClient("tina", Role::Instructor);
        auto student = host_->userClient("sam", Role::Student, &sid);
        const std::string cid = std::to_string(
            idOf(teacher.post("/api/v1/courses", R"({"code":"CS1","title":"Intro"})")));
        teacher.put("/api/v1/courses/" + cid + "/members/" + std::to_string(sid),
                    R"({"role":"student"})");
        const std::string aid = std::to_string(
            idOf(teacher.post("/api/v1/courses/" + cid + "/assignments", demoBundleJson())));
        // Unpublished: invisible to students.
        CPPUNIT_ASSERT_EQUAL(404, student.get("/api/v1/assignments/" + aid).status);
        CPPUNIT_ASSERT_EQUAL(size_t{0}, student.get("/api/v1/courses/" + cid + "/assignments")
                                            .json()
                                            ->getArray("assignments")
                                            ->size());
        teacher.post("/api/v1/assignments/" + aid + "/publish", "");
        auto view = student.get("/api/v1/assignments/" + aid);
        CPPUNIT_ASSERT_EQUAL(200, view.status);
        CPPUNIT_ASSERT(view.body.find("solution") == std::string::npos);
        CPPUNIT_ASSERT(view.body.find("strips surrounding blanks") ==
                       std::string::npos);                                   // hidden test's name
        CPPUNIT_ASSERT(view.body.find("Alan Turing") == std::string::npos);  // hidden test's data
        auto content = view.json()->getObject("content");
        CPPUNIT_ASSERT_EQUAL(1, content->getValue<int>("hidden_tests"));
        CPPUNIT_ASSERT(content->getObject("starter")->has("main.py"));
        CPPUNIT_ASSERT_EQUAL(403,
                             student.put("/api/v1/assignments/" + aid, demoBundleJson()).status);
        CPPUNIT_ASSERT_EQUAL(403, student.get("/api/v1/assignments/" + aid + "/export").status);
        CPPUNIT_ASSERT_EQUAL(
            403,
            student.post("/api/v1/courses/" + cid + "/assignments", demoBundleJson("x")).status);
        CPPUNIT_ASSERT_EQUAL(403,
                             student.post("/api/v1/courses", R"({"code":"S","title":"S"})").status);
    }

    void testSubmissions() {
        int64_t s1 = 0, s2 = 0;
        auto teacher = host_->userClient("tina", Role::Instructor);
        auto sam = host_->userClient("sam", Role::Student, &s1);
        auto sue = host_->userClient("sue", Role::Student, &s2);
        const std::string cid = std::to_string(
            idOf(teacher.post("/api/v1/courses", R"({"code":"CS1","title":"Intro"})")));
        for (auto id : {s1, s2})
            teacher.put("/api/v1/courses/" + cid + "/members/" + std::to_string(id),
                        R"({"role":"student"})");
        const std::string aid = std::to_string(
            idOf(teacher.post("/api/v1/courses/" + cid + "/assignments", demoBundleJson())));
        teacher.post("/api/v1/assignments/" + aid + "/publish", "");
        auto run = sam.post("/api/v1/assignments/" + aid + "/submissions",
                            R"({"kind":"run","files":{"main.py":"print('hi')\n"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.body, 202, run.status);
        // Stored and admitted: by the time the answer leaves it may already be grading.
        const std::string status = run.json()->getValue<std::string>("status");
        CPPUNIT_ASSERT_MESSAGE(status, status == "queued" || status == "running" || status == "failed");
        const std::string subId = std::to_string(idOf(run));
        auto fin = sam.post("/api/v1/assignments/" + aid + "/submissions",
                            R"({"kind":"submit","files":{"main.py":"print('final')\n"}})");
        CPPUNIT_ASSERT_EQUAL(202, fin.status);
        CPPUNIT_ASSERT_EQUAL(400, sam.post("/api/v1/assignments/" + aid + "/submissions",
                                           R"({"kind":"grade-me","files":{"main.py":"x"}})")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(400, sam.post("/api/v1/assignments/" + aid + "/submissions",
                                           R"({"kind":"run","files":{"../evil.py":"x"}})")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(
            400,
            sam.post("/api/v1/assignments/" + aid + "/submissions", R"({"kind":"run"})").status);
        auto mine = sam.get("/api/v1/submissions/" + subId);
        CPPUNIT_ASSERT_EQUAL(200, mine.status);
        CPPUNIT_ASSERT_EQUAL(std::string("print('hi')\n"),
                             mine.json()->getObject("files")->getValue<std::string>("main.py"));
        // Another student sees nothing of it; the instructor sees it.
        CPPUNIT_ASSERT_EQUAL(404, sue.get("/api/v1/submissions/" + subId).status);
        CPPUNIT_ASSERT_EQUAL(size_t{0}, sue.get("/api/v1/assignments/" + aid + "/submissions")
                                            .json()
                                            ->getArray("submissions")
                                            ->size());
        CPPUNIT_ASSERT_EQUAL(200, teacher.get("/api/v1/submissions/" + subId).status);
        CPPUNIT_ASSERT_EQUAL(
            size_t{2},
            teacher.get("/api/v1/assignments/" + aid + "/submissions?user_id=" + std::to_string(s1))
                .json()
                ->getArray("submissions")
                ->size());
        // Submissions are stored: the assignment can no longer be deleted.
        auto del = teacher.del("/api/v1/assignments/" + aid);
        CPPUNIT_ASSERT_EQUAL(409, del.status);
        CPPUNIT_ASSERT_EQUAL(std::string("has_submissions"), del.errorCode());
    }

    void testEventsLog() {
        auto a = host_->adminClient();
        a.post("/api/v1/courses", R"({"code":"EV","title":"Events"})");
        auto ev = a.get("/api/v1/events?action=course.");
        CPPUNIT_ASSERT_EQUAL(200, ev.status);
        auto list = ev.json()->getArray("events");
        CPPUNIT_ASSERT_EQUAL(size_t{1}, list->size());
        auto e = list->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("course.created"), e->getValue<std::string>("action"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), e->getValue<std::string>("ip"));
        CPPUNIT_ASSERT(!e->getValue<std::string>("request_id").empty());
        CPPUNIT_ASSERT_EQUAL(400, a.get("/api/v1/events?limit=lots").status);
        auto s = host_->userClient("sam", Role::Student);
        CPPUNIT_ASSERT_EQUAL(403, s.get("/api/v1/events").status);
    }

    void testClientMistakesAreNever500() {
        auto a = host_->adminClient();
        const std::vector<std::pair<std::string, std::string>> bodies = {
            {"/api/v1/courses", "{"},
            {"/api/v1/courses", "[1,2]"},
            {"/api/v1/courses", R"({"code":1,"title":"x"})"},
            {"/api/v1/courses", R"({"code":"a","title":"x","extra":true})"},
            {"/api/v1/courses", std::string(100, '[')},
            {"/api/v1/users", R"({"username":null,"role":"student"})"},
            {"/api/v1/auth/login", "\xff\xfe"},
            {"/api/v1/courses/1/assignments", R"({"manifest":"nope"})"},
            {"/api/v1/courses/1/assignments", R"({"manifest":{}})"},
        };
        a.post("/api/v1/courses", R"({"code":"ONE","title":"One"})");
        for (const auto& [path, body] : bodies) {
            auto r = a.post(path, body);
            CPPUNIT_ASSERT_MESSAGE(
                path + " " + body + " -> " + std::to_string(r.status) + " " + r.body,
                r.status >= 400 && r.status < 500);
            CPPUNIT_ASSERT_MESSAGE(r.body, !r.errorCode().empty());
        }
        auto wrongType =
            a.request("POST", "/api/v1/courses", R"({"code":"A","title":"B"})", "text/plain");
        CPPUNIT_ASSERT_EQUAL(415, wrongType.status);
        auto notZip = a.request("POST", "/api/v1/courses/1/assignments", "PK\x03\x04garbage",
                                "application/zip");
        CPPUNIT_ASSERT_EQUAL(400, notZip.status);
        CPPUNIT_ASSERT_EQUAL(std::string("not_a_zip"), notZip.errorCode());
        // A body over http.max_body is refused from its Content-Length, before it is read.
        Poco::Net::StreamSocket sock(
            Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(host_->port())));
        const std::string head =
            "POST /api/v1/courses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Authorization: Bearer none\r\nContent-Length: " +
            std::to_string(17 << 20) + "\r\n\r\n{";
        sock.sendBytes(head.data(), static_cast<int>(head.size()));
        char buf[512] = {};
        const int n = sock.receiveBytes(buf, sizeof buf - 1);
        const std::string reply(buf, n > 0 ? static_cast<size_t>(n) : 0);
        CPPUNIT_ASSERT_MESSAGE(reply, reply.find("HTTP/1.1 413") == 0);
    }

  private:
    std::unique_ptr<test::TestHost> host_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiTest);
