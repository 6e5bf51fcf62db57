// Statement ingest micro benchmark: statements validated per second on one thread.
// Usage: xapi_validate_bench [--seconds S]   (default 3 s per measurement)
// Prints one JSON object: parse+validate of single statements, validate-only of parsed
// trees, and parse+validate of batches of 50 (what POST /statements receives).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "assay/xapi/StatementBuilder.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;
using Clock = std::chrono::steady_clock;

// Counts heap allocations, to show what validating a parsed statement costs beyond time.
static std::atomic<uint64_t> gAllocations{0};
void* operator new(std::size_t size) {
    gAllocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace {

std::vector<std::string> sampleStatements() {
    StatementBuilder b({"https://assay.example.edu", "", "Assay", "en"});
    StudentEvent e;
    e.learner = {"https://moodle.example.edu", "u-8842", "Ada Lovelace"};
    e.assignment = {"42", "Loops", {"7", "CS1"}};
    e.attemptId = "attempt-3";
    e.eventId = "event-1";
    e.timestampMillis = 1717243200250;
    RunResult run{"run-1", 7, 10, false, 1254, 10, {{"test_empty"}, {"test_negative"}}};
    std::vector<Poco::JSON::Object::Ptr> objects = {b.practiceRun(e, run), b.launched(e),
                                                    b.passedOrFailed(e, Grade{"s-1", 8, 10, true})};
    std::vector<std::string> out;
    for (const auto& o : objects) {
        std::ostringstream s;
        o->stringify(s);
        out.push_back(s.str());
    }
    out.push_back(
        R"({"actor":{"objectType":"Group","name":"Team","member":[{"mbox":"mailto:a@example.com"},)"
        R"({"openid":"http://id.example.org/b"}]},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended",)"
        R"("display":{"en-US":"attended","de":"besuchte"}},"object":{"id":"http://example.com/q1",)"
        R"("definition":{"name":{"en":"Q"},"interactionType":"choice","correctResponsesPattern":["a"],)"
        R"("choices":[{"id":"a","description":{"en":"A"}},{"id":"b"}]}},"result":{"score":{"scaled":0.5},)"
        R"("duration":"PT12.5S"},"timestamp":"2024-01-01T10:00:00.000Z"})");
    return out;
}

struct Rate {
    double perSecond;
    uint64_t statements;
};

template <typename F>
Rate measure(double seconds, size_t statementsPerCall, F&& call) {
    uint64_t calls = 0;
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    while (Clock::now() < end) {
        for (int i = 0; i < 16; ++i)
            call(calls++);
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const uint64_t n = calls * statementsPerCall;
    return {static_cast<double>(n) / elapsed, n};
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 3;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atof(argv[i + 1]);
    }
    const auto samples = sampleStatements();
    std::vector<Poco::Dynamic::Var> parsed;
    for (const auto& s : samples) {
        if (auto err = validateStatement(std::string_view(s), Version::V1_0_3)) {
            std::fprintf(stderr, "sample rejected: %s\n", err->describe().c_str());
            return 1;
        }
        parsed.push_back(std::get<Poco::Dynamic::Var>(parseJson(s)));
    }
    // A batch of 50 distinct statements (ids must not repeat within a batch).
    StatementBuilder builder({"https://assay.example.edu", "", "Assay", "en"});
    std::string batch = "[";
    for (int i = 0; i < 50; ++i) {
        StudentEvent e;
        e.learner = {"https://moodle.example.edu", "u-" + std::to_string(i), ""};
        e.assignment = {"42", "Loops", {"7", "CS1"}};
        e.attemptId = "attempt-" + std::to_string(i);
        e.eventId = "batch-event-" + std::to_string(i);
        e.timestampMillis = 1717243200250 + i;
        RunResult run{"run-" + std::to_string(i), 7, 10, false, 1254, 10, {{"test_empty"}}};
        std::ostringstream s;
        builder.practiceRun(e, run)->stringify(s);
        if (i) batch += ",";
        batch += s.str();
    }
    batch += "]";
    size_t failures = 0;
    const Rate single = measure(seconds, 1, [&](uint64_t i) {
        failures +=
            validateStatement(std::string_view(samples[i % samples.size()]), Version::V1_0_3)
                .has_value();
    });
    const Rate validateOnly = measure(seconds, 1, [&](uint64_t i) {
        failures += validateStatement(parsed[i % parsed.size()], Version::V2_0_0).has_value();
    });
    const Rate batches = measure(seconds, 50, [&](uint64_t) {
        failures += std::holds_alternative<XapiError>(parseStatements(batch, Version::V1_0_3));
    });
    // Allocations of one validate-only pass over every parsed sample.
    const uint64_t before = gAllocations.load();
    for (const auto& p : parsed)
        failures += validateStatement(p, Version::V2_0_0).has_value();
    const double allocationsPerValidation =
        static_cast<double>(gAllocations.load() - before) / static_cast<double>(parsed.size());
    if (failures) {
        std::fprintf(stderr, "%zu validations failed\n", failures);
        return 1;
    }
    std::printf(
        "{\"benchmark\":\"xapi_validate\",\"threads\":1,\"seconds_per_measurement\":%.2f,"
        "\"parse_and_validate_per_second\":%.0f,\"validate_only_per_second\":%.0f,"
        "\"batch50_parse_and_validate_per_second\":%.0f,\"allocations_per_validation\":%.2f,"
        "\"statements\":%llu}\n",
        seconds, single.perSecond, validateOnly.perSecond, batches.perSecond,
        allocationsPerValidation,
        static_cast<unsigned long long>(single.statements + validateOnly.statements +
                                        batches.statements));
    return 0;
}
