// Sandbox benchmark: bare python3 against the same program in the warm pool, side by side.
//
//   sudo build/<dir>/tests/containers/sandbox_bench [--runs N] [--seconds S] [--clients N]
//   [--host-bind] [--liblxc-attach]
//
// Prints one JSON object: per-run latency of `python3 -c pass` (bare, pool in-process, pool
// through the runner socket: median and p95), hello-world throughput with every core busy
// (bare vs pool; --clients threads, one per core by default), and the cold start of a
// one-container pool. Needs root and the image (containers/image/build-image.sh).
// Targets: median overhead <= 3 ms, throughput >= 90 %.
#include <assay/containers/runner_client.h>
#include <assay/containers/sandbox/runner_server.h>
#include <assay/containers/sandbox/sandbox_pool.h>

#include <Poco/JSON/Object.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace assay::containers;
using Clock = std::chrono::steady_clock;

extern char** environ;

namespace {

double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Bare python3, its output to /dev/null, as a sandboxed run would be collected.
void runBare(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0) {
        int status = 0;
        waitpid(pid, &status, 0);
    }
    posix_spawn_file_actions_destroy(&fa);
}

Poco::JSON::Object::Ptr stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    auto at = [&](double q) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(q * (v.size() - 1) + 0.5))];
    };
    o->set("runs", v.size());
    o->set("median_ms", at(0.5));
    o->set("p95_ms", at(0.95));
    o->set("min_ms", v.front());
    return o;
}

Job pythonCommand(const std::string& code) {
    Job j;
    j.argv = {"python3", "-c", code};
    return j;
}

double tvMs(const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
}

// CPU time (ms) of everything a run costs here: this process and its reaped children
// (attached processes, liblxc's helpers), its live children (mount helpers) and liblxc's
// monitor processes of `lxcPath`. Unlike wall time, it does not depend on other load.
double treeCpuMs(const std::string& lxcPath) {
    rusage self{}, children{};
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    double ms = tvMs(self.ru_utime) + tvMs(self.ru_stime) + tvMs(children.ru_utime) +
                tvMs(children.ru_stime);
    const double tick = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename();
        if (pid.find_first_not_of("0123456789") != std::string::npos ||
            pid == std::to_string(getpid()))
            continue;
        std::ifstream cmd(entry.path() / "cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(cmd)),
                            std::istreambuf_iterator<char>());
        std::ifstream st(entry.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(st)), std::istreambuf_iterator<char>());
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(stat.substr(close + 2));
        std::string state;
        long ppid = 0;
        fields >> state >> ppid;
        const bool monitor =
            cmdline.find(lxcPath) != std::string::npos && cmdline.find("[lxc monitor]") == 0;
        if (!monitor && ppid != getpid()) continue;
        std::string skip;
        for (int i = 0; i < 9; ++i)
            fields >> skip;  // fields 6..14 of stat: up to utime
        unsigned long utime = 0, stime = 0;
        fields >> utime >> stime;
        ms += static_cast<double>(utime + stime) * tick;
    }
    return ms;
}

