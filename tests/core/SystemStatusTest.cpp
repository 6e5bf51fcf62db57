// GET /api/v1/system/status over real HTTP: administrators only; health, grading queue and
// outbox always; the sandbox pool when the host's status source (assay-runner's client in
// assayd, a stand-in here) answers, null when it has none or the source fails. The real
// runner behind the page is covered by the e2e.admin story.
#include <cppunit/extensions/HelperMacros.h>

#include "test_host.h"

using namespace assay;

class SystemStatusTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SystemStatusTest);
    CPPUNIT_TEST(testAdminsOnly);
    CPPUNIT_TEST(testWithoutRunner);
    CPPUNIT_TEST(testWithRunner);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override { host_ = std::make_unique<test::TestHost>(); }
    void tearDown() override { host_.reset(); }

    void testAdminsOnly() {
        auto anonymous = host_->client();
        auto r = anonymous.get("/api/v1/system/status");
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unauthenticated"), r.errorCode());
        auto teacher = host_->userClient("tina", Role::Instructor);
        r = teacher.get("/api/v1/system/status");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("forbidden"), r.errorCode());
    }

    void testWithoutRunner() {
        auto admin = host_->adminClient();
        auto r = admin.get("/api/v1/system/status");
        // The page must still load when the runner is down: 200, with the reason in health.
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        auto body = r.json();
        CPPUNIT_ASSERT_EQUAL(std::string("degraded"), body->getValue<std::string>("status"));
        auto health = body->getObject("health");
        CPPUNIT_ASSERT(health->getObject("database")->getValue<bool>("ok"));
        CPPUNIT_ASSERT(!health->getObject("runner")->getValue<bool>("ok"));
        CPPUNIT_ASSERT(health->getObject("runner")->getValue<std::string>("error").find(
                           "not reachable") != std::string::npos);
        auto grading = body->getObject("grading");
        CPPUNIT_ASSERT_EQUAL(0, grading->getValue<int>("active"));
        CPPUNIT_ASSERT_EQUAL(0, grading->getValue<int>("waiting"));
        CPPUNIT_ASSERT(grading->getValue<int>("max_active") >= 1);
        CPPUNIT_ASSERT_EQUAL(0, body->getObject("outbox")->getValue<int>("backlog"));
        CPPUNIT_ASSERT(body->isNull("sandbox"));
    }

    void testWithRunner() {
        int asked = 0;
        host_->host().setSandboxStatus([&asked] {
            ++asked;
            return std::string(R"({"pool_size":4,"busy":1,"waiting":2,"replacements":0,)"
                               R"("start_failures":0,"cgroup":"v2","runs":7})");
        });
        auto admin = host_->adminClient();
        auto r = admin.get("/api/v1/system/status");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(1, asked);
        auto body = r.json();
        auto sandbox = body->getObject("sandbox");
        CPPUNIT_ASSERT(sandbox);
        CPPUNIT_ASSERT_EQUAL(4, sandbox->getValue<int>("pool_size"));
        CPPUNIT_ASSERT_EQUAL(1, sandbox->getValue<int>("busy"));
        CPPUNIT_ASSERT_EQUAL(2, sandbox->getValue<int>("waiting"));
        CPPUNIT_ASSERT_EQUAL(7, sandbox->getValue<int>("runs"));
        CPPUNIT_ASSERT_EQUAL(std::string("v2"), sandbox->getValue<std::string>("cgroup"));

        // A runner that fails to answer, or answers nonsense: the page still loads, no pool.
        host_->host().setSandboxStatus(
            []() -> std::string { throw std::runtime_error("assay-runner did not answer"); });
        r = admin.get("/api/v1/system/status");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(r.json()->isNull("sandbox"));
        host_->host().setSandboxStatus([] { return std::string("not json"); });
        r = admin.get("/api/v1/system/status");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(r.json()->isNull("sandbox"));
    }

  private:
    std::unique_ptr<test::TestHost> host_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SystemStatusTest);
