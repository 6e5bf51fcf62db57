// The runner protocol: framing, request parsing (good and bad input), result encoding.
#include <assay/containers/protocol.h>
#include <assay/containers/sandbox/sandbox_config.h>
#include <assay/containers/sandbox_cli.h>

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

using namespace assay::containers;

namespace {

ProtocolErrorCode codeOf(const std::string& payload) {
    try {
        parseRequest(payload);
    } catch (const ProtocolError& e) {
        return e.code();
    }
    CPPUNIT_FAIL("request was accepted: " + payload);
    return ProtocolErrorCode::Internal;
}

Poco::JSON::Object::Ptr parseJson(const std::string& s) {
    Poco::JSON::Parser p;
    return p.parse(s).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

class ProtocolTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ProtocolTest);
    CPPUNIT_TEST(testFrameRoundTrip);
    CPPUNIT_TEST(testRunRequestRoundTrip);
    CPPUNIT_TEST(testBinaryFileUsesBase64);
    CPPUNIT_TEST(testStatusAndMetrics);
    CPPUNIT_TEST(testRejectsMalformedJson);
    CPPUNIT_TEST(testRejectsBadFields);
    CPPUNIT_TEST(testRejectsEscapingPaths);
    CPPUNIT_TEST(testUnknownType);
    CPPUNIT_TEST(testResultJsonFields);
    CPPUNIT_TEST(testInvalidUtf8OutputIsReplaced);
    CPPUNIT_TEST(testErrorReplyCarriesCode);
    CPPUNIT_TEST(testVerdictNames);
    CPPUNIT_TEST(testParseSize);
    CPPUNIT_TEST(testEffectiveLimits);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testFrameRoundTrip() {
        const std::string frame = encodeFrame("{\"a\":1}");
        CPPUNIT_ASSERT_EQUAL(std::size_t{11}, frame.size());
        const auto* h = reinterpret_cast<const unsigned char*>(frame.data());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{7}, frameLength(h));
        const unsigned char big[4] = {0x01, 0x02, 0x03, 0x04};
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{0x01020304}, frameLength(big));
    }

    void testRunRequestRoundTrip() {
        Request r;
        r.type = RequestType::Run;
        r.job.argv = {"python3", "main.py", "--flag"};
        r.job.files = {{"main.py", "print('hé')\n", false}, {"pkg/run.sh", "#!/bin/sh\n", true}};
        r.job.stdinData = "line1\nline2\n";
        r.job.limits.cpuMs = 1500;
        r.job.limits.memoryBytes = 128u << 20;
        r.job.limits.tmpfsBytes = 1u << 20;
        const Request back = parseRequest(encodeRequest(r));
        CPPUNIT_ASSERT(back.type == RequestType::Run);
        CPPUNIT_ASSERT(back.job.argv == r.job.argv);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, back.job.files.size());
        CPPUNIT_ASSERT_EQUAL(std::string("print('hé')\n"), back.job.files[0].content);
        CPPUNIT_ASSERT_EQUAL(std::string("pkg/run.sh"), back.job.files[1].path);
        CPPUNIT_ASSERT(back.job.files[1].executable);
        CPPUNIT_ASSERT(!back.job.files[0].executable);
        CPPUNIT_ASSERT_EQUAL(r.job.stdinData, back.job.stdinData);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1500}, back.job.limits.cpuMs);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{128u << 20}, back.job.limits.memoryBytes);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, back.job.limits.wallMs);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1u << 20}, back.job.limits.tmpfsBytes);
    }

    void testBinaryFileUsesBase64() {
        Request r;
        r.type = RequestType::Run;
        r.job.argv = {"python3"};
        std::string bytes("\x00\xff\xfe\x80zip", 7);
        r.job.files = {{"data.bin", bytes, false}};
        const std::string wire = encodeRequest(r);
        CPPUNIT_ASSERT(wire.find("content_b64") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(bytes, parseRequest(wire).job.files[0].content);
        for (const char* b64 : {"@@@@", "AAA", "A===", "AA=A", "AAAA====x"}) {
            CPPUNIT_ASSERT_MESSAGE(
                b64,
                codeOf(
                    std::string(
                        R"({"type":"run","job":{"argv":["x"],"files":[{"path":"a","content_b64":")") +
                    b64 + "\"}]}}") == ProtocolErrorCode::BadRequest);
        }
        for (std::size_t n = 0; n < 7; ++n) {
            Request q;
            q.type = RequestType::Run;
            q.job.argv = {"x"};
            q.job.files = {{"f", std::string("\xff\x00\x01\x02\x03\x04", n), false}};
            CPPUNIT_ASSERT_EQUAL(q.job.files[0].content,
                                 parseRequest(encodeRequest(q)).job.files[0].content);
        }
    }

    void testStatusAndMetrics() {
        CPPUNIT_ASSERT(parseRequest(R"({"type":"status"})").type == RequestType::Status);
        CPPUNIT_ASSERT(parseRequest(R"({"type":"metrics"})").type == RequestType::Metrics);
    }

    void testRejectsMalformedJson() {
        CPPUNIT_ASSERT(codeOf("") == ProtocolErrorCode::BadJson);
        CPPUNIT_ASSERT(codeOf("{") == ProtocolErrorCode::BadJson);
        CPPUNIT_ASSERT(codeOf("[1,2]") == ProtocolErrorCode::BadJson);
        CPPUNIT_ASSERT(codeOf("\"run\"") == ProtocolErrorCode::BadJson);
        CPPUNIT_ASSERT(codeOf("{\"type\":\"run\",}") == ProtocolErrorCode::BadJson);
    }

    void testRejectsBadFields() {
        CPPUNIT_ASSERT(codeOf(R"({})") == ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":1})") == ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run"})") == ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":[]}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":[1]}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":[""]}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":["x"],"limits":{"cpu_ms":-5}}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":["x"],"limits":{"cpu_ms":1e999}}})") ==
                       ProtocolErrorCode::BadJson);  // the parser refuses an unrepresentable number
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":["x"],"limits":{"cpu_ms":1.5}}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":["x"],"limits":{"wall_ms":"10"}}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":["x"],"limits":[]}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":["x"],"stdin":5}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":["x"],"files":{}}})") ==
                       ProtocolErrorCode::BadRequest);
        CPPUNIT_ASSERT(codeOf(R"({"type":"run","job":{"argv":["x"],"files":[{"path":"a"}]}})") ==
                       ProtocolErrorCode::BadRequest);
        std::string many = R"({"type":"run","job":{"argv":[)";
        for (int i = 0; i < 300; ++i)
            many += std::string(i ? "," : "") + "\"a\"";
        many += "]}}";
        CPPUNIT_ASSERT(codeOf(many) == ProtocolErrorCode::BadRequest);
    }

    void testRejectsEscapingPaths() {
        for (const char* path : {"/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/", ""}) {
            const std::string req =
                std::string(R"({"type":"run","job":{"argv":["x"],"files":[{"path":")") + path +
                R"(","content":""}]}})";
            CPPUNIT_ASSERT_MESSAGE(path, codeOf(req) == ProtocolErrorCode::BadRequest);
        }
    }

    void testUnknownType() {
        CPPUNIT_ASSERT(codeOf(R"({"type":"shutdown"})") == ProtocolErrorCode::UnknownType);
    }

    void testResultJsonFields() {
        RunResult r;
        r.verdict = Verdict::RuntimeError;
        r.signal = 9;
        r.stdoutData = "out";
        r.stderrData = "err";
        r.truncated = true;
        r.wallMs = 12;
        r.cpuMs = 7;
        r.memoryKb = 2048;
        const auto o = parseJson(resultToJson(r));
        CPPUNIT_ASSERT_EQUAL(std::string("runtime_error"), o->getValue<std::string>("verdict"));
        CPPUNIT_ASSERT(o->isNull("exit_code"));
        CPPUNIT_ASSERT_EQUAL(9, o->getValue<int>("signal"));
        CPPUNIT_ASSERT_EQUAL(std::string("out"), o->getValue<std::string>("stdout"));
        CPPUNIT_ASSERT_EQUAL(std::string("err"), o->getValue<std::string>("stderr"));
        CPPUNIT_ASSERT(o->getValue<bool>("truncated"));
        CPPUNIT_ASSERT_EQUAL(12, o->getValue<int>("wall_ms"));
        CPPUNIT_ASSERT_EQUAL(7, o->getValue<int>("cpu_ms"));
        CPPUNIT_ASSERT_EQUAL(2048, o->getValue<int>("memory_kb"));
        const RunResult back = parseRunReply(encodeResult(r));
        CPPUNIT_ASSERT(back.verdict == Verdict::RuntimeError);
        CPPUNIT_ASSERT_EQUAL(-1, back.exitCode);
        CPPUNIT_ASSERT_EQUAL(9, back.signal);
        CPPUNIT_ASSERT(back.truncated);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2048}, back.memoryKb);
    }

    void testInvalidUtf8OutputIsReplaced() {
        RunResult r;
        r.verdict = Verdict::Ok;
        r.exitCode = 0;
        r.stdoutData = std::string(
            "a\xff"
            "b\xc3",
            4);
        const auto o = parseJson(resultToJson(r));
        CPPUNIT_ASSERT_EQUAL(std::string("a\xEF\xBF\xBD"
                                         "b\xEF\xBF\xBD"),
                             o->getValue<std::string>("stdout"));
    }

    void testErrorReplyCarriesCode() {
        try {
            parseRunReply(encodeError(ProtocolErrorCode::OversizedMessage, "too big"));
            CPPUNIT_FAIL("error reply was taken for a result");
        } catch (const ProtocolError& e) {
            CPPUNIT_ASSERT(e.code() == ProtocolErrorCode::OversizedMessage);
            CPPUNIT_ASSERT_EQUAL(std::string("too big"), std::string(e.what()));
        }
        const auto o = parseJson(encodeError(ProtocolErrorCode::BadJson, "x"));
        CPPUNIT_ASSERT_EQUAL(std::string("bad_json"),
                             o->getObject("error")->getValue<std::string>("code"));
    }

    void testVerdictNames() {
        CPPUNIT_ASSERT_EQUAL(std::size_t{7}, allVerdicts().size());
        for (Verdict v : allVerdicts())
            CPPUNIT_ASSERT(verdictFromName(verdictName(v)) == v);
        CPPUNIT_ASSERT(!verdictFromName("accepted"));
        CPPUNIT_ASSERT_EQUAL(std::string("memory_exceeded"),
                             std::string(verdictName(Verdict::MemoryExceeded)));
    }

    void testParseSize() {
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{512}, parseSize("512"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{64} << 10, parseSize("64K"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{256} << 20, parseSize("256M"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1} << 30, parseSize("1G"));
        CPPUNIT_ASSERT_THROW(parseSize("12X"), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(parseSize("M"), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(parseSize(""), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(parseSize("99999999999999999G"), std::invalid_argument);
    }

    void testEffectiveLimits() {
        SandboxConfig c;
        Limits want;
        want.cpuMs = 999999999;
        want.memoryBytes = 1;
        const Limits l = effectiveLimits(want, c);
        CPPUNIT_ASSERT_EQUAL(c.maximum.cpuMs, l.cpuMs);
        CPPUNIT_ASSERT_EQUAL(c.defaults.wallMs, l.wallMs);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{16} << 20, l.memoryBytes);  // floor
        CPPUNIT_ASSERT_EQUAL(c.defaults.outputBytes, l.outputBytes);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProtocolTest);
