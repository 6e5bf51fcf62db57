// Whole statements request bodies: content types, attachments, signatures, PUT ids, limits.
#include <cppunit/extensions/HelperMacros.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <sstream>

#include "StatementCases.h"
#include "assay/xapi/Signature.h"
#include "assay/xapi/StatementRequest.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;
using Obj = Poco::JSON::Object;

namespace {

constexpr Version V1 = Version::V1_0_3;
const std::string kText = "here is a simple attachment";

std::string attachmentJson(const std::string& extra = "") {
    return R"({"usageType":"http://example.com/u","display":{"en":"a"},"contentType":"text/plain","length":)" +
           std::to_string(kText.size()) + R"(,"sha2":")" + sha256Hex(kText) + "\"" + extra + "}";
}

ErrorCode codeOf(const std::variant<StatementRequest, XapiError>& r) {
    if (!std::holds_alternative<XapiError>(r)) CPPUNIT_FAIL("request was accepted");
    return std::get<XapiError>(r).code;
}

const StatementRequest& ok(const std::variant<StatementRequest, XapiError>& r) {
    if (auto* e = std::get_if<XapiError>(&r)) CPPUNIT_FAIL(e->describe());
    return std::get<StatementRequest>(r);
}

std::string privateKeyPem() {
    static const std::string pem = [] {
        EVP_PKEY* key = EVP_RSA_gen(2048);
        BIO* b = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
        char* data = nullptr;
        const long len = BIO_get_mem_data(b, &data);
        std::string out(data, static_cast<size_t>(len));
        BIO_free(b);
        EVP_PKEY_free(key);
        return out;
    }();
    return pem;
}

}  // namespace

class StatementRequestTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatementRequestTest);
    CPPUNIT_TEST(testJson);
    CPPUNIT_TEST(testContentTypes);
    CPPUNIT_TEST(testAttachments);
    CPPUNIT_TEST(testSignedStatements);
    CPPUNIT_TEST(testLimits);
    CPPUNIT_TEST(testPut);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testJson() {
        const auto singleResult =
            readStatementRequest("application/json; charset=utf-8", xapitest::statement(), V1);
        const auto& single = ok(singleResult);
        CPPUNIT_ASSERT(!single.batch);
        CPPUNIT_ASSERT_EQUAL(size_t(1), single.statements.size());
        std::string batch = "[";
        batch.append(xapitest::statement()).append(",").append(xapitest::statement()).append("]");
        auto r = readStatementRequest("application/json", batch, Version::V2_0_0);
        CPPUNIT_ASSERT(ok(r).batch);
        CPPUNIT_ASSERT_EQUAL(size_t(2), ok(r).statements.size());
        CPPUNIT_ASSERT(codeOf(readStatementRequest("application/json", "{", V1)) ==
                       ErrorCode::InvalidJson);
        CPPUNIT_ASSERT(codeOf(readStatementRequest("application/json", xapitest::withActor("{}"),
                                                   V1)) == ErrorCode::IfiMissing);
    }

    void testContentTypes() {
        const std::string body = xapitest::statement();
        CPPUNIT_ASSERT(codeOf(readStatementRequest("", body, V1)) ==
                       ErrorCode::UnsupportedContentType);
        CPPUNIT_ASSERT(codeOf(readStatementRequest("text/plain", body, V1)) ==
                       ErrorCode::UnsupportedContentType);
        CPPUNIT_ASSERT(codeOf(readStatementRequest("multipart/form-data; boundary=b", body, V1)) ==
                       ErrorCode::UnsupportedContentType);
        CPPUNIT_ASSERT_EQUAL(
            400, std::get<XapiError>(readStatementRequest("text/plain", body, V1)).httpStatus);
        // multipart/mixed with only the statement part.
        const std::string mp = buildStatementsMultipart("b-1", body, {});
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            ok(readStatementRequest("Multipart/Mixed; boundary=b-1", mp, V1)).statements.size());
    }

    void testAttachments() {
        const std::string declared = xapitest::with("\"attachments\":[" + attachmentJson() + "]");
        // Raw attachment declared, but sent as plain JSON: the part is missing.
        CPPUNIT_ASSERT(codeOf(readStatementRequest("application/json", declared, V1)) ==
                       ErrorCode::AttachmentMissing);
        // fileUrl attachments need no part.
        const std::string byUrl = xapitest::with(
            "\"attachments\":[" + attachmentJson(R"(,"fileUrl":"http://e.com/f.txt")") + "]");
        CPPUNIT_ASSERT(ok(readStatementRequest("application/json", byUrl, V1)).attachments.empty());
        const AttachmentPart part{sha256Hex(kText), "text/plain", kText};
        const auto result = readStatementRequest(
            "multipart/mixed; boundary=zz", buildStatementsMultipart("zz", declared, {part}), V1);
        const auto& r = ok(result);
        CPPUNIT_ASSERT_EQUAL(kText, r.attachments.at(0).content);
        // An excess part that no statement declares.
        const AttachmentPart extra{sha256Hex("extra"), "text/plain", "extra"};
        CPPUNIT_ASSERT(
            codeOf(readStatementRequest("multipart/mixed; boundary=zz",
                                        buildStatementsMultipart("zz", declared, {part, extra}),
                                        V1)) == ErrorCode::AttachmentUnexpected);
        // A statement part that is not valid fails as a statement.
        CPPUNIT_ASSERT(codeOf(readStatementRequest("multipart/mixed; boundary=zz",
                                                   buildStatementsMultipart("zz", "[1]", {}),
                                                   V1)) == ErrorCode::WrongType);
    }

    void testSignedStatements() {
        auto s = std::get<Poco::Dynamic::Var>(parseJson(xapitest::statement())).extract<Obj::Ptr>();
        auto part = signStatement(*s, privateKeyPem(), "RS256");
        std::ostringstream json;
        s->stringify(json);
        const std::string body = buildStatementsMultipart("sig", json.str(), {part});
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            ok(readStatementRequest("multipart/mixed; boundary=sig", body, V1)).attachments.size());
        // The signed statement differs from the one sent.
        s->getObject("verb")->set("id", std::string("http://adlnet.gov/expapi/verbs/passed"));
        std::ostringstream changed;
        s->stringify(changed);
        std::string batch = "[";
        batch.append(xapitest::statement()).append(",").append(changed.str()).append("]");
        auto r = readStatementRequest("multipart/mixed; boundary=sig",
                                      buildStatementsMultipart("sig", batch, {part}), V1);
        CPPUNIT_ASSERT(codeOf(r) == ErrorCode::SignatureMismatch);
        CPPUNIT_ASSERT_EQUAL(std::string("$[1].attachments"), std::get<XapiError>(r).path);
    }

    void testLimits() {
        StatementRequestOptions small;
        small.maxStatements = 1;
        std::string batch = "[";
        batch.append(xapitest::statement()).append(",").append(xapitest::statement()).append("]");
        auto r = readStatementRequest("application/json", batch, V1, small);
        CPPUNIT_ASSERT(codeOf(r) == ErrorCode::PayloadTooLarge);
        CPPUNIT_ASSERT_EQUAL(413, std::get<XapiError>(r).httpStatus);
        StatementRequestOptions tiny;
        tiny.limits.maxBodyBytes = 10;
        CPPUNIT_ASSERT(codeOf(readStatementRequest("application/json", xapitest::statement(), V1,
                                                   tiny)) == ErrorCode::PayloadTooLarge);
    }

    void testPut() {
        const std::string id = "6690e6c9-3ef0-4ed3-8b37-7f3964730bee";
        auto noId = std::get<StatementRequest>(
            readStatementRequest("application/json", xapitest::statement(), V1));
        CPPUNIT_ASSERT(!applyStatementIdParameter(noId, id));
        CPPUNIT_ASSERT_EQUAL(id, noId.statements[0]->getValue<std::string>("id"));
        auto same = std::get<StatementRequest>(readStatementRequest(
            "application/json", xapitest::with(R"("id":"6690E6C9-3EF0-4ED3-8B37-7F3964730BEE")"),
            V1));
        CPPUNIT_ASSERT(!applyStatementIdParameter(same, id));
        auto other = std::get<StatementRequest>(readStatementRequest(
            "application/json", xapitest::with(R"("id":"6690e6c9-3ef0-4ed3-8b37-7f3964730bef")"),
            V1));
        CPPUNIT_ASSERT(applyStatementIdParameter(other, id)->code ==
                       ErrorCode::ConflictingParameters);
        std::string one = "[";
        one.append(xapitest::statement()).append("]");
        auto array = std::get<StatementRequest>(readStatementRequest("application/json", one, V1));
        CPPUNIT_ASSERT(applyStatementIdParameter(array, id)->code == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(applyStatementIdParameter(noId, "nope")->code ==
                       ErrorCode::InvalidParameter);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatementRequestTest);
