// Hostile programs, each run in a pooled container and followed by a normal run in the same
// container that must see nothing of it: no process, no file, no lowered limit. After each
// case no process of the container's users is left on the host.
#include "SandboxFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace assay::containers;
using namespace assay::containers::test;

namespace {

std::string show(const RunResult& r) {
    return std::string("verdict=") + verdictName(r.verdict) +
           " exit=" + std::to_string(r.exitCode) + " signal=" + std::to_string(r.signal) +
           " wall=" + std::to_string(r.wallMs) + " cpu=" + std::to_string(r.cpuMs) +
           " mem=" + std::to_string(r.memoryKb) + " stdout=[" + r.stdoutData.substr(0, 300) +
           "] stderr=[" + r.stderrData.substr(0, 800) + "] error=[" + r.errorMessage + "]";
}

Limits suiteLimits() {
    Limits l;
    l.cpuMs = 1500;
    l.wallMs = 4000;
    l.memoryBytes = 256u << 20;
    l.outputBytes = 1u << 20;
    l.pids = 64;
    l.fileSizeBytes = 16u << 20;
    l.tmpfsBytes = 32u << 20;
    return l;
}

std::size_t openDescriptors() {
    return static_cast<std::size_t>(
        std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                      std::filesystem::directory_iterator()));
}

std::size_t descriptorsAtStart = 0;

// The pool shared by every case, so that whatever one case leaves behind meets the next.
SandboxPool& sharedPool() {
    // Stops the containers and removes liblxc's logs when the test program ends.
    struct Owner {
        std::unique_ptr<SandboxPool> pool = std::make_unique<SandboxPool>(testConfig(1, "adv"));
        Owner() { descriptorsAtStart = openDescriptors(); }
        ~Owner() {
            const std::string lxcPath = pool->config().lxcPath;
            pool.reset();
            std::filesystem::remove_all(lxcPath);
        }
    };
    static Owner owner;
    return *owner.pool;
}

// Host processes whose real uid lies in [base, base + 65536), init (uid base) excluded.
std::vector<std::string> hostProcessesInRange(unsigned base) {
    std::vector<std::string> found;
    DIR* d = ::opendir("/proc");
    while (dirent* e = d ? ::readdir(d) : nullptr) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream in(std::string("/proc/") + e->d_name + "/status");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("Uid:", 0) == 0) {
                const unsigned long uid = std::stoul(line.substr(4));
                if (uid > base && uid < base + 65536u) found.push_back(e->d_name);
                break;
            }
        }
    }
    if (d) ::closedir(d);
    return found;
}

// Prints the inode number of a new file on the work tmpfs (each tmpfs counts its own).
const char* const kNewInode =
    "import os\n"
    "open('/tmp/probe', 'w').close()\n"
    "print(os.stat('/tmp/probe').st_ino)\n";

const char* const kProbe =
    "import os\n"
    "procs = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
    "print('procs', procs == sorted([1, os.getpid()]), procs)\n"
    "print('work', sorted(os.listdir('/work')))\n"
    "print('tmp', sorted(os.listdir('/tmp')))\n"
    "s = os.statvfs('/tmp')\n"
    "print('tmpfree', s.f_bfree * s.f_bsize > 30 * 1024 * 1024)\n"
    "print('shm', os.listdir('/dev/shm'))\n"
    "st = os.stat('/work')\n"
    "print('workdir', oct(st.st_mode & 0o7777), st.st_uid, os.listxattr('/work'))\n"
    "x = bytearray(64 * 1024 * 1024)\n"
    "print('alloc', len(x))\n";

}  // namespace

class AdversarialTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AdversarialTest);
    CPPUNIT_TEST(testForkBomb);
    CPPUNIT_TEST(testAllocateTwoGiB);
    CPPUNIT_TEST(testInfiniteLoop);
    CPPUNIT_TEST(testBusyLoopInEightThreads);
    CPPUNIT_TEST(testSleepForever);
    CPPUNIT_TEST(testPrintOneGiB);
    CPPUNIT_TEST(testWriteToUsrRootAndEtc);
    CPPUNIT_TEST(testHostSecretsAreInvisible);
    CPPUNIT_TEST(testTcpToHostLoopbackAndOutside);
    CPPUNIT_TEST(testDoubleForkSetsidDoesNotOutliveRun);
    CPPUNIT_TEST(testFillTmp);
    CPPUNIT_TEST(testKillInit);
    CPPUNIT_TEST(testOsSystem);
    CPPUNIT_TEST(testCtypesPrivilegedCalls);
    CPPUNIT_TEST(testZipBombLikeWrite);
    CPPUNIT_TEST(testClosedStdoutKeepsRunning);
    CPPUNIT_TEST(testLeftoversEverywhere);
    CPPUNIT_TEST(testLeftoversTooDeepToEmpty);
    CPPUNIT_TEST(testRunnerUnaffected);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testForkBomb() {
        const RunResult r = hostile("import os\nwhile True:\n    os.fork()\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.stderrData.find("BlockingIOError") != std::string::npos);
        followUp();
    }

    void testAllocateTwoGiB() {
        const RunResult r = hostile("x = bytearray(2 * 1024 ** 3)\nprint('allocated')\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::MemoryExceeded);
        CPPUNIT_ASSERT_EQUAL(9, r.signal);
        CPPUNIT_ASSERT(r.stdoutData.empty());
        followUp();
    }

    void testInfiniteLoop() {
        const RunResult r = hostile("while True:\n    pass\n", cpuBound());
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::CpuTimeExceeded);
        CPPUNIT_ASSERT(r.cpuMs >= 1500);
        followUp();
    }

    void testBusyLoopInEightThreads() {
        const RunResult r = hostile(
            "import threading\n"
            "def spin():\n    while True:\n        pass\n"
            "ts = [threading.Thread(target=spin) for _ in range(8)]\n"
            "[t.start() for t in ts]\n[t.join() for t in ts]\n",
            cpuBound());
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::CpuTimeExceeded);
        followUp();
    }

    void testSleepForever() {
        const RunResult r = hostile("import time\ntime.sleep(10 ** 6)\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::WallTimeExceeded);
        CPPUNIT_ASSERT(r.wallMs >= 4000);
        followUp();
    }

    void testPrintOneGiB() {
        const RunResult r = hostile(
            "import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(1024):\n    "
            "sys.stdout.write(chunk)\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::OutputExceeded);
        CPPUNIT_ASSERT(r.truncated);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1} << 20, r.stdoutData.size());
        followUp();
    }

    void testWriteToUsrRootAndEtc() {
        const std::string tag = "assay-adversarial-" + std::to_string(::getpid());
        for (const std::string dir : {"/usr/", "/", "/etc/"}) {
            const RunResult r = hostile("open('" + dir + tag + "', 'w').write('owned')\n");
            CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
            CPPUNIT_ASSERT_MESSAGE(
                show(r), r.stderrData.find("Read-only file system") != std::string::npos ||
                             r.stderrData.find("Permission denied") != std::string::npos);
            struct stat st {};
            CPPUNIT_ASSERT(::stat((dir + tag).c_str(), &st) != 0);
            const auto& config = sharedPool().config();
            if (!config.hostBind)
                CPPUNIT_ASSERT(::stat((config.rootfs + dir + tag).c_str(), &st) != 0);
            followUp();
        }
    }

    void testHostSecretsAreInvisible() {
        RunResult r = hostile("print(open('/etc/shadow').read())\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        // The image's own shadow file is unreadable; host-bind mode has none at all.
        CPPUNIT_ASSERT_MESSAGE(show(r),
                               r.stderrData.find("PermissionError") != std::string::npos ||
                                   (sharedPool().config().hostBind &&
                                    r.stderrData.find("FileNotFoundError") != std::string::npos));
        followUp();
        // Markers the host holds in private places must not be reachable from inside.
        const std::string marker = "assay-host-marker-" + std::to_string(::getpid());
        const std::string rootMarker = "/root/" + marker;
        const std::string tmpMarker = "/tmp/" + marker;
        std::ofstream(rootMarker) << "secret";
        std::ofstream(tmpMarker) << "secret";
        const std::string source = envOr("ASSAY_SOURCE_DIR", "/work/main");
        r = hostile(
            "import os\n"
            "paths = ['" +
            rootMarker + "', '" + tmpMarker + "', '" + source + "', '" + source +
            "/CMakeLists.txt',\n"
            "         '/var/lib/assay', '/run/assay', '/run/mysqld', "
            "'/var/run/mysqld/mysqld.sock',\n"
            "         '/var/lib/mysql', '/root/.ssh', '/etc/ssh/ssh_host_rsa_key', "
            "'/proc/1/root/etc/shadow']\n"
            "print('visible', [p for p in paths if os.path.exists(p)])\n"
            "def listing(d):\n"
            "    try:\n        return os.listdir(d)\n    except OSError as e:\n        return "
            "e.strerror\n"
            "print('home', listing('/home'))\n"
            "print('mounts name the source tree', '" +
            source +
            "' in open('/proc/self/mountinfo').read())\n"
            "print('root', listing('/root'))\n");
        ::unlink(rootMarker.c_str());
        ::unlink(tmpMarker.c_str());
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.stdoutData.find("visible []\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            show(r), r.stdoutData.find("mounts name the source tree False\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.stdoutData.find("home []\n") != std::string::npos ||
                                            r.stdoutData.find("home No such file or directory\n") !=
                                                std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            show(r),
            r.stdoutData.find("root []\n") != std::string::npos ||
                r.stdoutData.find("root Permission denied\n") != std::string::npos ||
                r.stdoutData.find("root No such file or directory\n") != std::string::npos);
        followUp();
    }

    void testTcpToHostLoopbackAndOutside() {
        // A real listener on the host's loopback: the sandbox must not reach it.
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        CPPUNIT_ASSERT_EQUAL(0, ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
        CPPUNIT_ASSERT_EQUAL(0, ::listen(listener, 8));
        socklen_t len = sizeof addr;
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
        const std::string port = std::to_string(ntohs(addr.sin_port));
        RunResult r = hostile(
            "import socket\n"
            "own = socket.create_server(('127.0.0.1', 0))\n"
            "socket.create_connection(own.getsockname(), timeout=2).close()\n"
            "print('own loopback works', flush=True)\n"
            "socket.create_connection(('127.0.0.1', " +
            port + "), timeout=2)\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_MESSAGE(show(r),
                               r.stderrData.find("ConnectionRefusedError") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("own loopback works\n"), r.stdoutData);
        CPPUNIT_ASSERT_EQUAL(-1, ::accept(listener, nullptr, nullptr));
        CPPUNIT_ASSERT(errno == EAGAIN || errno == EWOULDBLOCK);
        ::close(listener);
        followUp();
        // An outside address (TEST-NET-1, never routed): the namespace has no route at all.
        r = hostile("import socket\nsocket.create_connection(('192.0.2.1', 80), timeout=2)\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_MESSAGE(show(r),
                               r.stderrData.find("Network is unreachable") != std::string::npos);
        followUp();
    }

    void testDoubleForkSetsidDoesNotOutliveRun() {
        const RunResult r = hostile(
            "import os, time\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            "        for _ in range(600):\n"
            "            try:\n                open('/tmp/still-alive', 'a').write('x')\n"
            "            except OSError:\n                pass\n"
            "            time.sleep(0.05)\n"
            "    os._exit(0)\n"
            "time.sleep(0.3)\n"
            "print('parent done')\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_EQUAL(std::string("parent done\n"), r.stdoutData);
        followUp("import time\ntime.sleep(0.3)\n");
    }

    void testFillTmp() {
        const RunResult r = hostile(
            "i = 0\n"
            "while True:\n"
            "    with open('/tmp/fill%d' % i, 'wb') as f:\n"
            "        f.write(b'0' * (8 << 20))\n"
            "    i += 1\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_MESSAGE(show(r),
                               r.stderrData.find("No space left on device") != std::string::npos);
        followUp();
    }

    void testKillInit() {
        waitIdle();
        const std::string before = sharedPool().containerNames().at(0);
        const RunResult r = hostile("import os\nos.kill(1, 9)\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.stderrData.find("PermissionError") != std::string::npos);
        followUp();
        waitIdle();
        CPPUNIT_ASSERT_EQUAL(before, sharedPool().containerNames().at(0));
    }

    void testOsSystem() {
        const RunResult r = hostile(
            "import os\nrc = os.system('echo from-shell; id -u; touch "
            "/work/made-by-shell')\nprint('rc', rc)\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_EQUAL(std::string("from-shell\n1000\nrc 0\n"), r.stdoutData);
        followUp();
    }

    void testCtypesPrivilegedCalls() {
        const RunResult r = hostile(
            "import ctypes, os\n"
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "calls = {\n"
            "    'mount': lambda: libc.mount(b'none', b'/tmp', b'tmpfs', 0, None),\n"
            "    'unshare_user': lambda: libc.unshare(0x10000000),\n"
            "    'unshare_mount': lambda: libc.unshare(0x00020000),\n"
            "    'ptrace': lambda: libc.ptrace(0, 0, None, None),\n"
            "    'ptrace_attach': lambda: libc.ptrace(16, 1, None, None),\n"
            "    'setns': lambda: libc.setns(os.open('/proc/self/ns/net', os.O_RDONLY), 0),\n"
            "    'mq_open': lambda: libc.mq_open(b'/left-behind', os.O_CREAT | os.O_RDWR, 0o600, "
            "None),\n"
            "}\n"
            "for name, call in calls.items():\n"
            "    rc = call()\n"
            "    print(name, 'denied' if rc == -1 else 'ALLOWED', ctypes.get_errno())\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_MESSAGE(r.stdoutData, r.stdoutData.find("ALLOWED") == std::string::npos);
        for (const char* name :
             {"mount denied 1\n", "unshare_user denied 1\n", "unshare_mount denied 1\n",
              "ptrace denied 1\n", "ptrace_attach denied 1\n", "setns denied 1\n",
              "mq_open denied 1\n"}) {
            CPPUNIT_ASSERT_MESSAGE(r.stdoutData, r.stdoutData.find(name) != std::string::npos);
        }
        followUp();
    }

    void testZipBombLikeWrite() {
        // A few hundred bytes that inflate to 1 GiB, streamed to a file; then a sparse giant.
        RunResult r = hostile(
            "import zlib\n"
            "blob = zlib.compress(b'\\0' * (64 << 20), 9)\n"
            "with open('/work/bomb', 'wb') as f:\n"
            "    for _ in range(16):\n"
            "        f.write(zlib.decompress(blob))\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.stderrData.find("File too large") != std::string::npos);
        followUp();
        r = hostile(
            "with open('/work/sparse', 'wb') as f:\n    f.seek(10 ** 12)\n    f.write(b'x')\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.stderrData.find("File too large") != std::string::npos);
        followUp();
    }

    void testClosedStdoutKeepsRunning() {
        const RunResult r = hostile(
            "import os, time\nprint('bye', flush=True)\nos.close(1)\nos.close(2)\ntime.sleep(10 ** "
            "6)\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::WallTimeExceeded);
        CPPUNIT_ASSERT_EQUAL(std::string("bye\n"), r.stdoutData);
        followUp();
    }

    // Things a run can leave in its writable places, for the reset that empties the work
    // tmpfs in place: a locked directory, a FIFO, a symlink out, POSIX shared memory, and on
    // /work itself (which the student owns) another mode, an extended attribute and an ACL.
    void testLeftoversEverywhere() {
        const RunResult before = hostile(kNewInode);
        const RunResult r = hostile(
            "import os, struct\n"
            "os.makedirs('/tmp/a/b/c')\n"
            "open('/tmp/a/b/c/f', 'w').write('x')\n"
            "os.mkdir('/work/locked')\n"
            "open('/work/locked/f', 'w').write('x')\n"
            "os.chmod('/work/locked', 0)\n"
            "os.mkfifo('/tmp/fifo')\n"
            "os.symlink('/etc/passwd', '/work/link')\n"
            "open('/dev/shm/segment', 'wb').write(b'x' * 4096)\n"
            "try:\n"
            "    os.setxattr('/work', 'user.note', b'left by a run')\n"
            "    e = lambda tag, perm, who: struct.pack('<HHI', tag, perm, who)\n"
            "    acl = struct.pack('<I', 2) + e(1, 7, 2**32 - 1) + e(2, 7, 1001) + "
            "e(4, 5, 2**32 - 1) + e(0x10, 7, 2**32 - 1) + e(0x20, 5, 2**32 - 1)\n"
            "    os.setxattr('/work', 'system.posix_acl_access', acl)\n"
            "    print('xattrs', sorted(os.listxattr('/work')))\n"
            "except OSError as err:\n"
            "    print('xattrs unsupported', err.errno)\n"
            "os.chmod('/work', 0o700)\n"
            "print('left')\n");
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_MESSAGE(show(r), r.stdoutData.find("left\n") != std::string::npos);
        followUp();
        // Emptied in place: the same tmpfs, whose inode numbers went on counting.
        const RunResult after = hostile(kNewInode);
        CPPUNIT_ASSERT_MESSAGE(show(after), after.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_MESSAGE(before.stdoutData + after.stdoutData,
                               std::stol(after.stdoutData) > std::stol(before.stdoutData));
    }

    // Deeper than the in-place reset goes: the work tmpfs is replaced by a new mount instead.
    void testLeftoversTooDeepToEmpty() {
        const RunResult r = hostile(
            "import os\n"
            "os.makedirs('/tmp/' + '/'.join('d%d' % i for i in range(40)))\n"
            "os.makedirs('/work/' + '/'.join('w%d' % i for i in range(40)))\n" +
            std::string(kNewInode));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        followUp();
        // A new tmpfs numbers its inodes from the start again.
        const RunResult after = hostile(kNewInode);
        CPPUNIT_ASSERT_MESSAGE(show(after), after.verdict == Verdict::Ok);
        CPPUNIT_ASSERT_MESSAGE(r.stdoutData + after.stdoutData,
                               std::stol(after.stdoutData) < std::stol(r.stdoutData));
    }

    void testRunnerUnaffected() {
        waitIdle();
        const auto m = sharedPool().metrics();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0},
                             m.runsByVerdict[static_cast<std::size_t>(Verdict::SandboxError)]);
        CPPUNIT_ASSERT_EQUAL(1u, m.poolSize);
        CPPUNIT_ASSERT_EQUAL(0u, m.busy);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, m.replacements);
        CPPUNIT_ASSERT(m.runs >= 40);
        // The runner leaked no descriptor (pipes, pidfds, namespace files) over all those runs.
        CPPUNIT_ASSERT_EQUAL(descriptorsAtStart, openDescriptors());
    }

  private:
    // A container is reset after its run, off the job's path; wait until the pool is idle.
    static void waitIdle() {
        for (int i = 0; i < 500 && sharedPool().metrics().busy > 0; ++i)
            ::usleep(10000);
    }

    RunResult hostile(const std::string& code, const Limits& limits = suiteLimits()) {
        return sharedPool().run(pythonJob(code, limits));
    }

    // CPU-bound cases get a wall limit far away, so that a loaded machine cannot turn the CPU
    // verdict into a wall-time one; the CPU limit still ends them after 1.5 s of CPU.
    static Limits cpuBound() {
        Limits l = suiteLimits();
        l.wallMs = 120000;
        return l;
    }

    // A normal program in the same container: it must find a clean, fully usable sandbox.
    void followUp(const std::string& prelude = "") {
        const RunResult r = sharedPool().run(pythonJob(prelude + kProbe, suiteLimits()));
        CPPUNIT_ASSERT_MESSAGE(show(r), r.verdict == Verdict::Ok);
        const std::string& o = r.stdoutData;
        CPPUNIT_ASSERT_MESSAGE(o, o.find("procs True") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("work ['main.py']\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("tmp []\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("tmpfree True\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("shm []\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("workdir 0o755 1000 []\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(o, o.find("alloc 67108864\n") != std::string::npos);
        const auto left = hostProcessesInRange(sharedPool().config().idmapBase);
        CPPUNIT_ASSERT_MESSAGE("processes left on the host: " + std::to_string(left.size()),
                               left.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdversarialTest);
