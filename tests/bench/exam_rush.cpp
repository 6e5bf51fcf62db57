// Exam-rush load benchmark: simulated students each make practice runs and one final
// submission against a real assayd + assay-runner on this machine, arriving over a compressed
// window. Prints one JSON object: feedback latency percentiles, throughput, 503 and 429
// counts, and whether every final submission ended graded exactly once.
//
//   sudo build/release/tests/bench/exam_rush [--students 500] [--runs 10] [--window 600]
//        [--pool N] [--max-active N]
//
// It starts its own assay-runner and assayd (as the unprivileged user "nobody") in a
// temporary directory, with the built-in graders, and the exercise in tests/bench/exam-rush
// (five unit tests: the demo word-statistics exercise with its visible test file only). Clients
// behave like the exercise page: a 503 is retried after the server's Retry-After, a 429 after the
// seconds it names.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == "--" + name) return argv[i + 1];
    return fallback;
}

std::string readFile(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string jsonEscape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '"':
                o += "\\\"";
                break;
            case '\\':
                o += "\\\\";
                break;
            case '\n':
                o += "\\n";
                break;
            default:
                o += c;
        }
    }
    return o;
}

struct Reply {
    int status = 0;
    std::string body;
    std::string retryAfter;
    std::string cookie;
};

Reply call(int port, const std::string& method, const std::string& path, const std::string& body,
           const std::string& cookie = "", const std::string& csrf = "") {
    Reply r;
    try {
        Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port));
        s.setTimeout(Poco::Timespan(120, 0));
        Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!cookie.empty()) req.set("Cookie", cookie);
        if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        s.sendRequest(req) << body;
        Poco::Net::HTTPResponse resp;
        std::istream& in = s.receiveResponse(resp);
        std::stringstream ss;
        ss << in.rdbuf();
        r.status = resp.getStatus();
        r.body = ss.str();
        r.retryAfter = resp.get("Retry-After", "");
        std::vector<Poco::Net::HTTPCookie> cookies;
        resp.getCookies(cookies);
        for (auto& c : cookies)
            if (c.getName() == "assay_session") r.cookie = "assay_session=" + c.getValue();
    } catch (const std::exception& e) {
        r.status = -1;
        r.body = e.what();
    }
    return r;
}

Poco::JSON::Object::Ptr parse(const std::string& s) {
    Poco::JSON::Parser p;
    return p.parse(s).extract<Poco::JSON::Object::Ptr>();
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(log.c_str(), "a", stdout)) _exit(126);
        dup2(fileno(stdout), 2);
        std::vector<char*> a;
        for (auto& s : argv)
            a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        execv(a[0], a.data());
        _exit(127);
    }
    return pid;
}

