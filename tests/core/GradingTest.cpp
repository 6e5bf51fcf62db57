// The grading pipeline's admission control with a real host over HTTP and a grader fixture
// that only sleeps (the sandbox is exercised by the grader suites): pace arithmetic (Edgar's
// example), rubric dependencies, priority order, the waiting-room timeout and pace refusals.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <thread>

#include "assay/core/bundle/bundle.h"
#include "assay/core/grading/pace.h"
#include "assay/core/grading/rubric.h"
#include "test_host.h"

using namespace assay;
namespace fs = std::filesystem;

namespace {

std::string fixtures() {
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    return std::string(b ? b : ".") + "/tests/core/plugin_fixtures";
}

const char* kManifest =
    R"({"id":"q1","title":"Q1","statement":"s.md","pace":{"seconds":[0,5,10,15]},
  "tests":[{"name":"a","stdin":"1","expected":"1","weight":2},
           {"name":"b","stdin":"1","expected":"1","weight":1,"requires":["a"]},
           {"name":"c","stdin":"1","expected":"1","weight":1,"requires":{"any":["a","b"]}}]})";

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(l);
    return out;
}

}  // namespace

class GradingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GradingTest);
    CPPUNIT_TEST(testEdgarPaceExample);
    CPPUNIT_TEST(testPaceBeyondTheArrayAndTiming);
    CPPUNIT_TEST(testRubricDependenciesAndScaling);
    CPPUNIT_TEST(testPriorityOrder);
    CPPUNIT_TEST(testWaitingRoomTimeoutAndFinalsNeverRefused);
    CPPUNIT_TEST(testPaceRefusalOverHttp);
    CPPUNIT_TEST(testLiveUpdatesOverWebSocket);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testEdgarPaceExample() {
        const std::vector<int64_t> q{0, 5, 10, 15}, e{0, 0, 30, 40};
        // Before any run: no wait.
        CPPUNIT_ASSERT_EQUAL(int64_t{0}, grading::nextWaitSeconds(q, e, {0, 0, {}, {}}));
        // Question 1 for the first time: P = max(5, 0) = 5.
        CPPUNIT_ASSERT_EQUAL(int64_t{5}, grading::nextWaitSeconds(q, e, {1, 1, {}, {}}));
        // Question 1 for the second time: P = max(10, 30) = 30.
        CPPUNIT_ASSERT_EQUAL(int64_t{30}, grading::nextWaitSeconds(q, e, {2, 2, {}, {}}));
        // Question 2 for the first time: P = max(5, 40) = 40 (question 2 has had one run).
        CPPUNIT_ASSERT_EQUAL(int64_t{40}, grading::nextWaitSeconds(q, e, {1, 3, {}, {}}));
    }

    void testPaceBeyondTheArrayAndTiming() {
        const std::vector<int64_t> q{0, 0, 5, 10, 17000000};
        CPPUNIT_ASSERT_EQUAL(int64_t{17000000}, grading::paceSeconds(q, 4));
        CPPUNIT_ASSERT_EQUAL(int64_t{17000000},
                             grading::paceSeconds(q, 40));  // the last value holds
        CPPUNIT_ASSERT_EQUAL(int64_t{0}, grading::paceSeconds({}, 3));
        grading::PaceState s{2, 2, 1'000'000, 1'000'000};
        // Third run of the question: 5 s after the second.
        CPPUNIT_ASSERT_EQUAL(int64_t{5000}, grading::msUntilAllowed(q, {}, s, 1'000'000));
        CPPUNIT_ASSERT_EQUAL(int64_t{1000}, grading::msUntilAllowed(q, {}, s, 1'004'000));
        CPPUNIT_ASSERT_EQUAL(int64_t{0}, grading::msUntilAllowed(q, {}, s, 1'005'000));
        // The exam pace counts from the exam's latest run, which may be another question's.
        grading::PaceState t{1, 3, 1'000'000, 1'020'000};
        CPPUNIT_ASSERT_EQUAL(int64_t{40000},
                             grading::msUntilAllowed({0, 5, 10, 15}, {0, 0, 30, 40}, t, 1'020'000));
    }

    void testRubricDependenciesAndScaling() {
        auto m = bundle::parseManifest(kManifest);
        std::map<std::string, plugin::TestOutcome> out;
        out["a"] = {"a", "failed", 0.5, "half", "{}"};
        out["b"] = {"b", "passed", 1.0, "", "{}"};
        out["c"] = {"c", "passed", 1.0, "", "{}"};
        auto s = grading::applyRubric(m, out);
        // a earns half of weight 2; b is locked (a did not pass); c needs a or b: locked too.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(25.0, s.score, 1e-9);  // (1 of 4 weight) * 100
        CPPUNIT_ASSERT(!s.results[1].passed);
        CPPUNIT_ASSERT(s.results[1].feedback.find("first make 'a' pass") != std::string::npos);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.0, s.results[2].points, 1e-9);
        out["a"] = {"a", "passed", 1.0, "", "{}"};
        out["b"] = {"b", "failed", 0.0, "no", "{}"};
        s = grading::applyRubric(m, out);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(75.0, s.score, 1e-9);  // a (2) + c (1, unlocked by a) of 4
        CPPUNIT_ASSERT_DOUBLES_EQUAL(50.0, s.results[0].points, 1e-9);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(25.0, s.results[2].maxPoints, 1e-9);
        out.erase("c");  // an outcome missing: counts nothing, flagged
        s = grading::applyRubric(m, out);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(50.0, s.score, 1e-9);
    }

    void testPriorityOrder() {
        Fixture f(1, 600, "10s", false);
        auto teacher = f.client("tina", Role::Instructor);
        int64_t ids[4];
        auto a = f.client("ann", Role::Student, &ids[0]);
        auto b = f.client("bob", Role::Student, &ids[1]);
        auto c = f.client("cat", Role::Student, &ids[2]);
        auto d = f.client("dan", Role::Student, &ids[3]);
        for (auto id : ids)
            f.enrol(id);
        // Bob already ran twice: his next run has priority 3.
        for (int i = 0; i < 2; ++i)
            CPPUNIT_ASSERT_EQUAL(200, b.post(f.submitPath() + "?wait=30", f.body("run")).status);
        test::writeFile(f.log, "");
        // Ann's run occupies the only slot; then the others arrive in this order.
        std::vector<std::thread> ts;
        std::string statuses;  // unexpected answers, for the failure message
        ts.emplace_back([&] { a.post(f.submitPath(), f.body("run")); });
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        std::vector<std::pair<std::string, test::HttpClient*>> order = {
            {"run", &b}, {"design", &teacher}, {"submit", &c}, {"run", &d}};
        for (auto& [kind, cl] : order) {
            ts.emplace_back([&, kind = kind, cl = cl] {
                auto r = cl->post(f.submitPath(), f.body(kind == "design" ? "run" : kind));
                if (r.status != 202)
                    statuses += kind + ":" + std::to_string(r.status) + " " + r.body + "\n";
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        for (auto& t : ts)
            t.join();
        // A run's request returns when it starts; wait for the last one to be graded.
        for (int i = 0;
             i < 100 && (f.host->grading().active() > 0 || f.host->grading().waiting() > 0); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        // Graded in priority order: Ann (already running), Cat's final (0), Dan's first run (1),
        // Bob's third run (3), the instructor's design-time run (1000).
        auto got = lines(test::readFile(f.log));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses, size_t{5}, got.size());
        auto who = [&](const std::string& sid) {
            return f.host->store().findSubmission(std::stoll(sid))->userId;
        };
        CPPUNIT_ASSERT_EQUAL(ids[0], who(got[0]));
        CPPUNIT_ASSERT_EQUAL(ids[2], who(got[1]));
        CPPUNIT_ASSERT_EQUAL(ids[3], who(got[2]));
        CPPUNIT_ASSERT_EQUAL(ids[1], who(got[3]));
        CPPUNIT_ASSERT(who(got[4]) != ids[0] && who(got[4]) != ids[1] && who(got[4]) != ids[2] &&
                       who(got[4]) != ids[3]);
    }

    void testWaitingRoomTimeoutAndFinalsNeverRefused() {
        Fixture f(1, 2500, "1s", false);
        int64_t s1 = 0, s2 = 0, s3 = 0;
        auto a = f.client("ann", Role::Student, &s1);
        auto b = f.client("bob", Role::Student, &s2);
        auto c = f.client("cat", Role::Student, &s3);
        for (auto id : {s1, s2, s3})
            f.enrol(id);
        std::thread first([&] { a.post(f.submitPath(), f.body("run")); });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const auto t0 = std::chrono::steady_clock::now();
        auto refused = b.post(f.submitPath(), f.body("run"));
        const double waited =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 503, refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("busy"), refused.errorCode());
        CPPUNIT_ASSERT(!refused.headers["retry-after"].empty());
        CPPUNIT_ASSERT(waited >= 0.9 && waited < 2.4);
        // The refused run is kept, marked rejected, and never graded.
        auto subs =
            b.get("/api/v1/assignments/" + f.aid + "/submissions").json()->getArray("submissions");
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"),
                             subs->getObject(0)->getValue<std::string>("status"));
        // A final submission is never refused: it waits and is graded.
        auto fin = c.post(f.submitPath(), f.body("submit"));
        CPPUNIT_ASSERT_EQUAL(202, fin.status);
        first.join();
        const std::string sid = std::to_string(fin.json()->getValue<int64_t>("id"));
        auto done = c.get("/api/v1/submissions/" + sid + "?wait=20").json();
        CPPUNIT_ASSERT_EQUAL(std::string("graded"), done->getValue<std::string>("status"));
        auto metrics = c.get("/metrics").body;
        CPPUNIT_ASSERT(
            metrics.find("assay_grading_refused_total{reason=\"waiting_room_timeout\"} 1") !=
            std::string::npos);
    }

    void testPaceRefusalOverHttp() {
        Fixture f(2, 0, "5s");
        int64_t sid = 0;
        auto s = f.client("sam", Role::Student, &sid);
        f.enrol(sid);
        auto first = s.post(f.submitPath() + "?wait=10", f.body("run"));
        CPPUNIT_ASSERT_EQUAL(200, first.status);
        CPPUNIT_ASSERT_EQUAL(5, first.json()->getValue<int>("next_run_in_s"));
        auto early = s.post(f.submitPath(), f.body("run"));
        CPPUNIT_ASSERT_EQUAL(429, early.status);
        CPPUNIT_ASSERT_EQUAL(std::string("pace"), early.errorCode());
        const int retry = std::stoi(early.headers["retry-after"]);
        CPPUNIT_ASSERT(retry >= 4 && retry <= 5);
        // Final submissions are not paced.
        CPPUNIT_ASSERT_EQUAL(202, s.post(f.submitPath(), f.body("submit")).status);
        // The exam pace (course-wide) applies too: the longer wait wins.
        auto teacher = f.adminClient();
        CPPUNIT_ASSERT_EQUAL(
            200, teacher.put("/api/v1/courses/" + f.cid, R"({"exam_pace":[0,60]})").status);
        auto later = s.post(f.submitPath(), f.body("run"));
        CPPUNIT_ASSERT_EQUAL(429, later.status);
        CPPUNIT_ASSERT(std::stoi(later.headers["retry-after"]) > 50);
        CPPUNIT_ASSERT(
            s.get("/metrics").body.find("assay_grading_refused_total{reason=\"pace\"} 2") !=
            std::string::npos);
    }

    void testLiveUpdatesOverWebSocket() {
        Fixture f(1, 800, "5s", false);
        int64_t sid = 0, other = 0;
        auto s = f.client("sam", Role::Student, &sid);
        auto o = f.client("oli", Role::Student, &other);
        f.enrol(sid);
        f.enrol(other);
        auto sub = s.post(f.submitPath(), f.body("submit"));
        CPPUNIT_ASSERT_EQUAL(202, sub.status);
        const std::string id = std::to_string(sub.json()->getValue<int64_t>("id"));
        auto open = [&](test::HttpClient& c, const std::string& origin) {
            Poco::Net::HTTPClientSession session("127.0.0.1",
                                                 static_cast<Poco::UInt16>(f.host->port()));
            Poco::Net::HTTPRequest req("GET", "/api/v1/submissions/" + id + "/live",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
            req.set("Cookie", c.cookie());
            if (!origin.empty()) req.set("Origin", origin);
            Poco::Net::HTTPResponse resp;
            return std::make_unique<Poco::Net::WebSocket>(session, req, resp);
        };
        auto ws = open(s, "");
        std::vector<std::string> messages;
        char buf[65536];
        int flags = 0;
        for (;;) {
            const int n = ws->receiveFrame(buf, sizeof buf, flags);
            if (n <= 0 || (flags & Poco::Net::WebSocket::FRAME_OP_BITMASK) ==
                              Poco::Net::WebSocket::FRAME_OP_CLOSE)
                break;
            if ((flags & Poco::Net::WebSocket::FRAME_OP_BITMASK) ==
                Poco::Net::WebSocket::FRAME_OP_TEXT)
                messages.emplace_back(buf, static_cast<size_t>(n));
        }
        CPPUNIT_ASSERT(messages.size() >= 2);
        CPPUNIT_ASSERT(messages.front().find("\"type\":\"status\"") != std::string::npos);
        auto last = json::parseObject(messages.back());
        CPPUNIT_ASSERT_EQUAL(std::string("result"), last->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("graded"),
                             last->getObject("submission")->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(size_t{3}, last->getObject("submission")->getArray("results")->size());
        // Another student cannot follow it, nor can a page from another site.
        CPPUNIT_ASSERT_THROW(open(o, ""), Poco::Net::WebSocketException);
        CPPUNIT_ASSERT_THROW(open(s, "https://evil.example"), Poco::Net::WebSocketException);
    }

  private:
    // A host with the sleepy grader and one published assignment in one course.
    struct Fixture {
        test::TempDir dir;
        test::TestDatabase db{"sqlite"};
        std::unique_ptr<Host> host;
        std::string log, cid, aid;

        Fixture(int maxActive, int delayMs, const std::string& timeout, bool paced = true) {
            log = dir.file("graded.log");
            Config cfg = test::testConfig(dir.path(), db.url());
            cfg.set("grading.max_active", std::to_string(maxActive));
            cfg.set("grading.waiting_room_timeout", timeout);
            cfg.set("plugin.test.sleepy.delay_ms", std::to_string(delayMs));
            cfg.set("plugin.test.sleepy.log_file", log);
            fs::create_directories(dir.file("plugins"));
            for (const auto& e : fs::directory_iterator(fixtures() + "/sleepy"))
                fs::copy_file(e.path(), dir.file("plugins/" + e.path().filename().string()));
            host = std::make_unique<Host>(cfg);
            host->open();
            auto admin = host->store().findUserByName("admin");
            host->store().setPassword(admin->id, host->auth().hashPassword("admin-password-1"),
                                      false);
            host->start();
            auto a = adminClient();
            cid = std::to_string(a.post("/api/v1/courses", R"({"code":"G","title":"Grading"})")
                                     .json()
                                     ->getValue<int64_t>("id"));
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
            auto manifest = json::parseObject(kManifest);
            if (!paced) manifest->remove("pace");
            body->set("manifest", manifest);
            Poco::JSON::Object::Ptr files = new Poco::JSON::Object;
            files->set("s.md", "Echo the input.");
            body->set("files", files);
            auto r = a.post("/api/v1/courses/" + cid + "/assignments", json::stringify(body));
            aid = std::to_string(r.json()->getValue<int64_t>("id"));
            a.post("/api/v1/assignments/" + aid + "/publish", "");
        }
        ~Fixture() { host->stop(3000); }

        test::HttpClient adminClient() {
            test::HttpClient c(host->port());
            c.login("admin", "admin-password-1");
            return c;
        }
        test::HttpClient client(const std::string& name, Role role, int64_t* id = nullptr) {
            User u = host->store().createUser(NewUser{
                name, name, "", role, host->auth().hashPassword(name + "-password"), false});
            if (id) *id = u.id;
            if (role == Role::Instructor)
                host->store().enroll(std::stoll(cid), u.id, Role::Instructor);
            test::HttpClient c(host->port());
            c.login(name, name + "-password");
            return c;
        }
        void enrol(int64_t userId) { host->store().enroll(std::stoll(cid), userId, Role::Student); }
        std::string submitPath() const { return "/api/v1/assignments/" + aid + "/submissions"; }
        std::string body(const std::string& kind) const {
            return R"({"kind":")" + kind + R"(","files":{"main.py":"print(input())\n"}})";
        }
    };
};

CPPUNIT_TEST_SUITE_REGISTRATION(GradingTest);
