// The event outbox: at-least-once delivery with backoff, waiting for absent sinks, and a real
// assayd killed with SIGKILL between enqueue and delivery that delivers once it is back.
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <cppunit/extensions/HelperMacros.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "assay/core/bundle/bundle.h"
#include "assay/core/events/outbox.h"
#include "assay/core/store/migrations.h"
#include "test_host.h"

using namespace assay;
namespace fs = std::filesystem;

namespace {

std::string bin(const std::string& name) {
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    return std::string(b ? b : ".") + "/" + name;
}

int freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
}

pid_t startAssayd(const std::string& dir, int port, const std::string& log) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(log.c_str(), "a", stdout)) _exit(126);
        dup2(fileno(stdout), 2);
        const std::string listen = "127.0.0.1:" + std::to_string(port);
        const std::string conf = dir + "/assay.conf";
        execl(bin("core/assayd").c_str(), "assayd", "--config", conf.c_str(), "--listen",
              listen.c_str(), nullptr);
        _exit(127);
    }
    for (int i = 0; i < 100; ++i) {
        try {
            Poco::Net::StreamSocket s;
            s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
                      Poco::Timespan(0, 200000));
            return pid;
        } catch (...) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    CPPUNIT_FAIL("assayd did not start: " + test::readFile(log));
    return pid;
}

std::string bundleBody() {
    auto b = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/01-greeting");
    Poco::JSON::Object::Ptr files = new Poco::JSON::Object;
    for (const auto& [k, v] : b.files)
        files->set(k, v);
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("manifest", json::parseObject(b.manifestJson));
    body->set("files", files);
    return json::stringify(body);
}

}  // namespace

class OutboxTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OutboxTest);
    CPPUNIT_TEST(testBackoff);
    CPPUNIT_TEST(testRetriesUntilDelivered);
    CPPUNIT_TEST(testAbsentSinkWaits);
    CPPUNIT_TEST(testDeliveryAfterSigkillAndRestart);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        tdb_ = std::make_unique<test::TestDatabase>("sqlite");
        db_ = db::open(tdb_->url(), 2, 5000);
        db::migrate(*db_);
        metrics_ = std::make_unique<Metrics>();
        outbox_ = std::make_unique<Outbox>(*db_, *metrics_);
    }
    void tearDown() override {
        outbox_.reset();
        db_.reset();
    }

    void testBackoff() {
        CPPUNIT_ASSERT_EQUAL(int64_t{1000}, Outbox::backoffMs(0));
        CPPUNIT_ASSERT_EQUAL(int64_t{2000}, Outbox::backoffMs(1));
        CPPUNIT_ASSERT_EQUAL(int64_t{64000}, Outbox::backoffMs(6));
        CPPUNIT_ASSERT_EQUAL(int64_t{600000}, Outbox::backoffMs(40));
    }

    void testRetriesUntilDelivered() {
        int calls = 0;
        std::vector<std::string> got;
        outbox_->registerSink(
            "s", [](const std::string& t) { return t.rfind("submission.", 0) == 0; },
            [&](const plugin::Event& e) {
                if (++calls < 3) throw std::runtime_error("down");
                got.push_back(e.type);
            });
        auto payload = json::parseObject(R"({"id":7})");
        outbox_->publish("submission.created", payload);
        outbox_->publish("course.created", payload);  // not wanted by the sink
        CPPUNIT_ASSERT_EQUAL(int64_t{1}, outbox_->backlog());
        CPPUNIT_ASSERT_EQUAL(0, outbox_->deliverDue());
        CPPUNIT_ASSERT_EQUAL(1, calls);
        CPPUNIT_ASSERT_EQUAL(0, outbox_->deliverDue());  // not due yet: backing off
        CPPUNIT_ASSERT_EQUAL(1, calls);
        // Make it due again, twice.
        for (int i = 0; i < 2; ++i) {
            db_->acquire()->execute("UPDATE outbox SET next_attempt_at = 0");
            outbox_->deliverDue();
        }
        CPPUNIT_ASSERT_EQUAL(3, calls);
        CPPUNIT_ASSERT_EQUAL(size_t{1}, got.size());
        CPPUNIT_ASSERT_EQUAL(int64_t{0}, outbox_->backlog());
        auto row = db_->acquire()->query("SELECT attempts, last_error FROM outbox");
        CPPUNIT_ASSERT_EQUAL(int64_t{3}, row[0].integer(0));
        CPPUNIT_ASSERT_EQUAL(std::string("down"), row[0].text(1));
        CPPUNIT_ASSERT(metrics_->scrape().find(
                           "assay_outbox_deliveries_total{result=\"failed\",sink=\"s\"} 2") !=
                       std::string::npos);
    }

    void testAbsentSinkWaits() {
        int calls = 0;
        outbox_->registerSink(
            "s", [](const std::string&) { return true; }, [&](const plugin::Event&) { ++calls; });
        outbox_->unregisterSink("s");
        // The sink was known when... it is not now: nothing is queued for it.
        outbox_->publish("x", nullptr);
        CPPUNIT_ASSERT_EQUAL(int64_t{0}, outbox_->backlog());
        outbox_->registerSink(
            "s", [](const std::string&) { return true; }, [&](const plugin::Event&) { ++calls; });
        outbox_->publish("x", nullptr);
        outbox_->unregisterSink("s");  // e.g. its plugin is being upgraded
        CPPUNIT_ASSERT_EQUAL(0, outbox_->deliverDue());
        CPPUNIT_ASSERT_EQUAL(int64_t{1}, outbox_->backlog());
        outbox_->registerSink(
            "s", [](const std::string&) { return true; }, [&](const plugin::Event&) { ++calls; });
        CPPUNIT_ASSERT_EQUAL(1, outbox_->deliverDue());
        CPPUNIT_ASSERT_EQUAL(1, calls);
    }

    void testDeliveryAfterSigkillAndRestart() {
        test::TempDir dir;
        fs::create_directories(dir.file("plugins"));
        for (const auto& e : fs::directory_iterator(bin("tests/core/plugin_fixtures/good-v1")))
            fs::copy_file(e.path(), dir.file("plugins/" + e.path().filename().string()));
        const std::string gate = dir.file("gate"), delivered = dir.file("delivered.log");
        test::writeFile(dir.file("assay.conf"), "data_dir = " + dir.path() + "\nuser = nobody\n" +
                                                    "runner.socket = " + dir.file("none.sock") +
                                                    "\n" + "[auth]\npbkdf2_iterations = 1000\n" +
                                                    "[plugin.test.good]\n" + "gate_file = " + gate +
                                                    "\nlog_file = " + delivered + "\n");
        fs::permissions(dir.path(), fs::perms::all, fs::perm_options::replace);
        const int port = freePort();
        const std::string log = dir.file("assayd.log");
        pid_t pid = startAssayd(dir.path(), port, log);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const std::string out = test::readFile(log);
        const auto at = out.find("one-time password");
        CPPUNIT_ASSERT_MESSAGE(out, at != std::string::npos);
        std::string password;
        std::istringstream rest(out.substr(out.find('\n', at)));
        rest >> password;

        test::HttpClient c(port);
        CPPUNIT_ASSERT_EQUAL(200, c.login("admin", password).status);
        auto course = c.post("/api/v1/courses", R"({"code":"OB","title":"Outbox"})");
        const std::string cid = std::to_string(course.json()->getValue<int64_t>("id"));
        auto a = c.post("/api/v1/courses/" + cid + "/assignments", bundleBody());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 201, a.status);
        const std::string aid = std::to_string(a.json()->getValue<int64_t>("id"));
        CPPUNIT_ASSERT_EQUAL(200, c.post("/api/v1/assignments/" + aid + "/publish", "").status);
        // The gate is closed: the notifier fails and the event waits in the outbox.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        CPPUNIT_ASSERT(!fs::exists(delivered));
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);

        test::writeFile(gate, "open");
        pid = startAssayd(dir.path(), port, log);
        std::string got;
        for (int i = 0; i < 100 && got.find("assignment.published") == std::string::npos; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            got = test::readFile(delivered);
        }
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        CPPUNIT_ASSERT_MESSAGE(test::readFile(log),
                               got.find("assignment.published") != std::string::npos);
        // Delivered exactly once: the failed attempts delivered nothing.
        CPPUNIT_ASSERT_EQUAL(size_t{1},
                             static_cast<size_t>(std::count(got.begin(), got.end(), '\n')));
        CPPUNIT_ASSERT(got.find("\"slug\":\"greeting\"") != std::string::npos);
    }

  private:
    std::unique_ptr<test::TestDatabase> tdb_;
    std::unique_ptr<db::Database> db_;
    std::unique_ptr<Metrics> metrics_;
    std::unique_ptr<Outbox> outbox_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxTest);