bool waitPort(int port) {
    for (int i = 0; i < 300; ++i) {
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

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1,
                      static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

}  // namespace

int main(int argc, char** argv) {
    // Every argument is one of these flags followed by a positive number; anything else is a
    // mistake to say, not to run ten minutes with the defaults.
    const char* const usage =
        "usage: exam_rush [--students N] [--runs N] [--window SECONDS] [--pool N] "
        "[--max-active N]\n";
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        const bool known = flag == "--students" || flag == "--runs" || flag == "--window" ||
                           flag == "--pool" || flag == "--max-active";
        char* end = nullptr;
        const double value = i + 1 < argc ? std::strtod(argv[i + 1], &end) : 0;
        if (!known) {
            std::cerr << "exam_rush: unknown argument '" << flag << "'\n" << usage;
            return 2;
        }
        if (i + 1 >= argc || end == argv[i + 1] || *end != '\0' || !(value > 0)) {
            std::cerr << "exam_rush: " << flag << " needs a positive number\n" << usage;
            return 2;
        }
    }
    const int students = std::stoi(arg(argc, argv, "students", "500"));
    const int runs = std::stoi(arg(argc, argv, "runs", "10"));
    const double window = std::stod(arg(argc, argv, "window", "600"));
    const std::string pool =
        arg(argc, argv, "pool", std::to_string(std::thread::hardware_concurrency()));
    const std::string maxActive = arg(argc, argv, "max-active", pool);
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    const std::string bin =
        b ? b : fs::canonical("/proc/self/exe").parent_path().parent_path().parent_path().string();
    const char* s = std::getenv("ASSAY_SOURCE_DIR");
    const std::string src = s ? s : fs::current_path().string();

    char tmpl[] = "/tmp/assay-rush-XXXXXX";
    const std::string dir = mkdtemp(tmpl);
    fs::permissions(dir, fs::perms::all, fs::perm_options::replace);
    fs::create_directories(dir + "/lxc");
    const std::string sock = dir + "/runner.sock";
    pid_t runner = spawn({bin + "/containers/assay-runner", "--socket", sock, "--pool", pool,
                          "--lxc-path", dir + "/lxc", "--group", "nogroup"},
                         dir + "/runner.log");
    for (int i = 0; i < 300 && !fs::exists(sock); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    int port;
    {
        Poco::Net::ServerSocket ss(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = ss.address().port();
    }
    // assayd runs as nobody: its own copy of the graders, wherever the build lives.
    fs::create_directories(dir + "/plugins");
    for (const auto& e : fs::directory_iterator(bin + "/lib/assay/plugins"))
        fs::copy_file(e.path(), dir + "/plugins/" + e.path().filename().string());
    std::ofstream(dir + "/assay.conf")
        << "data_dir = " << dir << "\nuser = nobody\nrunner.socket = " << sock
        << "\nplugins.dir = " << dir << "/plugins\nlog.level = warning\n"
        << "[auth]\npbkdf2_iterations = 1000\n[grading]\nmax_active = " << maxActive
        << "\n[http]\nmax_threads = 1024\n";
    pid_t assayd = spawn({bin + "/core/assayd", "--config", dir + "/assay.conf", "--listen",
                          "127.0.0.1:" + std::to_string(port)},
                         dir + "/assayd.log");
    if (!waitPort(port)) {
        std::cerr << "assayd did not start: " << readFile(dir + "/assayd.log");
        return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::string log = readFile(dir + "/assayd.log");
    std::string password;
    std::istringstream(log.substr(log.find('\n', log.find("one-time password")))) >> password;
    auto login = [&](const std::string& u, const std::string& p) {
        auto r = call(port, "POST", "/api/v1/auth/login",
                      R"({"username":")" + u + R"(","password":")" + p + R"("})");
        return std::make_pair(r.cookie, parse(r.body)->getValue<std::string>("csrf_token"));
    };
    auto [ac, acsrf] = login("admin", password);
    auto post = [&](const std::string& path, const std::string& body) {
        return call(port, "POST", path, body, ac, acsrf);
    };
    const auto cid = parse(post("/api/v1/courses", R"({"code":"RUSH","title":"Rush"})").body)
                         ->getValue<int64_t>("id");

    // The exercise, as a JSON bundle.
    std::string files;
    for (const char* f :
         {"statement.md", "starter/words.py", "solution/words.py", "tests/test_words.py"}) {
        if (!files.empty()) files += ",";
        files += "\"" + std::string(f) + "\":\"" +
                 jsonEscape(readFile(src + "/appliance/demo/02-word-stats/" + f)) + "\"";
    }
    const std::string bundle =
        "{\"manifest\":" + readFile(src + "/tests/bench/exam-rush/assignment.json") +
        ",\"files\":{" + files + "}}";
    const auto aid =
        parse(post("/api/v1/courses/" + std::to_string(cid) + "/assignments", bundle).body)
            ->getValue<int64_t>("id");
    post("/api/v1/assignments/" + std::to_string(aid) + "/publish", "");
    const std::string solution =
        jsonEscape(readFile(src + "/appliance/demo/02-word-stats/solution/words.py"));
    const std::string starter =
        jsonEscape(readFile(src + "/appliance/demo/02-word-stats/starter/words.py"));

    std::cerr << "exam_rush: " << students << " students, " << runs << " runs + 1 final each, "
              << window << " s window, pool " << pool << "\n";
    std::vector<std::pair<std::string, std::string>> sessions(students);
    for (int i = 0; i < students; ++i) {
        const std::string name = "st" + std::to_string(i);
        auto r = post("/api/v1/users", R"({"username":")" + name +
                                           R"(","role":"student","password":"student-password"})");
        const auto uid = parse(r.body)->getValue<int64_t>("id");
        call(port, "PUT",
             "/api/v1/courses/" + std::to_string(cid) + "/members/" + std::to_string(uid),
             R"({"role":"student"})", ac, acsrf);
        sessions[i] = login(name, "student-password");
    }

    std::mutex m;
    std::vector<double> latencies;
    std::atomic<int> refused503{0}, refused429{0}, errors{0}, finals{0};
    std::vector<int64_t> finalIds;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < students; ++i) {
        threads.emplace_back([&, i] {
            std::mt19937 rng(static_cast<unsigned>(i) * 7919u + 17u);
            std::uniform_real_distribution<double> u(0, 1);
            const auto& [cookie, csrf] = sessions[i];
            // Arrivals spread over the window: runs at random moments, the final at the end.
            std::vector<double> at;
            for (int k = 0; k < runs; ++k)
                at.push_back(u(rng) * window * 0.9);
            std::sort(at.begin(), at.end());
            at.push_back(window * (0.9 + 0.1 * u(rng)));
            for (size_t k = 0; k < at.size(); ++k) {
                std::this_thread::sleep_until(start + std::chrono::duration<double>(at[k]));
                const bool final = k + 1 == at.size();
                const std::string code = final || u(rng) < 0.5 ? solution : starter;
                const std::string body = std::string(R"({"kind":")") + (final ? "submit" : "run") +
                                         R"(","files":{"words.py":")" + code + "\"}}";
                const auto t0 = Clock::now();
                for (int attempt = 0; attempt < 30; ++attempt) {
                    auto r =
                        call(port, "POST",
                             "/api/v1/assignments/" + std::to_string(aid) + "/submissions?wait=60",
                             body, cookie, csrf);
                    if (r.status == 503 || r.status == 429) {
                        (r.status == 503 ? refused503 : refused429)++;
                        std::this_thread::sleep_for(
                            std::chrono::seconds(std::max(1, std::atoi(r.retryAfter.c_str()))));
                        continue;
                    }
                    if (r.status == 200 || r.status == 202) {
                        const auto o = parse(r.body);
                        const double secs =
                            std::chrono::duration<double>(Clock::now() - t0).count();
                        std::lock_guard lock(m);
                        if (r.status == 200) latencies.push_back(secs);
                        if (final) finalIds.push_back(o->getValue<int64_t>("id"));
                    } else {
                        ++errors;
                    }
                    break;
                }
                if (final) ++finals;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

    // Every final graded exactly once.
    int gradedOnce = 0;
    for (int i = 0; i < 600; ++i) {
        gradedOnce = 0;
        for (auto id : finalIds) {
            auto r = call(port, "GET", "/api/v1/submissions/" + std::to_string(id), "", ac, acsrf);
            if (r.status == 200 && parse(r.body)->getValue<std::string>("status") == "graded")
                ++gradedOnce;
        }
        if (gradedOnce == static_cast<int>(finalIds.size())) break;
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    const std::string metrics = call(port, "GET", "/metrics", "").body;
    kill(assayd, SIGTERM);
    waitpid(assayd, nullptr, 0);
    kill(runner, SIGTERM);
    waitpid(runner, nullptr, 0);
    // Grade events per final, from the database: exactly one each.
    std::string check =
        "sqlite3 " + dir +
        "/assay.db \"SELECT COUNT(*), COUNT(DISTINCT json_extract(payload,'$.submission_id')) "
        "FROM bus_events WHERE type='submission.graded' AND "
        "json_extract(payload,'$.kind')='submit'\"";
    FILE* p = popen(check.c_str(), "r");
    char buf[128] = {};
    const bool read = fgets(buf, sizeof buf, p) != nullptr;
    pclose(p);
    int events = 0, distinct = 0;
    if (read) std::sscanf(buf, "%d|%d", &events, &distinct);

    const size_t jobs = latencies.size();
    std::printf(
        "{\"students\": %d, \"runs_per_student\": %d, \"window_s\": %.0f, \"elapsed_s\": %.1f, "
        "\"pool\": %s, "
        "\"jobs_answered\": %zu, \"throughput_jobs_per_s\": %.2f, \"latency_s\": {\"p50\": %.3f, "
        "\"p95\": %.3f, "
        "\"p99\": %.3f, \"max\": %.3f}, \"refused_503\": %d, \"refused_429\": %d, \"errors\": %d, "
        "\"finals\": %d, \"finals_graded\": %d, \"final_grade_events\": %d, "
        "\"finals_with_one_event\": %d, "
        "\"every_final_graded_exactly_once\": %s}\n",
        students, runs, window, elapsed, pool.c_str(), jobs, static_cast<double>(jobs) / elapsed,
        percentile(latencies, 0.5), percentile(latencies, 0.95), percentile(latencies, 0.99),
        percentile(latencies, 1.0), refused503.load(), refused429.load(), errors.load(),
        finals.load(), gradedOnce, events, distinct,
        (gradedOnce == students && events == students && distinct == students) ? "true" : "false");
    (void)metrics;
    fs::remove_all(dir);
    return 0;
}
