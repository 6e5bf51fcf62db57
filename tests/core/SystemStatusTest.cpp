// GET /api/v1/system/status over real HTTP: administrators only; health, grading queue and
// outbox always; the sandbox pool when assay-runner answers on its socket (a stand-in runner
// on a real UNIX socket here), null when it does not.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <thread>

#include "test_host.h"

using namespace assay;

namespace {

std::string frame(const std::string& payload) {
    std::string out;
    const auto n = static_cast<uint32_t>(payload.size());
    for (int shift : {24, 16, 8, 0})
        out.push_back(static_cast<char>((n >> shift) & 0xFF));
    return out + payload;
}

bool readExactly(Poco::Net::StreamSocket& s, char* buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        const int r = s.receiveBytes(buf + got, static_cast<int>(n - got));
        if (r <= 0) return false;
        got += static_cast<size_t>(r);
    }
    return true;
}

// Answers each connection's one request frame with `reply`, and remembers the last request.
class FakeRunner {
  public:
    FakeRunner(const std::string& path, std::string reply) : reply_(std::move(reply)) {
        socket_.bind(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, path));
        socket_.listen();
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeRunner() {
        stop_ = true;
        socket_.close();
        thread_.join();
    }
    std::string lastRequest() const { return last_; }

  private:
    void serve() {
        while (!stop_) {
            try {
                if (!socket_.poll(Poco::Timespan(0, 100000), Poco::Net::Socket::SELECT_READ))
                    continue;
                Poco::Net::StreamSocket c = socket_.acceptConnection();
                unsigned char head[4];
                if (!readExactly(c, reinterpret_cast<char*>(head), 4)) continue;
                const size_t n = (size_t{head[0]} << 24) | (size_t{head[1]} << 16) |
                                 (size_t{head[2]} << 8) | size_t{head[3]};
                std::string body(n, '\0');
                if (!readExactly(c, body.data(), n)) continue;
                last_ = body;
                const std::string out = frame(reply_);
                c.sendBytes(out.data(), static_cast<int>(out.size()));
            } catch (const std::exception&) {
                return;  // the socket was closed
            }
        }
    }

    Poco::Net::ServerSocket socket_;
    std::string reply_;
    std::string last_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace

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
        FakeRunner runner(host_->dataDir() + "/no-runner.sock",
                          R"({"ok":true,"status":{"pool_size":4,"busy":1,"waiting":2,)"
                          R"("replacements":0,"start_failures":0,"cgroup":"v2","runs":7}})");
        auto admin = host_->adminClient();
        auto r = admin.get("/api/v1/system/status");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        auto body = r.json();
        CPPUNIT_ASSERT_EQUAL(std::string("{\"type\":\"status\"}"), runner.lastRequest());
        auto sandbox = body->getObject("sandbox");
        CPPUNIT_ASSERT(sandbox);
        CPPUNIT_ASSERT_EQUAL(4, sandbox->getValue<int>("pool_size"));
        CPPUNIT_ASSERT_EQUAL(1, sandbox->getValue<int>("busy"));
        CPPUNIT_ASSERT_EQUAL(2, sandbox->getValue<int>("waiting"));
        CPPUNIT_ASSERT_EQUAL(7, sandbox->getValue<int>("runs"));
        CPPUNIT_ASSERT(body->getObject("health")->getObject("runner")->getValue<bool>("ok"));
    }

  private:
    std::unique_ptr<test::TestHost> host_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SystemStatusTest);
