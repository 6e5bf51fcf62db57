// Crash safety with real processes: assayd (unprivileged) and assay-runner are both killed
// with SIGKILL while final submissions are being graded; after both restart, every
// submission is graded exactly once: none lost, no result or grade event recorded twice.
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include "assay/core/bundle/bundle.h"
#include "assay/core/store/db.h"
#include "runner_process.h"
#include "test_host.h"

using namespace assay;
namespace fs = std::filesystem;

namespace {

std::string binary(const std::string& rel) {
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    return std::string(b ? b : ".") + "/" + rel;
}

class Assayd {
  public:
    Assayd(const std::string& dir, int port) : dir_(dir), port_(port) {}
    ~Assayd() { stop(SIGTERM); }
    void start() {
        pid_ = fork();
        if (pid_ == 0) {
            const std::string log = dir_ + "/assayd.log";
            if (!freopen(log.c_str(), "a", stdout)) _exit(126);
            dup2(fileno(stdout), 2);
            const std::string conf = dir_ + "/assay.conf";
            const std::string listen = "127.0.0.1:" + std::to_string(port_);
            execl(binary("core/assayd").c_str(), "assayd", "--config", conf.c_str(), "--listen",
                  listen.c_str(), nullptr);
            _exit(127);
        }
        for (int i = 0; i < 150; ++i) {
            try {
                Poco::Net::StreamSocket s;
                s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port_)),
                          Poco::Timespan(0, 200000));
                return;
            } catch (...) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        CPPUNIT_FAIL("assayd did not start: " + test::readFile(dir_ + "/assayd.log"));
    }
    void stop(int sig) {
        if (pid_ <= 0) return;
        kill(pid_, sig);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

  private:
    std::string dir_;
    int port_;
    pid_t pid_ = -1;
};

}  // namespace

class RecoveryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecoveryTest);
    CPPUNIT_TEST(testKillBothProcessesDuringGrading);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testKillBothProcessesDuringGrading() {
        test::TempDir dir;
        fs::permissions(dir.path(), fs::perms::all, fs::perm_options::replace);
        // assayd runs as nobody: give it its own copy of the graders, wherever the build lives.
        fs::create_directories(dir.file("plugins"));
        for (const auto& e : fs::directory_iterator(binary("lib/assay/plugins")))
            fs::copy_file(e.path(), dir.file("plugins/" + e.path().filename().string()));
        auto runner = std::make_unique<test::RunnerProcess>(dir.file("runner"), 2, "nogroup");
        test::writeFile(dir.file("assay.conf"),
                        "data_dir = " + dir.path() + "\nuser = nobody\n" + "runner.socket = " +
                            runner->socket() + "\n" + "plugins.dir = " + dir.file("plugins") +
                            "\n" + "[auth]\npbkdf2_iterations = 1000\n[grading]\nmax_active = 2\n");
        int port;
        {
            Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
            port = s.address().port();
        }
        Assayd assayd(dir.path(), port);
        assayd.start();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const std::string out = test::readFile(dir.file("assayd.log"));
        const auto at = out.find("one-time password");
        CPPUNIT_ASSERT_MESSAGE(out, at != std::string::npos);
        std::string password;
        std::istringstream(out.substr(out.find('\n', at))) >> password;

        test::HttpClient admin(port);
        CPPUNIT_ASSERT_EQUAL(200, admin.login("admin", password).status);
        const std::string cid =
            std::to_string(admin.post("/api/v1/courses", R"({"code":"R","title":"Recovery"})")
                               .json()
                               ->getValue<int64_t>("id"));
        auto b = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/01-greeting");
        Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
        body->set("manifest", json::parseObject(b.manifestJson));
        Poco::JSON::Object::Ptr files = new Poco::JSON::Object;
        for (const auto& [k, v] : b.files)
            files->set(k, v);
        body->set("files", files);
        const std::string aid = std::to_string(
            admin.post("/api/v1/courses/" + cid + "/assignments", json::stringify(body))
                .json()
                ->getValue<int64_t>("id"));
        admin.post("/api/v1/assignments/" + aid + "/publish", "");

        // Twelve students submit a (slow, correct) final at once.
        const int students = 12;
        const std::string code =
            "import time\\ntime.sleep(0.25)\\nprint(f\\\"Hello, {input().strip()}!\\\")\\n";
        std::vector<int64_t> ids;
        for (int i = 0; i < students; ++i) {
            const std::string name = "s" + std::to_string(i);
            auto u = admin.post("/api/v1/users",
                                R"({"username":")" + name +
                                    R"(","role":"student","password":"student-password-1"})");
            admin.put("/api/v1/courses/" + cid + "/members/" +
                          std::to_string(u.json()->getValue<int64_t>("id")),
                      R"({"role":"student"})");
            test::HttpClient s(port);
            s.login(name, "student-password-1");
            auto r = s.post("/api/v1/assignments/" + aid + "/submissions",
                            R"({"kind":"submit","files":{"main.py":")" + code + R"("}})");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 202, r.status);
            ids.push_back(r.json()->getValue<int64_t>("id"));
        }
        // Let some finish and some be running, then kill both processes outright.
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        assayd.stop(SIGKILL);
        runner->stop(SIGKILL);

        auto countGraded = [&] {
            auto db = db::open("sqlite:" + dir.file("assay.db"), 1, 5000);
            return db->acquire()
                ->query("SELECT COUNT(*) FROM submissions WHERE status = 'graded'")[0]
                .integer(0);
        };
        const int64_t gradedBeforeRestart = countGraded();
        CPPUNIT_ASSERT_MESSAGE("nothing left to recover: the kill came too late",
                               gradedBeforeRestart < students);

        runner = std::make_unique<test::RunnerProcess>(dir.file("runner"), 2, "nogroup");
        assayd.start();
        int64_t graded = 0;
        for (int i = 0; i < 600 && graded < students; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            graded = countGraded();
        }
        assayd.stop(SIGTERM);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(test::readFile(dir.file("assayd.log")), int64_t{students},
                                     graded);

        auto db = db::open("sqlite:" + dir.file("assay.db"), 1, 5000);
        auto c = db->acquire();
        for (int64_t id : ids) {
            auto r = c->query("SELECT status, score FROM submissions WHERE id = ?", {id});
            CPPUNIT_ASSERT_EQUAL(std::string("graded"), r[0].text(0));
            CPPUNIT_ASSERT_DOUBLES_EQUAL(10.0, r[0].number(1), 1e-9);
            CPPUNIT_ASSERT_EQUAL(
                int64_t{3},
                c->query("SELECT COUNT(*) FROM results WHERE submission_id = ?", {id})[0].integer(
                    0));
        }
        // Exactly one grade event per submission: the LMS and the LRS hear of each grade once.
        auto events = c->query("SELECT payload FROM bus_events WHERE type = 'submission.graded'");
        CPPUNIT_ASSERT_EQUAL(static_cast<size_t>(students), events.size());
        std::set<int64_t> seen;
        for (const auto& e : events)
            seen.insert(json::parseObject(e.text(0))->getValue<int64_t>("submission_id"));
        CPPUNIT_ASSERT_EQUAL(static_cast<size_t>(students), seen.size());
        CPPUNIT_ASSERT(test::readFile(dir.file("assayd.log")).find("re-queued") !=
                       std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryTest);