// Runs `one` from `threads` threads for `seconds`; returns completed runs per second.
template <typename F>
double throughput(unsigned threads, double seconds, F one) {
    std::atomic<bool> stop{false};
    std::atomic<long> done{0};
    std::vector<std::thread> ts;
    const auto start = Clock::now();
    for (unsigned i = 0; i < threads; ++i) {
        ts.emplace_back([&] {
            while (!stop) {
                one();
                ++done;
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : ts)
        t.join();
    return static_cast<double>(done.load()) / (msSince(start) / 1000.0);
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 200;
    unsigned clients = 0;
    double seconds = 10;
    SandboxConfig config;
    config.rootfs = "/var/lib/assay/images/default/rootfs";
    const char* binDir = std::getenv("ASSAY_BINARY_DIR");
    config.initBinary = std::string(binDir ? binDir : ".") + "/containers/assay-init";
    if (!std::filesystem::exists(config.initBinary)) {
        config.initBinary = (std::filesystem::read_symlink("/proc/self/exe").parent_path() /
                             "../../containers/assay-init")
                                .lexically_normal()
                                .string();
    }
    config.lxcPath = "/run/assay/bench-" + std::to_string(getpid());
    config.namePrefix = "bench";
    config.idmapBase = 3000000000u;
    // A flag's value: a positive number, or nothing (the caller then prints the usage).
    auto positive = [&](int& i) -> double {
        if (i + 1 >= argc) return 0;
        char* end = nullptr;
        const double v = std::strtod(argv[++i], &end);
        return end != argv[i] && *end == '\0' && v > 0 && v < 1e6 ? v : 0;
    };
    bool ok = true;
    for (int i = 1; ok && i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs") {
            runs = static_cast<int>(positive(i));
            ok = runs > 0;
        } else if (a == "--seconds") {
            seconds = positive(i);
            ok = seconds > 0;
        } else if (a == "--clients") {
            clients = static_cast<unsigned>(positive(i));
            ok = clients > 0;
        } else if (a == "--host-bind") {
            config.hostBind = true;
        } else if (a == "--liblxc-attach") {
            config.liblxcAttach = true;
        } else {
            ok = false;
        }
    }
    if (!ok) {
        std::cerr << "usage: sandbox_bench [--runs N] [--seconds S] [--clients N] "
                     "[--host-bind] [--liblxc-attach]\n"
                     "(N and S positive numbers)\n";
        return 2;
    }
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    if (clients == 0) clients = cores;
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    {
        utsname u{};
        uname(&u);
        char date[32];
        const std::time_t now = std::time(nullptr);
        std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
        double load[3] = {0, 0, 0};
        getloadavg(load, 3);
        Poco::JSON::Object::Ptr m = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        m->set("date", std::string(date));
        m->set("kernel", std::string(u.release));
        m->set("cores", cores);
        m->set("load_average_at_start", load[0]);
        m->set("image", config.hostBind ? std::string("host-bind") : config.rootfs);
        m->set("attach", config.liblxcAttach ? "liblxc" : "container helper");
        out.set("machine", m);
    }

    const std::vector<std::string> bare = {"/usr/bin/python3", "-c", "pass"};
    for (int i = 0; i < 10; ++i)
        runBare(bare);  // warm the page cache

    // 1. Per-run latency, alternating bare and sandboxed runs so that load hits both alike.
    SandboxConfig poolConfig = config;
    poolConfig.poolSize = cores;
    auto pool = std::make_unique<SandboxPool>(poolConfig);
    RunnerServerOptions so;
    so.socketPath = config.lxcPath + "/bench.sock";
    RunnerServer server(*pool, so);
    server.start();
    RunnerClient client(so.socketPath);
    const Job pass = pythonCommand("pass");
    for (int i = 0; i < 10; ++i)
        pool->run(pass);
    std::vector<double> bareMs, poolMs, socketMs, insideMs;
    std::atomic<int> failures{0};  // counted from the throughput threads too
    for (int i = 0; i < runs; ++i) {
        auto t = Clock::now();
        runBare(bare);
        bareMs.push_back(msSince(t));
        t = Clock::now();
        const RunResult pr = pool->run(pass);
        failures += pr.verdict != Verdict::Ok;
        poolMs.push_back(msSince(t));
        insideMs.push_back(static_cast<double>(pr.wallMs));
        t = Clock::now();
        failures += client.run(pass).verdict != Verdict::Ok;
        socketMs.push_back(msSince(t));
    }
    Poco::JSON::Object::Ptr latency = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    latency->set("command", "python3 -c pass");
    latency->set("bare", stats(bareMs));
    latency->set("sandbox_pool", stats(poolMs));
    latency->set("sandbox_socket", stats(socketMs));
    // The runner's own wall_ms: from entering the container to the exit (no queueing, 1 ms steps).
    latency->set("sandbox_run_wall_ms", stats(insideMs));
    const double overhead = stats(socketMs)->getValue<double>("median_ms") -
                            stats(bareMs)->getValue<double>("median_ms");
    latency->set("median_overhead_ms_socket", overhead);
    latency->set("median_overhead_ms_pool", stats(poolMs)->getValue<double>("median_ms") -
                                                stats(bareMs)->getValue<double>("median_ms"));
    latency->set("target_overhead_ms", 3.0);
    out.set("latency", latency);

    // 1b. CPU cost per run, measured apart from wall time (robust to other load on the machine).
    // Bare and sandboxed runs alternate in chunks, so that a change of the machine's load or
    // clock during the measurement hits both alike.
    const int cpuRuns = std::max(50, runs);
    constexpr int kChunk = 10;
    double bareTotal = 0, poolTotal = 0, runCpuTotal = 0;
    for (int done = 0; done < cpuRuns; done += kChunk) {
        double before = treeCpuMs(config.lxcPath);
        for (int i = 0; i < kChunk; ++i)
            runBare(bare);
        bareTotal += treeCpuMs(config.lxcPath) - before;
        before = treeCpuMs(config.lxcPath);
        for (int i = 0; i < kChunk; ++i) {
            const RunResult pr = pool->run(pass);
            failures += pr.verdict != Verdict::Ok;
            runCpuTotal += static_cast<double>(pr.cpuMs);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the last reset
        poolTotal += treeCpuMs(config.lxcPath) - before;
    }
    const int cpuCounted = (cpuRuns + kChunk - 1) / kChunk * kChunk;
    const double bareCpu = bareTotal / cpuCounted;
    const double poolCpu = poolTotal / cpuCounted;
    Poco::JSON::Object::Ptr cpu = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    cpu->set("command", "python3 -c pass");
    cpu->set("bare_cpu_ms_per_run", bareCpu);
    cpu->set("sandbox_cpu_ms_per_run", poolCpu);
    cpu->set("overhead_cpu_ms_per_run", poolCpu - bareCpu);
    // What the run's own cgroup counted (whole milliseconds per run, rounded down): the part
    // of the overhead spent inside the container rather than in the runner and the kernel
    // work of entering it.
    cpu->set("sandbox_cgroup_cpu_ms_per_run", runCpuTotal / cpuCounted);
    cpu->set("throughput_bound_ratio", bareCpu / poolCpu);
    out.set("cpu_cost", cpu);

    // 2. Throughput of hello world with every core busy.
    const std::vector<std::string> hello = {"/usr/bin/python3", "-c", "print('hello, world')"};
    const Job helloJob = pythonCommand("print('hello, world')");
    // In alternating slices of about 2 s (at least five), so that a change of the machine's
    // load or speed hits both alike.
    // The ratio is taken slice pair by slice pair and its median reported, so that a minute
    // in which this (virtual) machine runs slower moves one pair, not the figure.
    const int kSlices = std::max(5, static_cast<int>(seconds / 2));
    double bareRate = 0, poolRate = 0;
    std::vector<double> ratios;
    for (int i = 0; i < kSlices; ++i) {
        const double b = throughput(clients, seconds / kSlices, [&] { runBare(hello); });
        const double p = throughput(clients, seconds / kSlices, [&] {
            failures += client.run(helloJob).verdict != Verdict::Ok;
        });
        bareRate += b / kSlices;
        poolRate += p / kSlices;
        ratios.push_back(p / b);
    }
    std::sort(ratios.begin(), ratios.end());
    Poco::JSON::Object::Ptr tp = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    tp->set("command", "python3 -c \"print('hello, world')\"");
    tp->set("threads", clients);
    tp->set("seconds_each", seconds);
    tp->set("bare_runs_per_s", bareRate);
    tp->set("sandbox_runs_per_s", poolRate);
    tp->set("ratio_of_means", poolRate / bareRate);
    tp->set("slice_pairs", ratios.size());
    tp->set("ratio", ratios[ratios.size() / 2]);  // the median pair (the upper of an even count)
    tp->set("ratio_min", ratios.front());
    tp->set("ratio_max", ratios.back());
    tp->set("target_ratio", 0.9);
    out.set("throughput", tp);
    server.stop();
    pool.reset();

    // 3. Cold start: a one-container pool from nothing to ready (liblxc start, init, cgroup
    // discovery, loopback, first tmpfs), then its first run.
    std::vector<double> startMs, firstRunMs;
    for (int i = 0; i < 5; ++i) {
        SandboxConfig one = config;
        one.poolSize = 1;
        one.namePrefix = "benchcold" + std::to_string(i);
        auto t = Clock::now();
        auto p = std::make_unique<SandboxPool>(one);
        startMs.push_back(msSince(t));
        t = Clock::now();
        failures += p->run(pass).verdict != Verdict::Ok;
        firstRunMs.push_back(msSince(t));
    }
    Poco::JSON::Object::Ptr cold = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    cold->set("container_start", stats(startMs));
    cold->set("first_run", stats(firstRunMs));
    out.set("cold_start", cold);
    out.set("failed_runs", failures.load());
    std::filesystem::remove_all(config.lxcPath);
    out.stringify(std::cout, 2);
    std::cout << "\n";
    return failures.load() == 0 ? 0 : 1;
}
