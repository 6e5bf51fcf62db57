// Assay's events become statements in the built-in LRS and reach an external LRS (a stub on
// loopback) that goes down and comes back, and loses an answer: nothing lost, nothing twice.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "LrsHost.h"
#include "LrsStub.h"

using assay::test::LrsHost;
using assay::test::LrsStub;
using assay::test::waitFor;

namespace {

assay::json::Object graded(int submission, int user, double score) {
    assay::json::Object p = new Poco::JSON::Object;
    p->set("submission_id", submission);
    p->set("user_id", user);
    p->set("assignment_id", 7);
    p->set("course_id", 3);
    p->set("kind", "final");
    p->set("ordinal", 1);
    p->set("score", score);
    p->set("max_score", 10.0);
    p->set("created_at", 1700000000000);
    p->set("graded_at", 1700000060000);
    return p;
}

}  // namespace

class ForwarderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ForwarderTest);
    CPPUNIT_TEST(testDownAndBackNothingLostNothingTwice);
    CPPUNIT_TEST(testQueueSurvivesRestart);
    CPPUNIT_TEST(testTargetsFromTheConfigurationFile);
    CPPUNIT_TEST(testBadTargetConfigurationIsRefused);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testDownAndBackNothingLostNothingTwice() {
        LrsStub all("fwd-user", "s3cret-pass"), scoredOnly("fwd2", "other-pass");
        all.down();
        assay::xapi::XapiModuleOptions o;
        o.retryBaseMs = 50;
        o.retryMaxMs = 200;
        o.forwardPollMs = 50;
        o.forwardTimeoutMs = 2000;
        LrsHost lrs(assay::test::lrsTestEngine(), o);
        auto admin = lrs.adminClient();
        auto t1 = admin.post("/api/v1/lrs/targets",
                             "{\"name\":\"campus\",\"endpoint\":\"" + all.endpoint() +
                                 "\",\"username\":\"fwd-user\",\"password\":\"s3cret-pass\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(t1.body, 201, t1.status);
        CPPUNIT_ASSERT(t1.body.find("s3cret-pass") == std::string::npos);
        auto t2 = admin.post("/api/v1/lrs/targets",
                             "{\"name\":\"scores\",\"endpoint\":\"" + scoredOnly.endpoint() +
                                 "\",\"username\":\"fwd2\",\"password\":\"other-pass\","
                                 "\"verbs\":[\"http://adlnet.gov/expapi/verbs/scored\"]}");
        CPPUNIT_ASSERT_EQUAL(201, t2.status);
        auto listed = admin.get("/api/v1/lrs/targets");
        CPPUNIT_ASSERT(listed.body.find("campus") != std::string::npos);
        CPPUNIT_ASSERT(listed.body.find("s3cret-pass") == std::string::npos);

        // 40 graded submissions (scored + passed/failed + completed each) and 5 new ones.
        const int graded_ = 40, created = 5;
        for (int i = 0; i < graded_; ++i)
            lrs.host().publish("submission.graded", graded(100 + i, 1 + i % 7, i % 11));
        for (int i = 0; i < created; ++i) {
            auto p = graded(200 + i, 2, 0);
            lrs.host().publish("submission.created", p);
        }
        const size_t expected = graded_ * 3 + created;
        // Everything reaches the built-in LRS and waits for the external one, which is down.
        CPPUNIT_ASSERT(waitFor([&] {
            return lrs.lrs("GET", "/xapi/statements?limit=500")
                       .json()
                       ->getArray("statements")
                       ->size() == expected;
        }));
        CPPUNIT_ASSERT(waitFor(
            [&] { return lrs.module().forwardBacklog() >= static_cast<int64_t>(expected); }));
        CPPUNIT_ASSERT(waitFor([&] {
            return admin.get("/metrics")
                       .body.find("assay_xapi_forward_failures_total{target=\"1\"}") !=
                   std::string::npos;
        }));
        CPPUNIT_ASSERT(all.stored().empty());

        // Back up, but the first successful batch loses its answer: the retry must not duplicate.
        all.loseAnswers(1);
        all.up();
        CPPUNIT_ASSERT(waitFor([&] { return lrs.module().forwardBacklog() == 0; }));
        auto stored = all.stored();
        CPPUNIT_ASSERT_EQUAL(expected, stored.size());
        for (const auto& [id, times] : stored)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, 1, times);
        // Every forwarded id is a statement of the built-in LRS.
        for (const auto& [id, times] : stored)
            CPPUNIT_ASSERT_EQUAL(200, lrs.lrs("GET", "/xapi/statements?statementId=" + id).status);
        // The filtered target got exactly the scored statements.
        auto scored = scoredOnly.verbs();
        CPPUNIT_ASSERT_EQUAL(static_cast<size_t>(graded_), scored.size());
        for (const auto& [id, verb] : scored)
            CPPUNIT_ASSERT_EQUAL(std::string("http://adlnet.gov/expapi/verbs/scored"), verb);
        auto metrics = admin.get("/metrics").body;
        CPPUNIT_ASSERT(metrics.find("assay_xapi_forwarded_statements_total{target=\"1\"} " +
                                    std::to_string(expected)) != std::string::npos);

        // A target removed drops its queue; later events still reach the remaining one.
        CPPUNIT_ASSERT_EQUAL(
            204, admin.del("/api/v1/lrs/targets/" + std::to_string(t2.json()->getValue<int>("id")))
                     .status);
        lrs.host().publish("submission.graded", graded(999, 1, 10));
        CPPUNIT_ASSERT(waitFor([&] { return all.stored().size() == expected + 3; }));
        CPPUNIT_ASSERT_EQUAL(static_cast<size_t>(graded_), scoredOnly.verbs().size());
    }

    void testQueueSurvivesRestart() {
        LrsStub stub("u", "p");
        stub.down();
        assay::xapi::XapiModuleOptions o;
        o.retryBaseMs = 50;
        o.retryMaxMs = 100;
        o.forwardPollMs = 50;
        o.forwardTimeoutMs = 2000;
        assay::test::TestDatabase db(assay::test::lrsTestEngine());
        assay::test::TempDir dir;
        const size_t expected = 30;
        {
            LrsHost first(db.url(), dir.path(), o);
            auto admin = first.adminClient();
            CPPUNIT_ASSERT_EQUAL(201,
                                 admin
                                     .post("/api/v1/lrs/targets",
                                           "{\"name\":\"t\",\"endpoint\":\"" + stub.endpoint() +
                                               "\",\"username\":\"u\",\"password\":\"p\"}")
                                     .status);
            for (int i = 0; i < 10; ++i)
                first.host().publish("submission.graded", graded(300 + i, 4, 10));
            CPPUNIT_ASSERT(waitFor(
                [&] { return first.module().forwardBacklog() == static_cast<int64_t>(expected); }));
        }  // stopped with the target still down
        stub.up();
        LrsHost second(db.url(), dir.path(), o);
        CPPUNIT_ASSERT(waitFor([&] { return second.module().forwardBacklog() == 0; }));
        auto stored = stub.stored();
        CPPUNIT_ASSERT_EQUAL(expected, stored.size());
        for (const auto& [id, times] : stored)
            CPPUNIT_ASSERT_EQUAL(1, times);
    }

    void testTargetsFromTheConfigurationFile() {
        LrsStub stub("cfg-user", "cfg secret pass");
        stub.down();
        assay::test::TempDir dir;
        const std::string passwordFile = dir.path() + "/lrs-password";
        {
            std::ofstream out(passwordFile);
            out << "cfg secret pass\n";
        }
        assay::xapi::XapiModuleOptions o;
        o.forwardPollMs = 50;
        // Retries an hour apart: nothing is retried unless the test says so.
        const std::string config =
            "[xapi.forward]\nbatch = 2\nretry_base = 1h\n"
            "retry_max = 2h\ntimeout = 2s\n"
            "[xapi.target.campus]\nendpoint = " +
            stub.endpoint() + "\nusername = cfg-user\npassword_file = " + passwordFile +
            "\nverbs = http://adlnet.gov/expapi/verbs/scored\n";
        assay::test::TestDatabase db(assay::test::lrsTestEngine());
        assay::test::TempDir data;
        {
            LrsHost lrs(db.url(), data.path(), o, config);
            auto admin = lrs.adminClient();
            auto listed = admin.get("/api/v1/lrs/targets");
            CPPUNIT_ASSERT_EQUAL(200, listed.status);
            auto targets =
                Poco::JSON::Parser().parse(listed.body).extract<Poco::JSON::Array::Ptr>();
            CPPUNIT_ASSERT_EQUAL(1u, static_cast<unsigned>(targets->size()));
            CPPUNIT_ASSERT_EQUAL(std::string("campus"),
                                 targets->getObject(0)->getValue<std::string>("name"));
            CPPUNIT_ASSERT_EQUAL(std::string("config"),
                                 targets->getObject(0)->getValue<std::string>("origin"));
            CPPUNIT_ASSERT(listed.body.find("cfg secret pass") == std::string::npos);
            // Five graded submissions: only the five scored statements are queued (verbs).
            for (int i = 0; i < 5; ++i)
                lrs.host().publish("submission.graded", graded(500 + i, 2, 10));
            auto& database = lrs.host().database();
            auto count = [&](const std::string& where) {
                return database.acquire()
                    ->query("SELECT COUNT(*) FROM xapi_forward_queue" + where)[0]
                    .integer(0);
            };
            CPPUNIT_ASSERT(waitFor([&] { return count(" WHERE attempts > 0") == 5; }));
            CPPUNIT_ASSERT_EQUAL(int64_t{5}, count(""));
            // The first failure put each row an hour (retry_base) ahead.
            const int64_t soon = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count() +
                                 30 * 60'000;
            CPPUNIT_ASSERT_EQUAL(int64_t{5}, count(" WHERE due_ms > " + std::to_string(soon)));
            // Due now with the target back: batches of 2 (batch) with the file's password.
            stub.up();
            database.acquire()->execute("UPDATE xapi_forward_queue SET due_ms = 0");
            lrs.module().forwardDue();
            CPPUNIT_ASSERT_EQUAL(int64_t{0}, lrs.module().forwardBacklog());
            CPPUNIT_ASSERT_EQUAL(size_t{5}, stub.verbs().size());
            for (const auto& [id, verb] : stub.verbs())
                CPPUNIT_ASSERT_EQUAL(std::string("http://adlnet.gov/expapi/verbs/scored"), verb);
            CPPUNIT_ASSERT_EQUAL(3, stub.requests());
            // The configuration file owns the target: the API cannot remove it.
            const auto targetId = targets->getObject(0)->getValue<int>("id");
            auto del = admin.del("/api/v1/lrs/targets/" + std::to_string(targetId));
            CPPUNIT_ASSERT_EQUAL(409, del.status);
            CPPUNIT_ASSERT_EQUAL(std::string("xapi.target_in_config"), del.errorCode());
        }
        // Restarted with the section gone: the target goes too.
        {
            LrsHost lrs(db.url(), data.path(), o, "");
            auto listed = lrs.adminClient().get("/api/v1/lrs/targets");
            CPPUNIT_ASSERT_EQUAL(std::string("[]"), listed.body);
        }
    }

    void testBadTargetConfigurationIsRefused() {
        assay::Config c;
        CPPUNIT_ASSERT_THROW(c.loadString("[xapi.target.x]\ncolour = red\n"), assay::ConfigError);
        CPPUNIT_ASSERT_THROW(c.loadString("[xapi.forward]\nbatch = 0\n"), assay::ConfigError);
        CPPUNIT_ASSERT_THROW(c.loadString("[xapi.target]\nendpoint = http://x/\n"),
                             assay::ConfigError);
        c.loadString("[xapi.target.a.b]\nendpoint = http://lrs.example.edu/xapi/\n");
        CPPUNIT_ASSERT_EQUAL(std::string("http://lrs.example.edu/xapi/"),
                             c.namedSections("xapi.target")["a.b"]["endpoint"]);
        // A target without an endpoint stops the host from starting.
        bool refused = false;
        try {
            LrsHost lrs(assay::test::lrsTestEngine(), {}, "[xapi.target.x]\nusername = u\n");
        } catch (const assay::ConfigError& e) {
            refused = std::string(e.key()) == "xapi.target.x.endpoint";
        }
        CPPUNIT_ASSERT(refused);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ForwarderTest);
