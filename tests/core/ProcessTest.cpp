// The executables as people run them: assayd with TLS, bad configuration, graceful SIGTERM;
// the assay CLI's help, bundle import refusals and user creation.
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <cppunit/extensions/HelperMacros.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "assay/core/store/db.h"
#include "test_host.h"
#include "zip_writer.h"

using namespace assay;

namespace {

std::string bin(const std::string& name) {
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    return std::string(b ? b : ".") + "/core/" + name;
}

struct Run {
    int code = -1;
    std::string out;
};

// Runs a shell command, capturing stdout and stderr together.
Run sh(const std::string& cmd) {
    Run r;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

int freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
}

bool waitForPort(int port) {
    for (int i = 0; i < 100; ++i) {
        try {
            Poco::Net::StreamSocket s;
            s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
                      Poco::Timespan(0, 200000));
            return true;
        } catch (...) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    return false;
}

}  // namespace

class ProcessTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ProcessTest);
    CPPUNIT_TEST(testHelp);
    CPPUNIT_TEST(testBadConfigNamesTheKey);
    CPPUNIT_TEST(testGracefulStopAndOneTimePassword);
    CPPUNIT_TEST(testTls);
    CPPUNIT_TEST(testCliImportRefusesBadBundlesAndWritesNothing);
    CPPUNIT_TEST(testCliCreateUserAndMigrate);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testHelp() {
        auto r = sh(bin("assayd") + " --help");
        CPPUNIT_ASSERT_EQUAL(0, r.code);
        CPPUNIT_ASSERT(r.out.find("--listen") != std::string::npos);
        r = sh(bin("assay") + " --help");
        CPPUNIT_ASSERT_EQUAL(0, r.code);
        for (const char* c : {"doctor", "db migrate", "admin create-user", "assignment import",
                              "assignment export", "assignment list"})
            CPPUNIT_ASSERT_MESSAGE(c, r.out.find(c) != std::string::npos);
        r = sh(bin("assay") + " assignment import --help");
        CPPUNIT_ASSERT_EQUAL(0, r.code);
        CPPUNIT_ASSERT(r.out.find("--course") != std::string::npos);
        r = sh(bin("assay") + " frobnicate");
        CPPUNIT_ASSERT_EQUAL(2, r.code);
        CPPUNIT_ASSERT(r.out.find("unknown command 'frobnicate'") != std::string::npos);
    }

    void testBadConfigNamesTheKey() {
        test::TempDir dir;
        test::writeFile(dir.file("assay.conf"), "listen = 127.0.0.1:0\n[db]\npool = 3\n");
        auto r = sh(bin("assayd") + " --config " + dir.file("assay.conf"));
        CPPUNIT_ASSERT(r.code != 0);
        CPPUNIT_ASSERT_MESSAGE(r.out, r.out.find("'db.pool'") != std::string::npos);
        r = sh(bin("assayd") + " --listen nowhere --check-config");
        CPPUNIT_ASSERT(r.code != 0);
        CPPUNIT_ASSERT_MESSAGE(r.out, r.out.find("'listen'") != std::string::npos);
    }

    void testGracefulStopAndOneTimePassword() {
        test::TempDir dir;
        const int port = freePort();
        const std::string log = dir.file("out.log");
        // assayd runs as nobody: it gets its own copy of the demo course, wherever the source
        // lives.
        std::filesystem::copy(test::sourceDir() + "/appliance/demo", dir.file("demo"),
                              std::filesystem::copy_options::recursive);
        const std::string demo = dir.file("demo");
        const pid_t pid = fork();
        if (pid == 0) {
            if (!freopen(log.c_str(), "w", stdout)) _exit(126);
            dup2(fileno(stdout), 2);
            const std::string listen = "127.0.0.1:" + std::to_string(port);
            execl(bin("assayd").c_str(), "assayd", "--listen", listen.c_str(), "--data-dir",
                  dir.path().c_str(), "--user", "nobody", "--demo-bundles", demo.c_str(), nullptr);
            _exit(127);
        }
        // As root it switches to "nobody", which must be able to write the data dir.
        CPPUNIT_ASSERT_EQUAL(0, chown(dir.path().c_str(), 65534, 65534));
        CPPUNIT_ASSERT_MESSAGE(test::readFile(log), waitForPort(port));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const std::string out = test::readFile(log);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("one-time password") != std::string::npos);
        test::HttpClient c(port);
        CPPUNIT_ASSERT_EQUAL(200, c.get("/metrics").status);
        kill(pid, SIGTERM);
        int status = 0;
        waitpid(pid, &status, 0);
        CPPUNIT_ASSERT(WIFEXITED(status));
        CPPUNIT_ASSERT_EQUAL(0, WEXITSTATUS(status));
        CPPUNIT_ASSERT(test::readFile(log).find("stopped") != std::string::npos);
    }

    void testTls() {
        test::TempDir dir;
        auto r =
            sh("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout " +
               dir.file("key.pem") + " -out " + dir.file("cert.pem"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.out, 0, r.code);
        test::TestDatabase tdb("sqlite");
        Config cfg = test::testConfig(dir.path(), tdb.url());
        cfg.set("tls.certificate", dir.file("cert.pem"));
        cfg.set("tls.private_key", dir.file("key.pem"));
        Host host(cfg);
        host.open();
        host.start();
        CPPUNIT_ASSERT(host.baseUrl().rfind("https://", 0) == 0);
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_NONE);
        Poco::Net::HTTPSClientSession s("127.0.0.1", static_cast<Poco::UInt16>(host.port()), ctx);
        Poco::Net::HTTPRequest req("POST", "/api/v1/auth/login", Poco::Net::HTTPMessage::HTTP_1_1);
        const std::string body = R"({"username":"admin","password":"wrong-password"})";
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        s.sendRequest(req) << body;
        Poco::Net::HTTPResponse resp;
        s.receiveResponse(resp);
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(resp.getStatus()));
        host.stop(1000);
    }

    void testCliImportRefusesBadBundlesAndWritesNothing() {
        test::TempDir dir;
        const std::string assay = bin("assay") + " --data-dir " + dir.path() + " ";
        const char* m =
            R"({"id":"t","title":"T","statement":"s.md","tests":[{"name":"a","stdin":"1","expected":"1"}]})";
        const std::vector<std::pair<std::string, std::string>> bad = {
            {"nomanifest.zip", test::zip({{"s.md", "x"}})},
            {"badjson.zip", test::zip({{"assignment.json", "{oops"}, {"s.md", "x"}})},
            {"unknown.zip",
             test::zip({{"assignment.json", R"({"id":"t","colour":1})"}, {"s.md", "x"}})},
            {"traversal.zip",
             test::zip({{"assignment.json", m}, {"s.md", "x"}, {"../../etc/passwd", "x"}})},
            {"absolute.zip",
             test::zip({{"assignment.json", m}, {"s.md", "x"}, {"/etc/passwd", "x"}})},
            {"symlink.zip",
             test::zip({{"assignment.json", m}, {"s.md", "x"}, {"l", "/etc/shadow"}}, "l")},
            {"bomb.zip", test::zipWithDeflatedZeros("assignment.json", m, "big.bin", 2ull << 30)},
        };
        const std::vector<std::string> codes = {
            "missing_manifest", "invalid_json",      "unknown_field",   "unsafe_path",
            "unsafe_path",      "symlink_in_bundle", "bundle_too_large"};
        for (size_t i = 0; i < bad.size(); ++i) {
            test::writeFile(dir.file(bad[i].first), bad[i].second);
            auto r = sh(assay + "assignment import " + dir.file(bad[i].first) +
                        " --course C --create-course Course");
            CPPUNIT_ASSERT_MESSAGE(bad[i].first + ": " + r.out, r.code == 1);
            CPPUNIT_ASSERT_MESSAGE(bad[i].first + ": " + r.out,
                                   r.out.find("[" + codes[i] + "]") != std::string::npos);
        }
        // Nothing was written: the bundle is refused before the database is even opened, so
        // not even the course the good path would have created exists.
        CPPUNIT_ASSERT(!std::filesystem::exists(dir.file("assay.db")));
        // The good bundle goes in, and comes out again.
        auto ok =
            sh(assay + "assignment import " + test::sourceDir() +
               "/appliance/demo/02-word-stats --course C " + "--create-course Course --publish");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.out, 0, ok.code);
        auto list = sh(assay + "assignment list");
        CPPUNIT_ASSERT(list.out.find("word-stats") != std::string::npos);
        CPPUNIT_ASSERT(list.out.find("published v1") != std::string::npos);
        auto exp = sh(assay + "assignment export 1 --output " + dir.file("out.zip"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(exp.out, 0, exp.code);
        auto again = sh(assay + "assignment import " + dir.file("out.zip") + " --course C");
        CPPUNIT_ASSERT_MESSAGE(again.out, again.out.find("version 2") != std::string::npos);
    }

    void testCliCreateUserAndMigrate() {
        test::TempDir dir;
        const std::string assay = bin("assay") + " --data-dir " + dir.path() + " ";
        auto m = sh(assay + "db migrate");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(m.out, 0, m.code);
        CPPUNIT_ASSERT(m.out.find("applied core 1") != std::string::npos);
        m = sh(assay + "db migrate");
        CPPUNIT_ASSERT(m.out.find("already up to date") != std::string::npos);
        auto u = sh(assay + "admin create-user Carol --role instructor");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(u.out, 0, u.code);
        CPPUNIT_ASSERT(u.out.find("one-time password: ") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1, sh(assay + "admin create-user carol --role student").code);
        CPPUNIT_ASSERT_EQUAL(2, sh(assay + "admin create-user dave --role wizard").code);
        auto p = sh("echo 'a-long-enough-password' | " + assay +
                    "admin create-user erin --role student --password-stdin");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(p.out, 0, p.code);
        CPPUNIT_ASSERT(p.out.find("one-time password") == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProcessTest);
