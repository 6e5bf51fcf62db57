// The runner over its real Unix socket: client round trips, status and metrics, refusal of
// malformed and oversized messages with stable codes, the CLI helper and the daemon binary.
#include "SandboxFixture.h"

#include <assay/containers/protocol.h>
#include <assay/containers/runner_client.h>
#include <assay/containers/sandbox/runner_server.h>
#include <assay/containers/sandbox_cli.h>
#include <assay/containers/sandbox_doctor.h>

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace assay::containers;
using namespace assay::containers::test;

namespace {

int connectTo(const std::string& path) {
    const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(s);
        return -1;
    }
    return s;
}

void sendRaw(int fd, const std::string& bytes) {
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(bytes.size()),
                         ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL));
}

// Reads one reply frame and returns its error code ("" for an ok reply).
std::string replyCode(int fd) {
    unsigned char h[4];
    if (::recv(fd, h, 4, MSG_WAITALL) != 4) return "<no reply>";
    std::string payload(frameLength(h), '\0');
    if (::recv(fd, payload.data(), payload.size(), MSG_WAITALL) !=
        static_cast<ssize_t>(payload.size())) {
        return "<short reply>";
    }
    Poco::JSON::Parser p;
    const auto o = p.parse(payload).extract<Poco::JSON::Object::Ptr>();
    if (o->getValue<bool>("ok")) return "";
    return o->getObject("error")->getValue<std::string>("code");
}

}  // namespace

class RunnerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RunnerTest);
    CPPUNIT_TEST(testClientRoundTrip);
    CPPUNIT_TEST(testStatusAndMetrics);
    CPPUNIT_TEST(testMalformedMessagesAreRefused);
    CPPUNIT_TEST(testOversizedJobIsRefused);
    CPPUNIT_TEST(testSandboxCliHelper);
    CPPUNIT_TEST(testKeptConnectionSurvivesRunnerRestart);
    CPPUNIT_TEST(testUnreachableRunner);
    CPPUNIT_TEST(testSocketInUseIsNotStolen);
    CPPUNIT_TEST(testDoctor);
    CPPUNIT_TEST(testDaemonBinary);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        config_ = testConfig(1, "rn");
        pool_ = std::make_unique<SandboxPool>(config_);
        RunnerServerOptions o;
        o.socketPath = config_.lxcPath + "/runner.sock";
        o.maxMessageBytes = 64u << 10;
        socket_ = o.socketPath;
        server_ = std::make_unique<RunnerServer>(*pool_, o);
        server_->start();
    }
    void tearDown() override {
        server_.reset();
        pool_.reset();
        std::filesystem::remove_all(config_.lxcPath);
    }

    void testClientRoundTrip() {
        RunnerClient client(socket_);
        Job j = pythonJob("import sys\nprint(sys.stdin.read().upper(), end='')\n");
        j.stdinData = "über\n";
        const RunResult r = client.run(j);
        CPPUNIT_ASSERT(r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_EQUAL(std::string("ÜBER\n"), r.stdoutData);
        CPPUNIT_ASSERT(r.memoryKb > 0);
        Limits l;
        l.cpuMs = 300;
        const RunResult slow = client.run(pythonJob("while True: pass\n", l));
        CPPUNIT_ASSERT(slow.verdict == Verdict::CpuTimeExceeded);
    }

    void testStatusAndMetrics() {
        RunnerClient client(socket_);
        client.run(pythonJob("print(1)\n"));
        client.run(pythonJob("raise SystemExit(2)\n"));
        Poco::JSON::Parser p;
        const auto status = p.parse(client.statusJson()).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(1, status->getValue<int>("pool_size"));
        CPPUNIT_ASSERT_EQUAL(2, status->getValue<int>("runs"));
        const auto byVerdict = status->getObject("runs_by_verdict");
        CPPUNIT_ASSERT_EQUAL(1, byVerdict->getValue<int>("ok"));
        CPPUNIT_ASSERT_EQUAL(1, byVerdict->getValue<int>("runtime_error"));
        CPPUNIT_ASSERT_EQUAL(0, byVerdict->getValue<int>("sandbox_error"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, status->getArray("containers")->size());
        const std::string metrics = client.metricsText();
        CPPUNIT_ASSERT_MESSAGE(
            metrics,
            metrics.find("assay_runner_runs_total{verdict=\"ok\"} 1\n") != std::string::npos);
        CPPUNIT_ASSERT(metrics.find("assay_runner_pool_size 1\n") != std::string::npos);
        CPPUNIT_ASSERT(metrics.find("assay_runner_run_latency_ms_count 2\n") != std::string::npos);
        CPPUNIT_ASSERT(metrics.find("assay_runner_replacements_total 0\n") != std::string::npos);
    }

    void testMalformedMessagesAreRefused() {
        int fd = connectTo(socket_);
        CPPUNIT_ASSERT(fd >= 0);
        sendRaw(fd, encodeFrame("not json"));
        CPPUNIT_ASSERT_EQUAL(std::string("bad_json"), replyCode(fd));
        // The connection stays usable after a refused (but well-framed) request.
        sendRaw(fd, encodeFrame(R"({"type":"reboot"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown_type"), replyCode(fd));
        sendRaw(
            fd,
            encodeFrame(
                R"({"type":"run","job":{"argv":["x"],"files":[{"path":"../../etc/x","content":""}]}})"));
        CPPUNIT_ASSERT_EQUAL(std::string("bad_request"), replyCode(fd));
        sendRaw(fd, encodeFrame(R"({"type":"status"})"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), replyCode(fd));
        // A length above the limit is refused before anything is read, and the stream closed.
        sendRaw(fd, std::string("\xff\xff\xff\xff", 4));
        CPPUNIT_ASSERT_EQUAL(std::string("oversized_message"), replyCode(fd));
        char byte;
        CPPUNIT_ASSERT_EQUAL(ssize_t{0}, ::recv(fd, &byte, 1, 0));
        ::close(fd);
        // A frame cut short by the peer does not hurt the server.
        fd = connectTo(socket_);
        sendRaw(fd, std::string("\x00\x00\x01\x00{\"type\"", 11));
        ::shutdown(fd, SHUT_WR);
        CPPUNIT_ASSERT_EQUAL(std::string("truncated_frame"), replyCode(fd));
        ::close(fd);
        RunnerClient client(socket_);
        CPPUNIT_ASSERT(client.run(pythonJob("print('still serving')\n")).stdoutData ==
                       "still serving\n");
    }

    void testOversizedJobIsRefused() {
        RunnerClient client(socket_);
        Job j = pythonJob("print(1)\n");
        j.files.push_back({"big.txt", std::string(100u << 10, 'a'), false});
        try {
            client.run(j);
            CPPUNIT_FAIL("an oversized job was accepted");
        } catch (const ProtocolError& e) {
            CPPUNIT_ASSERT(e.code() == ProtocolErrorCode::OversizedMessage);
        }
    }

    void testSandboxCliHelper() {
        const std::string dir = config_.lxcPath + "/cli-job";
        std::filesystem::create_directories(dir + "/lib");
        std::ofstream(dir + "/main.py")
            << "import sys\nfrom lib.util import greet\nprint(greet(sys.stdin.read().strip()))\n";
        std::ofstream(dir + "/lib/util.py") << "def greet(n):\n    return 'hi ' + n\n";
        std::ofstream(dir + "/stdin.txt") << "ada\n";
        SandboxRunOptions o;
        o.socketPath = socket_;
        o.dir = dir;
        o.argv = {"python3", "main.py"};
        o.cpuSeconds = 2;
        o.wallSeconds = 5;
        o.memory = "128M";
        o.stdinFile = dir + "/stdin.txt";
        std::ostringstream out, err;
        CPPUNIT_ASSERT_EQUAL(0, sandboxRun(o, out, err));
        Poco::JSON::Parser p;
        const auto r = p.parse(out.str()).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), r->getValue<std::string>("verdict"));
        CPPUNIT_ASSERT_EQUAL(std::string("hi ada\n"), r->getValue<std::string>("stdout"));
        for (const char* key :
             {"exit_code", "signal", "stderr", "truncated", "wall_ms", "cpu_ms", "memory_kb"}) {
            CPPUNIT_ASSERT_MESSAGE(key, r->has(key));
        }
        // A failing program is still a working sandbox: exit 0 with its verdict.
        std::ofstream(dir + "/main.py") << "raise SystemExit(4)\n";
        out.str("");
        CPPUNIT_ASSERT_EQUAL(0, sandboxRun(o, out, err));
        CPPUNIT_ASSERT(out.str().find("\"verdict\":\"runtime_error\"") != std::string::npos);
        std::ostringstream status;
        CPPUNIT_ASSERT_EQUAL(0, sandboxStatus(socket_, status, err));
        CPPUNIT_ASSERT(status.str().find("\"pool_size\":1") != std::string::npos);
    }

    // The client keeps its connection between calls; when the runner restarts meanwhile, the
    // next call goes over a new connection instead of failing.
    void testKeptConnectionSurvivesRunnerRestart() {
        RunnerClient client(socket_);
        CPPUNIT_ASSERT(client.run(pythonJob("print(1)\n")).verdict == Verdict::Ok);
        RunnerClient copy = client;  // copies share the kept connections
        server_.reset();
        RunnerServerOptions o;
        o.socketPath = socket_;
        server_ = std::make_unique<RunnerServer>(*pool_, o);
        server_->start();
        const RunResult r = copy.run(pythonJob("print(2)\n"));
        CPPUNIT_ASSERT(r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_EQUAL(std::string("2\n"), r.stdoutData);
        CPPUNIT_ASSERT(client.run(pythonJob("print(3)\n")).verdict == Verdict::Ok);
    }

    void testUnreachableRunner() {
        SandboxRunOptions o;
        o.socketPath = config_.lxcPath + "/nobody-listens.sock";
        o.dir = config_.lxcPath;
        o.argv = {"python3", "-c", "pass"};
        std::ostringstream out, err;
        CPPUNIT_ASSERT_EQUAL(1, sandboxRun(o, out, err));
        CPPUNIT_ASSERT(out.str().empty());
        CPPUNIT_ASSERT(err.str().find("cannot reach the runner") != std::string::npos);
    }

    void testSocketInUseIsNotStolen() {
        RunnerServerOptions o;
        o.socketPath = socket_;
        RunnerServer second(*pool_, o);
        CPPUNIT_ASSERT_THROW(second.start(), std::runtime_error);
        // The first server still owns the socket and answers.
        CPPUNIT_ASSERT(RunnerClient(socket_).run(pythonJob("print('first')\n")).stdoutData ==
                       "first\n");
    }

    void testDoctor() {
        // This machine has everything: every check passes against the live runner.
        std::ostringstream out;
        const std::string image = config_.hostBind ? std::string("/") : config_.rootfs;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out.str(), 0, sandboxDoctor(socket_, image, out));
        CPPUNIT_ASSERT(out.str().find("ok       user namespaces") != std::string::npos);
        // A missing image and a runner that is not there are named in plain words.
        std::ostringstream bad;
        CPPUNIT_ASSERT_EQUAL(
            2, sandboxDoctor(config_.lxcPath + "/none.sock", config_.lxcPath + "/no-image", bad));
        CPPUNIT_ASSERT_MESSAGE(
            bad.str(), bad.str().find("MISSING  sandbox image: no image at") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            bad.str(),
            bad.str().find("MISSING  runner: cannot reach the runner") != std::string::npos);
    }

    void testDaemonBinary() {
        server_.reset();
        pool_.reset();
        const std::string bin = envOr("ASSAY_BINARY_DIR", ".") + "/containers/assay-runner";
        const std::string sock = config_.lxcPath + "/daemon.sock";
        const std::string lxcPath = config_.lxcPath + "/daemon";
        const std::string image = config_.rootfs;
        const pid_t pid = ::fork();
        if (pid == 0) {
            std::vector<std::string> args = {bin, "--socket",   sock,   "--pool",
                                             "1", "--lxc-path", lxcPath};
            if (config_.hostBind) {
                args.push_back("--host-bind");
            } else {
                args.insert(args.end(), {"--image", image});
            }
            std::vector<char*> argv;
            for (auto& a : args)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(bin.c_str(), argv.data());
            ::_exit(127);
        }
        // Stops the daemon however the test ends.
        struct Stop {
            pid_t pid;
            bool done = false;
            ~Stop() {
                if (done) return;
                ::kill(pid, SIGKILL);
                ::waitpid(pid, nullptr, 0);
            }
        } guard{pid};
        bool up = false;
        for (int i = 0; i < 500 && !up; ++i) {
            const int fd = connectTo(sock);
            up = fd >= 0;
            if (fd >= 0) ::close(fd);
            if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        CPPUNIT_ASSERT_MESSAGE("assay-runner did not come up", up);
        const RunResult r = RunnerClient(sock).run(pythonJob("print(6 * 7)\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("42\n"), r.stdoutData);
        // The daemon blocks SIGTERM/SIGINT and ignores SIGPIPE; none of it reaches a run.
        Job sig = pythonJob("");
        sig.argv = {"grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"};
        const RunResult s = RunnerClient(sock).run(sig);
        CPPUNIT_ASSERT_EQUAL(std::string("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"),
                             s.stdoutData);
        const RunResult pipe =
            RunnerClient(sock).run(pythonJob("import os\nprint(os.system('yes | head -n 1'))\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("y\n0\n"), pipe.stdoutData);
        ::kill(pid, SIGTERM);
        int status = 0;
        ::waitpid(pid, &status, 0);
        guard.done = true;
        CPPUNIT_ASSERT(WIFEXITED(status));
        CPPUNIT_ASSERT_EQUAL(0, WEXITSTATUS(status));
        CPPUNIT_ASSERT(!std::filesystem::exists(sock));
        // --help works without root privileges being exercised.
        CPPUNIT_ASSERT_EQUAL(0, std::system((bin + " --help > /dev/null").c_str()));
        CPPUNIT_ASSERT(std::system((bin + " --no-such-flag 2> /dev/null").c_str()) != 0);
    }

  private:
    SandboxConfig config_;
    std::unique_ptr<SandboxPool> pool_;
    std::unique_ptr<RunnerServer> server_;
    std::string socket_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RunnerTest);
