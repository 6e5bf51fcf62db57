// Statement ingest of the built-in LRS: statements per second POSTed in batches over loopback
// HTTP to an assayd host with the xapi module, on SQLite or MariaDB.
//
//   lrs_ingest_bench [--engine sqlite|mariadb] [--seconds S] [--clients C] [--batch N]
//
// MariaDB needs ASSAY_TEST_MYSQL_URL (an account that may create databases). Prints one JSON
// object.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "LrsHost.h"
#include "assay/xapi/Identity.h"

namespace {

using Clock = std::chrono::steady_clock;

// A statement like the ones Assay emits: LMS account, score, registration, course parent.
std::string statement(int client, uint64_t n) {
    const std::string user = std::to_string((n * 7919 + static_cast<uint64_t>(client)) % 5000);
    const std::string assignment = std::to_string(n % 40);
    return "{\"id\":\"" + assay::xapi::randomUuid() +
           "\",\"actor\":{\"objectType\":\"Agent\",\"account\":{\"homePage\":\"https://"
           "lms.example.edu\",\"name\":\"" +
           user +
           "\"}},\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/"
           "scored\",\"display\":{\"en\":\"scored\"}},"
           "\"object\":{\"objectType\":\"Activity\",\"id\":\"https://assay.example.edu/xapi/"
           "assignments/" +
           assignment + "\",\"definition\":{\"name\":{\"en\":\"Assignment " + assignment +
           "\"},\"type\":\"http://adlnet.gov/expapi/activities/assessment\"}},"
           "\"result\":{\"score\":{\"raw\":" +
           std::to_string(n % 11) + ",\"min\":0,\"max\":10,\"scaled\":" +
           std::to_string(static_cast<double>(n % 11) / 10.0) +
           "},\"success\":true,\"duration\":\"PT1.25S\"},"
           "\"context\":{\"registration\":\"" +
           assay::xapi::randomUuid() +
           "\",\"platform\":\"Assay\",\"language\":\"en\",\"contextActivities\":{\"parent\":[{"
           "\"id\":\"https://"
           "assay.example.edu/xapi/courses/3\",\"objectType\":\"Activity\"}]}},"
           "\"timestamp\":\"2026-11-22T10:00:00.000Z\"}";
}

}  // namespace

int main(int argc, char** argv) {
    std::string engine = "sqlite";
    double seconds = 10;
    int clients = 4;
    int batch = 50;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--engine")
            engine = argv[i + 1];
        else if (a == "--seconds")
            seconds = std::atof(argv[i + 1]);
        else if (a == "--clients")
            clients = std::atoi(argv[i + 1]);
        else if (a == "--batch")
            batch = std::atoi(argv[i + 1]);
        else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    try {
        assay::test::LrsHost lrs(engine);
        const int port = lrs.port();
        const std::string auth = lrs.basic;
        std::atomic<uint64_t> accepted{0}, failed{0};
        std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
        const auto start = Clock::now();
        const auto end = start + std::chrono::duration<double>(seconds);
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c) {
            threads.emplace_back([&, c] {
                Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
                session.setKeepAlive(true);
                session.setTimeout(Poco::Timespan(60, 0));
                uint64_t n = 0;
                while (Clock::now() < end) {
                    std::string body = "[";
                    for (int i = 0; i < batch; ++i) {
                        if (i) body += ',';
                        body += statement(c, n++);
                    }
                    body += "]";
                    Poco::Net::HTTPRequest req("POST", "/xapi/statements",
                                               Poco::Net::HTTPMessage::HTTP_1_1);
                    req.set(assay::test::kLrsAuthHeader, auth);
                    req.set("X-Experience-API-Version", "1.0.3");
                    req.setContentType("application/json");
                    req.setContentLength64(static_cast<int64_t>(body.size()));
                    req.setKeepAlive(true);
                    const auto t0 = Clock::now();
                    session.sendRequest(req) << body;
                    Poco::Net::HTTPResponse resp;
                    std::string answer;
                    Poco::StreamCopier::copyToString(session.receiveResponse(resp), answer);
                    latencies[static_cast<size_t>(c)].push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                    if (resp.getStatus() == 200)
                        accepted += static_cast<uint64_t>(batch);
                    else {
                        ++failed;
                        if (failed == 1)
                            std::cerr << "HTTP " << resp.getStatus() << ": "
                                      << answer.substr(0, 300) << "\n";
                    }
                }
            });
        }
        for (auto& t : threads)
            t.join();
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        std::vector<double> all;
        for (auto& l : latencies)
            all.insert(all.end(), l.begin(), l.end());
        std::sort(all.begin(), all.end());
        auto pct = [&](double p) {
            return all.empty() ? 0.0 : all[static_cast<size_t>(p * (all.size() - 1))];
        };
        std::cout << "{\"benchmark\":\"lrs_ingest\",\"engine\":\"" << engine
                  << "\",\"batch\":" << batch << ",\"clients\":" << clients
                  << ",\"seconds\":" << elapsed << ",\"statements\":" << accepted.load()
                  << ",\"failed_batches\":" << failed.load()
                  << ",\"statements_per_second\":" << static_cast<double>(accepted.load()) / elapsed
                  << ",\"batch_ms_p50\":" << pct(0.5) << ",\"batch_ms_p99\":" << pct(0.99)
                  << ",\"hardware_threads\":" << std::thread::hardware_concurrency() << "}\n";
        return failed.load() == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "lrs_ingest_bench: " << e.what() << "\n";
        return 1;
    }
}
