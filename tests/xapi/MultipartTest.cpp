// multipart/mixed statement bodies: good and broken ones.
#include <cppunit/extensions/HelperMacros.h>

#include "StatementCases.h"
#include "assay/xapi/Multipart.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;

namespace {

const std::string kText = "here is a simple attachment";
const std::string kBinary = std::string("\x00\x01\xff\r\n--not-a-boundary\r\n", 23);

std::string attachmentHeader(const std::string& content, const std::string& type,
                             const std::string& extra = "") {
    return R"({"usageType":"http://example.com/attachment-usage/test","display":{"en-US":"A test attachment"},"contentType":")" +
           type + R"(","length":)" + std::to_string(content.size()) + R"(,"sha2":")" +
           sha256Hex(content) + "\"" + extra + "}";
}

std::string statementWith(const std::string& attachments) {
    return xapitest::with("\"attachments\":[" + attachments + "]");
}

// A hand-written request as a client would send it.
std::string handWritten(const std::string& boundary, const std::string& json,
                        const std::string& hashHeader,
                        const std::string& encoding = "Content-Transfer-Encoding: binary\r\n") {
    return "preamble to ignore\r\n--" + boundary + "\r\nContent-Type: application/json\r\n\r\n" +
           json + "\r\n--" + boundary + "\r\nContent-Type: text/plain\r\n" + encoding + hashHeader +
           "\r\n\r\n" + kText + "\r\n--" + boundary + "--\r\n";
}

ErrorCode codeOf(const std::variant<MultipartStatements, XapiError>& r) {
    return std::get<XapiError>(r).code;
}

}  // namespace

class MultipartTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MultipartTest);
    CPPUNIT_TEST(testRoundTrip);
    CPPUNIT_TEST(testHandWritten);
    CPPUNIT_TEST(testBoundaryParameter);
    CPPUNIT_TEST(testBrokenBodies);
    CPPUNIT_TEST(testLimits);
    CPPUNIT_TEST(testMatching);
    CPPUNIT_TEST(testOtherShaSizes);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testRoundTrip() {
        const std::string json =
            statementWith(attachmentHeader(kText, "text/plain") + "," +
                          attachmentHeader(kBinary, "application/octet-stream"));
        std::vector<AttachmentPart> parts = {
            {sha256Hex(kText), "text/plain", kText},
            {sha256Hex(kBinary), "application/octet-stream", kBinary}};
        const std::string boundary = chooseBoundary(parts, json);
        const std::string body = buildStatementsMultipart(boundary, json, parts);
        auto r = parseStatementsMultipart("multipart/mixed; boundary=" + boundary, body);
        auto* ok = std::get_if<MultipartStatements>(&r);
        CPPUNIT_ASSERT_MESSAGE(ok ? "" : std::get<XapiError>(r).describe(), ok);
        CPPUNIT_ASSERT_EQUAL(json, ok->statementsJson);
        CPPUNIT_ASSERT_EQUAL(size_t(2), ok->attachments.size());
        CPPUNIT_ASSERT(ok->attachments[0].content == kText);
        CPPUNIT_ASSERT(ok->attachments[1].content == kBinary);
        CPPUNIT_ASSERT_EQUAL(std::string("application/octet-stream"),
                             ok->attachments[1].contentType);
        auto statements =
            std::get<ParsedStatements>(parseStatements(ok->statementsJson, Version::V1_0_3));
        CPPUNIT_ASSERT(!matchAttachments(statements.statements, ok->attachments));
    }

    void testHandWritten() {
        const std::string json = statementWith(attachmentHeader(kText, "text/plain"));
        const std::string body = handWritten("abcABC0123'()+_,-./:=?", json,
                                             "X-Experience-API-Hash: " + sha256Hex(kText));
        auto r = parseStatementsMultipart(
            "Multipart/Mixed; charset=UTF-8; boundary=\"abcABC0123'()+_,-./:=?\"", body);
        auto* ok = std::get_if<MultipartStatements>(&r);
        CPPUNIT_ASSERT_MESSAGE(ok ? "" : std::get<XapiError>(r).describe(), ok);
        CPPUNIT_ASSERT_EQUAL(json, ok->statementsJson);
        CPPUNIT_ASSERT_EQUAL(kText, ok->attachments.at(0).content);
        // Bare LF line ends are tolerated.
        std::string lf = handWritten("b1", json, "X-Experience-API-Hash: " + sha256Hex(kText));
        std::string converted;
        for (size_t i = 0; i < lf.size(); ++i) {
            if (lf[i] == '\r' && i + 1 < lf.size() && lf[i + 1] == '\n') continue;
            converted += lf[i];
        }
        auto r2 = parseStatementsMultipart("multipart/mixed; boundary=b1", converted);
        CPPUNIT_ASSERT(std::holds_alternative<MultipartStatements>(r2));
    }

    void testBoundaryParameter() {
        CPPUNIT_ASSERT_EQUAL(std::string("x y"),
                             *multipartBoundary("multipart/mixed; boundary=\"x y\""));
        CPPUNIT_ASSERT_EQUAL(std::string("abc"),
                             *multipartBoundary("multipart/mixed;BOUNDARY=abc;a=b"));
        CPPUNIT_ASSERT(!multipartBoundary("multipart/mixed"));
        CPPUNIT_ASSERT(!multipartBoundary("multipart/mixed; boundary="));
    }

    void testBrokenBodies() {
        const std::string json = statementWith(attachmentHeader(kText, "text/plain"));
        const std::string hash = "X-Experience-API-Hash: " + sha256Hex(kText);
        const std::string good = handWritten("b1", json, hash);
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/mixed", good)) ==
                       ErrorCode::MultipartMalformed);
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/form-data; boundary=b1", good)) ==
                       ErrorCode::MultipartMalformed);
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/mixed; boundary=zz", good)) ==
                       ErrorCode::MultipartMalformed);
        // First part not JSON.
        std::string textFirst = good;
        textFirst.replace(textFirst.find("application/json"), 16, "text/plain");
        CPPUNIT_ASSERT(
            codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1", textFirst)) ==
            ErrorCode::MultipartMalformed);
        // No hash header, no transfer encoding, wrong hash.
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1",
                                                       handWritten("b1", json, "X-Other: 1"))) ==
                       ErrorCode::MultipartMalformed);
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1",
                                                       handWritten("b1", json, hash, ""))) ==
                       ErrorCode::MultipartMalformed);
        CPPUNIT_ASSERT(
            codeOf(parseStatementsMultipart(
                "multipart/mixed; boundary=b1",
                handWritten("b1", json, "X-Experience-API-Hash: " + sha256Hex("other")))) ==
            ErrorCode::AttachmentHashMismatch);
        // Truncated: no closing delimiter.
        std::string truncated = good.substr(0, good.rfind("--b1--"));
        CPPUNIT_ASSERT(
            codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1", truncated)) ==
            ErrorCode::MultipartMalformed);
        // A header line without a name.
        std::string noName = good;
        noName.replace(noName.find("Content-Type: text/plain"), 24, "just text");
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1", noName)) ==
                       ErrorCode::MultipartMalformed);
        // Only the closing delimiter.
        CPPUNIT_ASSERT(
            codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1", "--b1--\r\n")) ==
            ErrorCode::MultipartMalformed);
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1", "")) ==
                       ErrorCode::MultipartMalformed);
    }

    void testLimits() {
        const std::string json = statementWith(attachmentHeader(kText, "text/plain"));
        const std::string body =
            handWritten("b1", json, "X-Experience-API-Hash: " + sha256Hex(kText));
        MultipartLimits small;
        small.maxBodyBytes = body.size() - 1;
        auto r = parseStatementsMultipart("multipart/mixed; boundary=b1", body, small);
        CPPUNIT_ASSERT(codeOf(r) == ErrorCode::PayloadTooLarge);
        CPPUNIT_ASSERT_EQUAL(413, std::get<XapiError>(r).httpStatus);
        MultipartLimits fewParts;
        fewParts.maxParts = 1;
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1", body,
                                                       fewParts)) == ErrorCode::PayloadTooLarge);
        MultipartLimits tinyHeaders;
        tinyHeaders.maxHeaderBytes = 20;
        CPPUNIT_ASSERT(codeOf(parseStatementsMultipart("multipart/mixed; boundary=b1", body,
                                                       tinyHeaders)) == ErrorCode::PayloadTooLarge);
    }

    void testMatching() {
        auto parse = [](const std::string& json) {
            return std::get<ParsedStatements>(parseStatements(json, Version::V1_0_3)).statements;
        };
        const AttachmentPart text{sha256Hex(kText), "text/plain", kText};
        const AttachmentPart other{sha256Hex("x"), "text/plain", "x"};
        auto declared = parse(statementWith(attachmentHeader(kText, "text/plain")));
        CPPUNIT_ASSERT(!matchAttachments(declared, {text}));
        auto missing = matchAttachments(declared, {});
        CPPUNIT_ASSERT(missing && missing->code == ErrorCode::AttachmentMissing);
        auto unexpected = matchAttachments(declared, {text, other});
        CPPUNIT_ASSERT(unexpected && unexpected->code == ErrorCode::AttachmentUnexpected);
        auto byUrl = parse(
            statementWith(attachmentHeader(kText, "text/plain", R"(,"fileUrl":"http://e.com/f")")));
        CPPUNIT_ASSERT(!matchAttachments(byUrl, {}));
        CPPUNIT_ASSERT(!matchAttachments(byUrl, {text}));
        // Attachments of a sub-statement count too.
        auto sub = parse(xapitest::withObject(
            R"({"objectType":"SubStatement","actor":)" + xapitest::kActor + R"(,"verb":)" +
            xapitest::kVerb + R"(,"object":)" + xapitest::kObject + R"(,"attachments":[)" +
            attachmentHeader(kText, "text/plain") + "]}"));
        CPPUNIT_ASSERT(!matchAttachments(sub, {text}));
        CPPUNIT_ASSERT(matchAttachments(sub, {})->code == ErrorCode::AttachmentMissing);
    }

    void testOtherShaSizes() {
        CPPUNIT_ASSERT_EQUAL(size_t(128), sha2Hex("abc", 128)->size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            sha256Hex("abc"));
        CPPUNIT_ASSERT(!sha2Hex("abc", 40));
        const std::string json = statementWith(attachmentHeader(kText, "text/plain"));
        const std::string body =
            handWritten("b1", json, "X-Experience-API-Hash: " + *sha2Hex(kText, 128));
        auto r = parseStatementsMultipart("multipart/mixed; boundary=b1", body);
        CPPUNIT_ASSERT(std::holds_alternative<MultipartStatements>(r));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MultipartTest);
