// Real containers: a job's files, stdin, output, exit status, environment, identity,
// isolation of runs, each limit's verdict, concurrency and metrics of the warm pool.
#include "SandboxFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

using namespace assay::containers;
using namespace assay::containers::test;

namespace {

std::string show(const RunResult& r) {
    return std::string("verdict=") + verdictName(r.verdict) +
           " exit=" + std::to_string(r.exitCode) + " signal=" + std::to_string(r.signal) +
           " stdout=[" + r.stdoutData.substr(0, 300) + "] stderr=[" + r.stderrData.substr(0, 600) +
           "] error=[" + r.errorMessage + "]";
}

Limits smallLimits() {
    Limits l;
    l.cpuMs = 2000;
    l.wallMs = 5000;
    l.memoryBytes = 128u << 20;
    l.outputBytes = 64u << 10;
    l.fileSizeBytes = 1u << 20;
    l.tmpfsBytes = 8u << 20;
    return l;
}

}  // namespace

class SandboxTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SandboxTest);
    CPPUNIT_TEST(testHelloWorld);
    CPPUNIT_TEST(testFilesAndStdin);
    CPPUNIT_TEST(testLargeStdinAndOutput);
    CPPUNIT_TEST(testExitCodeAndSignal);
    CPPUNIT_TEST(testCommandNotFound);
    CPPUNIT_TEST(testEnvironmentIsExplicit);
    CPPUNIT_TEST(testIdentityAndConfinement);
    CPPUNIT_TEST(testPytestAvailable);
    CPPUNIT_TEST(testMultiprocessingAndNumpy);
    CPPUNIT_TEST(testRunsDoNotSeeEachOther);
    CPPUNIT_TEST(testMemoryLimit);
    CPPUNIT_TEST(testCpuLimit);
    CPPUNIT_TEST(testWallLimit);
    CPPUNIT_TEST(testOutputLimitPerStream);
    CPPUNIT_TEST(testFileSizeLimit);
    CPPUNIT_TEST(testFilesLargerThanWorkdir);
    CPPUNIT_TEST(testConcurrentRunsAndMetrics);
    CPPUNIT_TEST(testLostContainerIsReplaced);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override { pool_ = std::make_unique<SandboxPool>(testConfig(2, "sb")); }
    void tearDown() override {
        const std::string lxcPath = pool_->config().lxcPath;
        pool_.reset();
        std::filesystem::remove_all(lxcPath);  // liblxc's per-container logs
    }

    void testHelloWorld() {
        const RunResult r = pool_->run(pythonJob("print('hello, world')\n"));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_EQUAL(0, r.exitCode);
        CPPUNIT_ASSERT_EQUAL(0, r.signal);
        CPPUNIT_ASSERT_EQUAL(std::string("hello, world\n"), r.stdoutData);
        CPPUNIT_ASSERT_EQUAL(std::string(), r.stderrData);
        CPPUNIT_ASSERT(!r.truncated);
        CPPUNIT_ASSERT(r.wallMs > 0);
        CPPUNIT_ASSERT(r.cpuMs > 0);
        CPPUNIT_ASSERT(r.memoryKb > 1000);
    }

    void testFilesAndStdin() {
        Job j = pythonJob(
            "import sys, os\n"
            "from pkg.helper import twice\n"
            "data = open('data.bin', 'rb').read()\n"
            "print(twice(sum(int(x) for x in sys.stdin.read().split())), list(data), "
            "os.access('run.sh', os.X_OK))\n");
        j.files.push_back({"pkg/__init__.py", "", false});
        j.files.push_back({"pkg/helper.py", "def twice(x):\n    return 2 * x\n", false});
        j.files.push_back({"data.bin", std::string("\x00\xff\x10", 3), false});
        j.files.push_back({"run.sh", "#!/bin/sh\necho hi\n", true});
        j.stdinData = "1 2 3\n4\n";
        const RunResult r = pool_->run(j);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_EQUAL(std::string("20 [0, 255, 16] True\n"), r.stdoutData);
    }

    void testLargeStdinAndOutput() {
        // 1 MiB in, 1 MiB out: stdin is written while stdout is read, neither may stall.
        Limits l;
        l.outputBytes = 2u << 20;
        Job j = pythonJob(
            "import sys\ndata = sys.stdin.buffer.read()\nsys.stdout.buffer.write(data[::-1])\n", l);
        j.stdinData.reserve(1u << 20);
        for (std::size_t i = 0; i < (1u << 20); ++i)
            j.stdinData.push_back(static_cast<char>('a' + i % 26));
        const RunResult r = pool_->run(j);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT(!r.truncated);
        CPPUNIT_ASSERT(r.stdoutData == std::string(j.stdinData.rbegin(), j.stdinData.rend()));
    }

    void testExitCodeAndSignal() {
        RunResult r =
            pool_->run(pythonJob("import sys\nprint('x', file=sys.stderr)\nsys.exit(3)\n"));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_EQUAL(3, r.exitCode);
        CPPUNIT_ASSERT_EQUAL(std::string("x\n"), r.stderrData);
        r = pool_->run(pythonJob("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_EQUAL(11, r.signal);
        CPPUNIT_ASSERT_EQUAL(-1, r.exitCode);
        r = pool_->run(pythonJob("raise ValueError('boom')\n"));
        CPPUNIT_ASSERT(r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT(r.stderrData.find("ValueError: boom") != std::string::npos);
    }

    void testCommandNotFound() {
        Job j = pythonJob("");
        j.argv = {"no-such-program"};
        const RunResult r = pool_->run(j);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_EQUAL(127, r.exitCode);
        // No command, or one too long for the helper's message: refused before anything starts,
        // each with its own reason.
        j.argv.clear();
        const RunResult none = pool_->run(j);
        CPPUNIT_ASSERT_MESSAGE(show(none), none.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_EQUAL(std::string("sandbox: no command to run\n"), none.stderrData);
        j.argv = {"python3", "-c", std::string(70 * 1024, '#')};
        const RunResult longOne = pool_->run(j);
        CPPUNIT_ASSERT_MESSAGE(show(longOne), longOne.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_EQUAL(std::string("sandbox: the command line is too long\n"),
                             longOne.stderrData);
    }

    void testEnvironmentIsExplicit() {
        ::setenv("ASSAY_SECRET_FOR_TEST", "leak", 1);
        const RunResult r = pool_->run(
            pythonJob("import os\nfor k in sorted(os.environ): print(k + '=' + os.environ[k])\n"));
        ::unsetenv("ASSAY_SECRET_FOR_TEST");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        for (const char* want :
             {"HOME=/work\n", "LANG=C.UTF-8\n", "OPENBLAS_NUM_THREADS=1\n", "PYTHONHASHSEED=0\n",
              "PYTHONDONTWRITEBYTECODE=1\n", "PATH=/usr/local/bin:/usr/bin:/bin\n"}) {
            CPPUNIT_ASSERT_MESSAGE(r.stdoutData, r.stdoutData.find(want) != std::string::npos);
        }
        CPPUNIT_ASSERT_MESSAGE(r.stdoutData,
                               r.stdoutData.find("ASSAY_SECRET") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.stdoutData, r.stdoutData.find("container=") == std::string::npos);
    }

    void testIdentityAndConfinement() {
        const RunResult r = pool_->run(pythonJob(
            "import os, socket\n"
            "st = dict(l.split(':\\t', 1) for l in open('/proc/self/status').read().splitlines() "
            "if ':\\t' in l)\n"
            "print('uid', os.getuid(), os.getgid(), os.getgroups())\n"
            "print('caps', st['CapEff'].strip(), st['CapPrm'].strip(), st['CapBnd'].strip())\n"
            "print('nnp', st['NoNewPrivs'].strip(), 'seccomp', st['Seccomp'].strip())\n"
            "print('ifaces', sorted(l.split(':')[0].strip() for l in "
            "open('/proc/net/dev').readlines()[2:]))\n"
            "print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()) == "
            "sorted([1, os.getpid()]))\n"
            "print('cwd', os.getcwd())\n"
            "print('fds', sorted(os.listdir('/proc/self/fd')))\n"));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        const std::string& o = r.stdoutData;
        CPPUNIT_ASSERT_MESSAGE(o, o.find("uid 1000 1000 [1000]\n") != std::string::npos ||
                                      o.find("uid 1000 1000 []\n") != std::string::npos);
        // No capabilities, and none to gain at exec: the bounding set is empty too.
        CPPUNIT_ASSERT_MESSAGE(
            o, o.find("caps 0000000000000000 0000000000000000 0000000000000000\n") !=
                   std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("nnp 1 seccomp 2\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("ifaces ['lo']\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("pids True\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("cwd /work\n") != std::string::npos);
        // Nothing of the runner's (sockets, other runs' pipes) is inherited: 0-2 and listdir's own.
        CPPUNIT_ASSERT_MESSAGE(o, o.find("fds ['0', '1', '2', '3']\n") != std::string::npos);
    }

    void testPytestAvailable() {
        // Host-bind mode offers what the host has installed; the image always has pytest.
        if (pool_->config().hostBind &&
            !std::filesystem::exists("/usr/lib/python3/dist-packages/pytest"))
            return;
        Job j = pythonJob("");
        j.files = {{"test_sample.py", "def test_one():\n    assert 1 + 1 == 2\n", false}};
        j.argv = {"python3", "-m", "pytest", "-q", "-p", "no:cacheprovider"};
        const RunResult r = pool_->run(j);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_MESSAGE(r.stdoutData, r.stdoutData.find("1 passed") != std::string::npos);
    }

    void testMultiprocessingAndNumpy() {
        // multiprocessing needs /dev/shm (semaphores); numpy is in the image's package list.
        const RunResult r = pool_->run(
            pythonJob("import multiprocessing as mp\n"
                      "def square(x):\n    return x * x\n"
                      "if __name__ == '__main__':\n"
                      "    with mp.Pool(2) as p:\n        print(sum(p.map(square, range(10))))\n"
                      "    try:\n        import numpy\n        print(int(numpy.arange(5).sum()))\n"
                      "    except ImportError:\n        print('no numpy')\n"));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT(r.stdoutData.rfind("285\n", 0) == 0);
        if (!pool_->config().hostBind) CPPUNIT_ASSERT_EQUAL(std::string("285\n10\n"), r.stdoutData);
    }

    void testRunsDoNotSeeEachOther() {
        // Four writers and four readers over a pool of two: every container is reused.
        for (int i = 0; i < 4; ++i) {
            const RunResult w =
                pool_->run(pythonJob("import os\nopen('/work/left-behind', "
                                     "'w').write('x')\nopen('/tmp/left-behind', 'w').write('x')\n"
                                     "os.mkdir('/tmp/dir')\n"));
            CPPUNIT_ASSERT_MESSAGE(show(w), w.verdict == Verdict::Ok);
        }
        for (int i = 0; i < 4; ++i) {
            const RunResult r = pool_->run(
                pythonJob("import os\nprint(sorted(os.listdir('/work')), os.listdir('/tmp'))\n"));
            CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
            CPPUNIT_ASSERT_EQUAL(std::string("['main.py'] []\n"), r.stdoutData);
        }
    }

    void testMemoryLimit() {
        Limits l = smallLimits();
        const RunResult r =
            pool_->run(pythonJob("x = bytearray(512 * 1024 * 1024)\nprint('survived')\n", l));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::MemoryExceeded);
        CPPUNIT_ASSERT(r.stdoutData.empty());
        CPPUNIT_ASSERT(r.memoryKb >= 100u * 1024);
        // Below the limit the same program passes.
        const RunResult ok =
            pool_->run(pythonJob("x = bytearray(32 * 1024 * 1024)\nprint(len(x))\n", l));
        CPPUNIT_ASSERT_MESSAGE(show(ok), ok.verdict == Verdict::Ok);
        CPPUNIT_ASSERT(ok.memoryKb >= 32u * 1024);
    }

    void testCpuLimit() {
        Limits l = smallLimits();
        l.cpuMs = 500;
        l.wallMs = 120000;  // far away: only the CPU limit may end it, however loaded the machine
        const RunResult r = pool_->run(pythonJob("while True:\n    pass\n", l));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::CpuTimeExceeded);
        CPPUNIT_ASSERT(r.cpuMs >= 500);
    }

    void testWallLimit() {
        Limits l = smallLimits();
        l.wallMs = 700;
        const RunResult r =
            pool_->run(pythonJob("import time\nprint('start', flush=True)\ntime.sleep(60)\n", l));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::WallTimeExceeded);
        CPPUNIT_ASSERT_EQUAL(std::string("start\n"), r.stdoutData);
        CPPUNIT_ASSERT(r.wallMs >= 700);
    }

    void testOutputLimitPerStream() {
        Limits l = smallLimits();
        l.outputBytes = 1000;
        RunResult r = pool_->run(pythonJob("import sys\nsys.stderr.write('e' * 5000)\n", l));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::OutputExceeded);
        CPPUNIT_ASSERT(r.truncated);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1000}, r.stderrData.size());
        r = pool_->run(pythonJob("print('o' * 999, end='')\n", l));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT(!r.truncated);
        CPPUNIT_ASSERT_EQUAL(std::size_t{999}, r.stdoutData.size());
    }

    void testFileSizeLimit() {
        Limits l = smallLimits();
        const RunResult r = pool_->run(
            pythonJob("f = open('big', 'wb')\nf.write(b'0' * (4 << 20))\nf.close()\n", l));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_MESSAGE(r.stderrData,
                               r.stderrData.find("File too large") != std::string::npos);
    }

    void testFilesLargerThanWorkdir() {
        Limits l = smallLimits();
        l.tmpfsBytes = 1u << 20;
        Job j = pythonJob("print('never')\n", l);
        j.files.push_back({"huge.bin", std::string(3u << 20, 'z'), false});
        const RunResult r = pool_->run(j);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT(r.stdoutData.empty());
        const RunResult after = pool_->run(pythonJob("print('fine')\n"));
        CPPUNIT_ASSERT_MESSAGE(show(after), after.verdict == Verdict::Ok);
    }

    void testConcurrentRunsAndMetrics() {
        std::atomic<int> ok{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 3; ++i) {
                    const RunResult r =
                        pool_->run(pythonJob("print(" + std::to_string(t * 10 + i) + ")\n"));
                    if (r.verdict == Verdict::Ok &&
                        r.stdoutData == std::to_string(t * 10 + i) + "\n")
                        ++ok;
                }
            });
        }
        for (auto& th : threads)
            th.join();
        CPPUNIT_ASSERT_EQUAL(12, ok.load());
        const auto m = pool_->metrics();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{12}, m.runs);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{12},
                             m.runsByVerdict[static_cast<std::size_t>(Verdict::Ok)]);
        CPPUNIT_ASSERT_EQUAL(2u, m.poolSize);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, m.replacements);
        std::uint64_t buckets = 0;
        for (auto b : m.latencyBuckets)
            buckets += b;
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{12}, buckets);
        CPPUNIT_ASSERT(m.latencySumMs > 0);
    }

    void testLostContainerIsReplaced() {
        // Kill both containers' init from the host: uid the slot's id-map base (root inside),
        // pid 1 in its own pid namespace (the container's helper has the uid but no pid there).
        const auto& c = pool_->config();
        int killed = 0;
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const std::string pid = entry.path().filename();
            if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
            std::ifstream in(entry.path() / "status");
            std::string line;
            bool containerRoot = false;
            while (std::getline(in, line)) {
                if (line.rfind("Uid:", 0) == 0) {
                    const unsigned long uid = std::stoul(line.substr(4));
                    containerRoot = uid == c.idmapBase || uid == c.idmapBase + 65536u;
                } else if (line.rfind("NSpid:", 0) == 0) {
                    const bool pidOne =
                        line.size() > 2 && line.compare(line.size() - 2, 2, "\t1") == 0;
                    if (containerRoot && pidOne) killed += ::kill(std::stoi(pid), SIGKILL) == 0;
                    break;
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(2, killed);
        for (int i = 0; i < 4; ++i) {
            const RunResult r = pool_->run(pythonJob("print('after')\n"));
            CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
            CPPUNIT_ASSERT_EQUAL(std::string("after\n"), r.stdoutData);
        }
        // One container took the jobs (replaced on the first); the other, left idle, is
        // replaced by the pool's health check.
        for (int i = 0; i < 500 && pool_->metrics().replacements < 2; ++i)
            ::usleep(10000);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, pool_->metrics().replacements);
        for (int i = 0; i < 500 && pool_->metrics().busy > 0; ++i)
            ::usleep(10000);
        for (const auto& name : pool_->containerNames()) {
            CPPUNIT_ASSERT_MESSAGE(name,
                                   name.size() > 2 && name.compare(name.size() - 2, 2, "-1") == 0);
        }
    }

  private:
    std::unique_ptr<SandboxPool> pool_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SandboxTest);
