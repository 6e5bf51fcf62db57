// End to end over real HTTP: a test LMS and a running host with the LTI module.
// Dynamic registration -> deep linking -> student launch -> graded submission -> score at the
// LMS, also after an LMS outage; roster sync; resending grades; the admin API.
#include <Poco/JSON/Array.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "LtiTestHost.h"
#include "assay/core/bundle/bundle.h"
#include "assay/lti/Claims.h"
#include "assay/lti/Jwks.h"
#include "assay/lti/Jwt.h"

namespace assay::lti::test {
namespace {

// Waits until `pred` holds (outbox deliveries happen on the dispatcher thread).
template <typename P>
bool eventually(P pred, int seconds = 30) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return pred();
}

std::vector<Poco::JSON::Object::Ptr> scoresWith(FakeLms& lms, double given) {
    std::vector<Poco::JSON::Object::Ptr> out;
    for (const auto& r : lms.received("/mod/lti/services.php/2/lineitems/7/lineitem/scores")) {
        auto s = parse(r.body);
        if (s->getValue<double>("scoreGiven") == given) out.push_back(s);
    }
    return out;
}

}  // namespace

class LtiFlowTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LtiFlowTest);
    CPPUNIT_TEST(registrationDeepLinkLaunchAndGrades);
    CPPUNIT_TEST(registrationDeepLinkLaunchAndGradesOnMariaDb);
    CPPUNIT_TEST(lineItemCreatedWhenTheLinkHasNone);
    CPPUNIT_TEST(adminApiNeedsAnAdministrator);
    CPPUNIT_TEST(submissionGradedByThePipelineReachesTheLms);
    CPPUNIT_TEST_SUITE_END();

  public:
    void registrationDeepLinkLaunchAndGrades() { flow("sqlite"); }
    void registrationDeepLinkLaunchAndGradesOnMariaDb() { flow("mariadb"); }

    void flow(const std::string& engine) {
        LtiTestHost host(engine);
        FakeLms lms(TestPlatform::moodle());
        lms.toolJwksUrl = host.base() + "/lti/jwks";
        auto admin = host.adminClient();

        // 1. Dynamic registration with a one-time URL.
        auto created = admin.post("/api/v1/lti/registration-url", "{}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string regUrl = created.json()->getValue<std::string>("url");
        CPPUNIT_ASSERT(regUrl.rfind(host.base() + "/lti/register?token=", 0) == 0);
        const std::string lmsParams =
            "&openid_configuration=" +
            formEncode({{"x", lms.url("/.well-known/openid-configuration")}}).substr(2) +
            "&registration_token=" + lms.registrationToken;
        Browser admBrowser;
        auto done = admBrowser.get(regUrl + lmsParams);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 200, done.status);
        CPPUNIT_ASSERT(done.body.find("org.imsglobal.lti.close") != std::string::npos);
        const auto regPosts = lms.received("/register");
        CPPUNIT_ASSERT_EQUAL(size_t{1}, regPosts.size());
        auto toolReg = parse(regPosts[0].body);
        CPPUNIT_ASSERT_EQUAL(host.base() + "/lti/login",
                             toolReg->getValue<std::string>("initiate_login_uri"));
        CPPUNIT_ASSERT_EQUAL(host.base() + "/lti/jwks", toolReg->getValue<std::string>("jwks_uri"));
        // The URL works once.
        auto again = admBrowser.get(regUrl + lmsParams);
        CPPUNIT_ASSERT_EQUAL(403, again.status);
        CPPUNIT_ASSERT_EQUAL(size_t{1}, lms.received("/register").size());
        auto platforms = admin.get("/api/v1/lti/platforms").json()->getArray("platforms");
        CPPUNIT_ASSERT_EQUAL(1u, static_cast<unsigned>(platforms->size()));
        auto stored = platforms->getObject(0);
        CPPUNIT_ASSERT_EQUAL(lms.base(), stored->getValue<std::string>("issuer"));
        CPPUNIT_ASSERT_EQUAL(lms.platform().clientId, stored->getValue<std::string>("client_id"));
        CPPUNIT_ASSERT_EQUAL(lms.url("/token"), stored->getValue<std::string>("token_url"));
        CPPUNIT_ASSERT_EQUAL(lms.platform().deploymentId,
                             stored->getArray("deployment_ids")->getElement<std::string>(0));

        // 2. The instructor adds an Assay activity by deep linking.
        auto& pf = lms.platform();
        lms.setClaims([&](const std::string& nonce) {
            auto c = pf.deepLinkingClaims(nonce, std::time(nullptr));
            c->set(claim::kTargetLinkUri, host.base() + "/lti/launch");
            c->getObject(claim::kDeepLinkingSettings)
                ->set("deep_link_return_url", lms.url("/deeplink-return?id=4"));
            return c;
        });
        Browser teacher;
        auto dl = launch(teacher, host, lms, {{"login_hint", "3"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dl.body, 303, dl.status);
        const std::string choose = dl.location();
        auto empty = teacher.get(choose);
        CPPUNIT_ASSERT(empty.body.find("no assignments yet") != std::string::npos);
        auto courses = host.host().store().listCourses();
        CPPUNIT_ASSERT_EQUAL(size_t{1}, courses.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Programming in Python"), courses[0].title);
        const auto a =
            host.host().store().createAssignment(courses[0].id, "loops", "Loops and lists", "{}",
                                                 {{"main.py", "print(1)\n"}}, std::nullopt);
        auto page = teacher.get(choose);
        CPPUNIT_ASSERT(page.body.find("Loops and lists") != std::string::npos);
        auto back = teacher.postForm(
            host.base() + "/lti/deeplink",
            {{"token", queryOf(choose)["token"]}, {"assignment", std::to_string(a.id)}});
        CPPUNIT_ASSERT_EQUAL(lms.url("/deeplink-return?id=4"), formAction(back.body));
        auto returned = teacher.submitForm(back);
        CPPUNIT_ASSERT_EQUAL(200, returned.status);
        const auto dlPosts = lms.received("/deeplink-return");
        CPPUNIT_ASSERT_EQUAL(size_t{1}, dlPosts.size());
        const std::string jwt = queryOf("http://x/?" + dlPosts[0].body)["JWT"];
        const auto jws = parseCompactJws(jwt);
        verifyRs256(jws,
                    Jwks::parse(teacher.get(host.base() + "/lti/jwks").body).find(jws.kid)->key);
        auto item = jws.payload->getArray(claim::kDlContentItems)->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("ltiResourceLink"), item->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::to_string(a.id),
                             item->getObject("custom")->getValue<std::string>("assignment_id"));
        CPPUNIT_ASSERT_EQUAL(100.0, item->getObject("lineItem")->getValue<double>("scoreMaximum"));
        CPPUNIT_ASSERT_EQUAL(std::string("5,2,f7d1c8b6"),
                             jws.payload->getValue<std::string>(claim::kDlData));
        // The selection is single-use.
        CPPUNIT_ASSERT_EQUAL(404, teacher.get(choose).status);

        // 3. A student opens the new link.
        lms.setClaims([&](const std::string& nonce) {
            return studentClaims(host, lms, nonce, std::to_string(a.id));
        });
        Browser student;
        auto landed = launch(student, host, lms);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(landed.body, 302, landed.status);
        CPPUNIT_ASSERT_EQUAL(host.base() + "/app/assignments/" + std::to_string(a.id),
                             landed.location());
        CPPUNIT_ASSERT(!student.cookie(host.base(), "assay_session").empty());
        auto members = host.host().store().listEnrollments(courses[0].id);
        CPPUNIT_ASSERT_EQUAL(size_t{2}, members.size());
        auto studentUser = host.host().database().acquire()->query(
            "SELECT user_id FROM lti_users WHERE issuer = ? AND sub = ?",
            {lms.base(), std::string("17")});
        CPPUNIT_ASSERT_EQUAL(size_t{1}, studentUser.size());
        const auto studentId = studentUser[0].integer(0);
        CPPUNIT_ASSERT(host.host().store().enrollmentRole(courses[0].id, studentId) ==
                       Role::Student);
        // The resource-link launch is an lti.launch event (the xapi module's "launched"); the
        // deep-linking launch before it was not.
        {
            auto rows = host.host().database().acquire()->query(
                "SELECT payload FROM bus_events WHERE type = 'lti.launch' ORDER BY id");
            CPPUNIT_ASSERT_EQUAL(size_t{1}, rows.size());
            auto event = json::parseObject(rows[0].text(0));
            CPPUNIT_ASSERT_EQUAL(studentId, event->getValue<std::int64_t>("user_id"));
            CPPUNIT_ASSERT_EQUAL(std::string("17"), event->getValue<std::string>("lti_user_id"));
            CPPUNIT_ASSERT_EQUAL(lms.base(), event->getValue<std::string>("lms_issuer"));
            CPPUNIT_ASSERT_EQUAL(courses[0].id, event->getValue<std::int64_t>("course_id"));
            CPPUNIT_ASSERT_EQUAL(a.id, event->getValue<std::int64_t>("assignment_id"));
            CPPUNIT_ASSERT_EQUAL(std::string("Loops and lists"),
                                 event->getValue<std::string>("assignment_title"));
            CPPUNIT_ASSERT(!event->getValue<std::string>("resource_link_id").empty());
            CPPUNIT_ASSERT_EQUAL(lms.platform().deploymentId,
                                 event->getValue<std::string>("deployment_id"));
            CPPUNIT_ASSERT_EQUAL(std::string("student"), event->getValue<std::string>("role"));
        }

        // The course's roster was never synced: the launch asked for it, once.
        CPPUNIT_ASSERT(eventually([&] { return lms.received("/memberships").size() == 1; }));

        // 4. A graded final submission reaches the LMS gradebook.
        const auto version = host.host().store().findVersion(a.id, a.latestVersion);
        auto sub = host.host().store().createSubmission(a.id, version->id, studentId, "submit",
                                                        {{"main.py", "x"}}, "127.0.0.1");
        auto publish = [&](double score) {
            json::Object p = new Poco::JSON::Object;
            p->set("submission_id", sub.id);
            p->set("user_id", studentId);
            p->set("assignment_id", a.id);
            p->set("course_id", courses[0].id);
            p->set("kind", "submit");
            p->set("score", score);
            p->set("max_score", 10.0);
            p->set("created_at", sub.createdAt);
            host.host().publish("submission.graded", p);
        };
        publish(7.5);
        // The stored event names the student's LMS identity (for learning-record stores).
        {
            auto rows = host.host().database().acquire()->query(
                "SELECT payload FROM bus_events WHERE type = 'submission.graded' ORDER BY id DESC "
                "LIMIT 1");
            auto event = json::parseObject(rows.at(0).text(0));
            CPPUNIT_ASSERT_EQUAL(std::string("17"), event->getValue<std::string>("lti_user_id"));
            CPPUNIT_ASSERT(!event->getValue<std::string>("lms_issuer").empty());
        }
        CPPUNIT_ASSERT(eventually([&] { return !scoresWith(lms, 7.5).empty(); }));
        auto score = scoresWith(lms, 7.5).at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("17"), score->getValue<std::string>("userId"));
        CPPUNIT_ASSERT_EQUAL(10.0, score->getValue<double>("scoreMaximum"));
        CPPUNIT_ASSERT_EQUAL(std::string("Completed"),
                             score->getValue<std::string>("activityProgress"));
        CPPUNIT_ASSERT_EQUAL(std::string("FullyGraded"),
                             score->getValue<std::string>("gradingProgress"));
        CPPUNIT_ASSERT(score->getValue<std::string>("timestamp").find('.') != std::string::npos);
        const auto scorePost =
            lms.received("/mod/lti/services.php/2/lineitems/7/lineitem/scores").at(0);
        CPPUNIT_ASSERT_EQUAL(
            std::string("/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=4"),
            scorePost.uri);
        CPPUNIT_ASSERT_EQUAL(0, lms.failedAssertions());
        // One access token for scores, reused (the roster sync asks for its own scope).
        int scoreTokens = 0;
        for (const auto& t : lms.received("/token"))
            if (queryOf("http://x/?" + t.body)["scope"].find("lti-ags/scope/score") !=
                std::string::npos)
                ++scoreTokens;
        CPPUNIT_ASSERT_EQUAL(1, scoreTokens);

        // A practice run is not a grade.
        json::Object run = new Poco::JSON::Object;
        run->set("user_id", studentId);
        run->set("assignment_id", a.id);
        run->set("kind", "run");
        run->set("score", 1.0);
        run->set("max_score", 10.0);
        host.host().publish("submission.graded", run);

        // 5. The LMS is down for a while; the regrade arrives once it is back, exactly once.
        lms.stop();
        publish(9.0);
        CPPUNIT_ASSERT(eventually([&] { return host.host().outbox().backlog() > 0; }, 5));
        std::this_thread::sleep_for(
            std::chrono::milliseconds(2500));  // at least one failed attempt
        CPPUNIT_ASSERT(host.host().outbox().backlog() > 0);
        lms.start();
        CPPUNIT_ASSERT(eventually([&] { return scoresWith(lms, 9.0).size() == 1; }, 60));
        CPPUNIT_ASSERT(eventually([&] { return host.host().outbox().backlog() == 0; }, 10));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        CPPUNIT_ASSERT_EQUAL(size_t{1}, scoresWith(lms, 9.0).size());
        CPPUNIT_ASSERT(scoresWith(lms, 1.0).empty());

        // 6. Resending the course's grades posts the latest graded final submission again.
        host.host().store().saveResults(sub.id, 9.0, 10.0, {});
        host.host().store().transition(sub.id, "queued", "graded");
        auto resend = admin.post(
            "/api/v1/courses/" + std::to_string(courses[0].id) + "/lti/resend-grades", "{}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(resend.body, 202, resend.status);
        CPPUNIT_ASSERT_EQUAL(1, resend.json()->getValue<int>("queued"));
        CPPUNIT_ASSERT(eventually([&] { return scoresWith(lms, 9.0).size() == 2; }));

        // 7. Roster sync over NRPS.
        lms.rosterJson = R"({"id":"x","context":{"id":"2"},"members":[
            {"user_id":"17","status":"Active","name":"Grace Hopper","roles":["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
            {"user_id":"42","status":"Active","name":"Alan Turing","email":"alan@example.edu","roles":["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
            {"user_id":"3","status":"Inactive","roles":["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]}]})";
        auto sync = admin.post(
            "/api/v1/courses/" + std::to_string(courses[0].id) + "/lti/sync-roster", "{}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(sync.body, 200, sync.status);
        CPPUNIT_ASSERT_EQUAL(3, sync.json()->getValue<int>("members"));
        CPPUNIT_ASSERT_EQUAL(2, sync.json()->getValue<int>("enrolled"));
        CPPUNIT_ASSERT_EQUAL(1, sync.json()->getValue<int>("removed"));
        members = host.host().store().listEnrollments(courses[0].id);
        CPPUNIT_ASSERT_EQUAL(size_t{2}, members.size());
        CPPUNIT_ASSERT_EQUAL(size_t{2}, lms.received("/memberships").size());
        CPPUNIT_ASSERT_EQUAL(0, lms.failedAssertions());
    }

    // A student launched from the LMS submits through the REST API; the grading pipeline
    // grades it and the score reaches the LMS's line item.
    void submissionGradedByThePipelineReachesTheLms() {
        LtiTestHost host;
        CPPUNIT_ASSERT(host.host().plugins().get("test.sleepy"));
        FakeLms lms(TestPlatform::moodle());
        lms.toolJwksUrl = host.base() + "/lti/jwks";
        registerByApi(host, lms);
        lms.setClaims(
            [&](const std::string& nonce) { return studentClaims(host, lms, nonce, ""); });
        Browser first;
        CPPUNIT_ASSERT_EQUAL(404, launch(first, host, lms).status);  // provisions the course
        const auto course = host.host().store().listCourses().at(0);
        auto b = assay::bundle::loadDirectory(std::string(std::getenv("ASSAY_SOURCE_DIR")) +
                                              "/appliance/demo/01-greeting");
        auto a = host.host().store().createAssignment(course.id, b.manifest.id, b.manifest.title,
                                                      b.manifestJson, b.files, std::nullopt);
        host.host().store().publish(a.id, 1);
        lms.setClaims([&](const std::string& nonce) {
            return studentClaims(host, lms, nonce, std::to_string(a.id));
        });
        Browser student;
        auto landed = launch(student, host, lms);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(landed.body, 302, landed.status);
        assay::test::HttpClient api(host.host().port());
        api.setSession("assay_session=" + student.cookie(host.base(), "assay_session"), "");
        const std::string csrf =
            api.get("/api/v1/auth/me").json()->getValue<std::string>("csrf_token");
        api.setSession("assay_session=" + student.cookie(host.base(), "assay_session"), csrf);
        auto sub = api.post(
            "/api/v1/assignments/" + std::to_string(a.id) + "/submissions?wait=20",
            R"({"kind":"submit","files":{"main.py":"print('Hello, ' + input().strip() + '!')\n"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(sub.body, 200, sub.status);
        CPPUNIT_ASSERT_EQUAL(std::string("graded"), sub.json()->getValue<std::string>("status"));
        CPPUNIT_ASSERT(eventually([&] { return !scoresWith(lms, 10.0).empty(); }));
        auto score = scoresWith(lms, 10.0).at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("17"), score->getValue<std::string>("userId"));
        CPPUNIT_ASSERT_EQUAL(10.0, score->getValue<double>("scoreMaximum"));
    }

    void lineItemCreatedWhenTheLinkHasNone() {
        LtiTestHost host;
        FakeLms lms(TestPlatform::moodle());
        lms.toolJwksUrl = host.base() + "/lti/jwks";
        registerByApi(host, lms);
        // A first launch provisions the course; the link has no assignment yet.
        lms.setClaims(
            [&](const std::string& nonce) { return studentClaims(host, lms, nonce, ""); });
        Browser first;
        CPPUNIT_ASSERT_EQUAL(404, launch(first, host, lms).status);
        const auto course = host.host().store().listCourses().at(0);
        const auto a = host.host().store().createAssignment(course.id, "sum", "Sums", "{}",
                                                            {{"main.py", ""}}, std::nullopt);
        // A link whose AGS claim names only the course's line-item container.
        lms.setClaims([&](const std::string& nonce) {
            auto c = studentClaims(host, lms, nonce, std::to_string(a.id));
            c->getObject(claim::kAgsEndpoint)->remove("lineitem");
            return c;
        });
        Browser b;
        auto landed = launch(b, host, lms);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(landed.body, 302, landed.status);
        const auto userId = host.host()
                                .database()
                                .acquire()
                                ->query("SELECT user_id FROM lti_users")
                                .at(0)
                                .integer(0);
        json::Object p = new Poco::JSON::Object;
        p->set("user_id", userId);
        p->set("assignment_id", a.id);
        p->set("kind", "submit");
        p->set("score", 4.0);
        p->set("max_score", 5.0);
        p->set("created_at", static_cast<Poco::Int64>(1700000000000));
        host.host().publish("submission.graded", p);
        CPPUNIT_ASSERT(eventually([&] {
            return !lms.received("/mod/lti/services.php/2/lineitems/99/lineitem/scores").empty();
        }));
        const auto created = lms.received("/mod/lti/services.php/2/lineitems");
        CPPUNIT_ASSERT(created.size() >= 2);  // looked for it, then created it
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), created[0].method);
        CPPUNIT_ASSERT(created[0].uri.find("type_id=4&resource_link_id=5") != std::string::npos);
        auto item = parse(created[1].body);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), created[1].method);
        CPPUNIT_ASSERT_EQUAL(5.0, item->getValue<double>("scoreMaximum"));
        CPPUNIT_ASSERT_EQUAL(std::string("Sums"), item->getValue<std::string>("label"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), item->getValue<std::string>("resourceLinkId"));
        auto score =
            parse(lms.received("/mod/lti/services.php/2/lineitems/99/lineitem/scores").at(0).body);
        CPPUNIT_ASSERT_EQUAL(4.0, score->getValue<double>("scoreGiven"));
        // The next launch (claim still without a line item) keeps the created one.
        Browser again;
        CPPUNIT_ASSERT_EQUAL(302, launch(again, host, lms).status);
        auto stored =
            host.host().database().acquire()->query("SELECT lineitem_url FROM lti_resource_links");
        CPPUNIT_ASSERT_EQUAL(lms.url("/mod/lti/services.php/2/lineitems/99/lineitem?type_id=4"),
                             stored.at(0).text(0));
    }

    void adminApiNeedsAnAdministrator() {
        LtiTestHost host;
        FakeLms lms(TestPlatform::canvas());
        registerByApi(host, lms);
        auto admin = host.adminClient();
        CPPUNIT_ASSERT_EQUAL(400, admin.post("/api/v1/lti/platforms", "{\"issuer\":\"x\"}").status);
        int64_t id = 0;
        assay::test::HttpClient teacher(host.host().port());
        host.host().store().createUser({"teach", "T", "", Role::Instructor,
                                        host.host().auth().hashPassword("teach-password"), false});
        teacher.login("teach", "teach-password");
        CPPUNIT_ASSERT_EQUAL(403, teacher.get("/api/v1/lti/platforms").status);
        CPPUNIT_ASSERT_EQUAL(403, teacher.post("/api/v1/lti/registration-url", "{}").status);
        auto list = admin.get("/api/v1/lti/platforms").json()->getArray("platforms");
        CPPUNIT_ASSERT_EQUAL(1u, static_cast<unsigned>(list->size()));
        id = list->getObject(0)->getValue<int64_t>("id");
        CPPUNIT_ASSERT_EQUAL(403,
                             teacher.del("/api/v1/lti/platforms/" + std::to_string(id)).status);
        CPPUNIT_ASSERT_EQUAL(204, admin.del("/api/v1/lti/platforms/" + std::to_string(id)).status);
        CPPUNIT_ASSERT_EQUAL(404, admin.del("/api/v1/lti/platforms/" + std::to_string(id)).status);
        // The JWKS is public and lists the tool's key.
        Browser anyone;
        auto jwks = Jwks::parse(anyone.get(host.base() + "/lti/jwks").body);
        CPPUNIT_ASSERT_EQUAL(size_t{1}, jwks.keys().size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LtiFlowTest);

}  // namespace assay::lti::test
