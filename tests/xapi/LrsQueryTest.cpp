// GET /statements filters, ordering and paging, and attachments over real HTTP.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <thread>

#include "LrsHost.h"
#include "assay/xapi/Identity.h"
#include "assay/xapi/Multipart.h"
#include "assay/xapi/Signature.h"

#include <Poco/JSON/Parser.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

using assay::test::LrsHost;

namespace {

std::string enc(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]{}\" ", out);
    return out;
}

// A fresh RSA private key (PEM).
std::string rsaKey() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long len = BIO_get_mem_data(b, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(b);
    EVP_PKEY_free(key);
    return pem;
}

const std::string kAnn = R"({"mbox":"mailto:ann@example.edu"})";
const std::string kBob = R"({"mbox":"mailto:bob@example.edu"})";
const std::string kCarl =
    R"({"objectType":"Agent","account":{"homePage":"https://lms.example.edu","name":"carl"}})";
const std::string kExperienced = "http://adlnet.gov/expapi/verbs/experienced";
const std::string kCompleted = "http://adlnet.gov/expapi/verbs/completed";
const std::string kA1 = "http://example.edu/a/1", kA2 = "http://example.edu/a/2",
                  kP = "http://example.edu/course";

std::string stmt(const std::string& id, const std::string& actor, const std::string& verb,
                 const std::string& object, const std::string& context = "") {
    std::string s = "{\"id\":\"" + id + "\",\"actor\":" + actor + ",\"verb\":{\"id\":\"" + verb +
                    "\"},\"object\":" + object;
    if (!context.empty()) s += ",\"context\":" + context;
    return s + "}";
}

std::string activity(const std::string& id) {
    return "{\"id\":\"" + id + "\"}";
}

}  // namespace

class LrsQueryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LrsQueryTest);
    CPPUNIT_TEST(testFilters);
    CPPUNIT_TEST(testOrderAndPaging);
    CPPUNIT_TEST(testAttachments);
    CPPUNIT_TEST(testSignedStatements);
    CPPUNIT_TEST(testStatementRefsMatchTheirTarget);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        lrs_ = std::make_unique<LrsHost>();
        reg_ = assay::xapi::randomUuid();
        for (int i = 0; i < 4; ++i)
            ids_.push_back(assay::xapi::randomUuid());
        const std::vector<std::string> bodies = {
            stmt(ids_[0], kAnn, kExperienced, activity(kA1),
                 "{\"registration\":\"" + reg_ + "\",\"instructor\":" + kBob +
                     ",\"contextActivities\":{\"parent\":{\"id\":\"" + kP + "\"}}}"),
            stmt(ids_[1], kBob, kCompleted, activity(kA2)),
            stmt(ids_[2], kAnn, kCompleted, kCarl),
            stmt(ids_[3], kCarl, kExperienced, activity(kA1),
                 "{\"contextActivities\":{\"grouping\":[{\"id\":\"" + kA2 + "\"}]}}"),
        };
        for (const auto& b : bodies) {
            auto r = lrs_->lrs("POST", "/xapi/statements", b);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));  // distinct stored times
        }
    }
    void tearDown() override { lrs_.reset(); }

    // Ids returned by a query, in order.
    std::vector<std::string> ids(const std::string& query) {
        auto r = lrs_->lrs("GET", "/xapi/statements?" + query);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(query + " -> " + r.body, 200, r.status);
        auto arr = r.json()->getArray("statements");
        std::vector<std::string> out;
        for (size_t i = 0; i < arr->size(); ++i)
            out.push_back(arr->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
        return out;
    }
    std::vector<std::string> pick(std::initializer_list<int> which) {  // descending by stored
        std::vector<std::string> out;
        for (int i : which)
            out.push_back(ids_[static_cast<size_t>(i)]);
        return out;
    }

    void testFilters() {
        CPPUNIT_ASSERT(pick({3, 2, 1, 0}) == ids(""));
        CPPUNIT_ASSERT(pick({2, 0}) == ids("agent=" + enc(kAnn)));
        CPPUNIT_ASSERT(pick({3, 2}) == ids("agent=" + enc(kCarl)));
        CPPUNIT_ASSERT(pick({1}) == ids("agent=" + enc(kBob)));
        CPPUNIT_ASSERT(pick({1, 0}) == ids("agent=" + enc(kBob) + "&related_agents=true"));
        CPPUNIT_ASSERT(pick({2, 1}) == ids("verb=" + enc(kCompleted)));
        CPPUNIT_ASSERT(pick({3, 0}) == ids("activity=" + enc(kA1)));
        CPPUNIT_ASSERT(pick({1}) == ids("activity=" + enc(kA2)));
        CPPUNIT_ASSERT(pick({3, 1}) == ids("activity=" + enc(kA2) + "&related_activities=true"));
        CPPUNIT_ASSERT(ids("activity=" + enc(kP)).empty());
        CPPUNIT_ASSERT(pick({0}) == ids("activity=" + enc(kP) + "&related_activities=true"));
        CPPUNIT_ASSERT(pick({0}) == ids("registration=" + reg_));
        CPPUNIT_ASSERT(pick({3}) == ids("verb=" + enc(kExperienced) + "&agent=" + enc(kCarl)));

        // since / until against the stored times.
        auto s1 = lrs_->lrs("GET", "/xapi/statements?statementId=" + ids_[1])
                      .json()
                      ->getValue<std::string>("stored");
        CPPUNIT_ASSERT(pick({3, 2}) == ids("since=" + enc(s1)));
        CPPUNIT_ASSERT(pick({1, 0}) == ids("until=" + enc(s1)));
        CPPUNIT_ASSERT(ids("since=" + enc(s1) + "&until=" + enc(s1)).empty());

        // Bad values are refused.
        CPPUNIT_ASSERT_EQUAL(
            400, lrs_->lrs("GET", "/xapi/statements?agent=" + enc("{\"name\":\"x\"}")).status);
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("GET", "/xapi/statements?since=yesterday").status);
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("GET", "/xapi/statements?limit=-1").status);
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("GET", "/xapi/statements?format=everything").status);
    }

    void testOrderAndPaging() {
        CPPUNIT_ASSERT(pick({0, 1, 2, 3}) == ids("ascending=true"));
        // limit=1 walks every statement through the "more" links, descending.
        std::vector<std::string> seen;
        std::string url = "/xapi/statements?limit=1";
        for (int guard = 0; guard < 10 && !url.empty(); ++guard) {
            auto r = lrs_->lrs("GET", url);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            auto o = r.json();
            auto arr = o->getArray("statements");
            for (size_t i = 0; i < arr->size(); ++i)
                seen.push_back(
                    arr->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            url = o->getValue<std::string>("more");
        }
        CPPUNIT_ASSERT(pick({3, 2, 1, 0}) == seen);
        // A page stays on its snapshot: a statement stored after the first page is not in later
        // pages.
        auto first = lrs_->lrs("GET", "/xapi/statements?limit=2&ascending=true").json();
        auto more = first->getValue<std::string>("more");
        CPPUNIT_ASSERT(!more.empty());
        auto fresh = assay::xapi::randomUuid();
        CPPUNIT_ASSERT_EQUAL(200, lrs_->lrs("POST", "/xapi/statements",
                                            stmt(fresh, kAnn, kExperienced, activity(kA1)))
                                      .status);
        auto second = lrs_->lrs("GET", more).json();
        CPPUNIT_ASSERT_EQUAL(size_t{2}, second->getArray("statements")->size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), second->getValue<std::string>("more"));
        // Filters carry over to the next page and the token cannot be altered.
        auto byVerb = lrs_->lrs("GET", "/xapi/statements?limit=1&verb=" + enc(kCompleted)).json();
        auto next =
            lrs_->lrs("GET", byVerb->getValue<std::string>("more")).json()->getArray("statements");
        CPPUNIT_ASSERT_EQUAL(ids_[1], next->getObject(0)->getValue<std::string>("id"));
        std::string tampered = byVerb->getValue<std::string>("more");
        tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
        CPPUNIT_ASSERT_EQUAL(400, lrs_->lrs("GET", tampered).status);
    }

    void testAttachments() {
        const std::string content = "print('hello')\n";
        const std::string sha = assay::xapi::sha256Hex(content);
        const std::string id = assay::xapi::randomUuid();
        const std::string s = "{\"id\":\"" + id + "\",\"actor\":" + kAnn + ",\"verb\":{\"id\":\"" +
                              kCompleted + "\"},\"object\":" + activity(kA1) +
                              ",\"attachments\":[{\"usageType\":\"http://example.edu/usage/"
                              "code\",\"display\":{\"en\":\"code\"},"
                              "\"contentType\":\"text/x-python\",\"length\":" +
                              std::to_string(content.size()) + ",\"sha2\":\"" + sha + "\"}]}";
        std::vector<assay::xapi::AttachmentPart> parts{{sha, "text/x-python", content}};
        const std::string boundary = assay::xapi::chooseBoundary(parts, s);
        const std::string ct = "multipart/mixed; boundary=" + boundary;
        // Without the part the request is refused.
        auto missing =
            lrs_->lrs("POST", "/xapi/statements",
                      assay::xapi::buildStatementsMultipart(boundary, s, {}), {}, "1.0.3", ct);
        CPPUNIT_ASSERT_EQUAL(400, missing.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.attachment_missing"), missing.errorCode());
        auto json = lrs_->lrs("POST", "/xapi/statements", s);
        CPPUNIT_ASSERT_EQUAL(400, json.status);
        auto ok =
            lrs_->lrs("POST", "/xapi/statements",
                      assay::xapi::buildStatementsMultipart(boundary, s, parts), {}, "1.0.3", ct);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
        auto r = lrs_->lrs("GET", "/xapi/statements?attachments=true&statementId=" + id);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(r.headers["content-type"].rfind("multipart/mixed", 0) == 0);
        auto back = assay::xapi::parseStatementsMultipart(r.headers["content-type"], r.body);
        CPPUNIT_ASSERT(std::holds_alternative<assay::xapi::MultipartStatements>(back));
        const auto& m = std::get<assay::xapi::MultipartStatements>(back);
        CPPUNIT_ASSERT_EQUAL(size_t{1}, m.attachments.size());
        CPPUNIT_ASSERT_EQUAL(content, m.attachments[0].content);
        // Without attachments=true the answer is plain JSON.
        auto plain = lrs_->lrs("GET", "/xapi/statements?statementId=" + id);
        CPPUNIT_ASSERT(plain.headers["content-type"].rfind("application/json", 0) == 0);
        // A filtered query with attachments carries the parts of every statement returned.
        auto list = lrs_->lrs("GET", "/xapi/statements?attachments=true&verb=" + enc(kCompleted));
        CPPUNIT_ASSERT(list.body.find(content) != std::string::npos);
    }

    void testStatementRefsMatchTheirTarget() {
        // Bob comments on Ann's first statement: a query for Ann's statements with A1 finds it.
        const std::string ref = assay::xapi::randomUuid();
        auto r = lrs_->lrs("POST", "/xapi/statements",
                           stmt(ref, kBob, "http://adlnet.gov/expapi/verbs/commented",
                                "{\"objectType\":\"StatementRef\",\"id\":\"" + ids_[0] + "\"}"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        std::vector<std::string> expect{ref, ids_[0]};
        CPPUNIT_ASSERT(expect == ids("agent=" + enc(kAnn) + "&activity=" + enc(kA1)));
        CPPUNIT_ASSERT(expect == ids("verb=" + enc(kExperienced) + "&registration=" + reg_));
        // Without filters every statement is listed once; unrelated filters do not pick it up.
        CPPUNIT_ASSERT_EQUAL(size_t{5}, ids("").size());
        CPPUNIT_ASSERT(pick({2, 1}) == ids("verb=" + enc(kCompleted)));
        // Paging over the merged results neither repeats nor skips.
        auto first = lrs_->lrs("GET", "/xapi/statements?limit=1&agent=" + enc(kAnn)).json();
        auto second = lrs_->lrs("GET", first->getValue<std::string>("more")).json();
        CPPUNIT_ASSERT_EQUAL(
            ref, first->getArray("statements")->getObject(0)->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(
            ids_[2], second->getArray("statements")->getObject(0)->getValue<std::string>("id"));
    }

    void testSignedStatements() {
        const std::string key = rsaKey();
        auto sign = [&](const std::string& id, const std::string& verbAfterSigning) {
            Poco::JSON::Parser p;
            auto s = p.parse(stmt(id, kAnn, kExperienced, activity(kA1)))
                         .extract<Poco::JSON::Object::Ptr>();
            auto part = assay::xapi::signStatement(*s, key, "RS256");
            if (!verbAfterSigning.empty()) s->getObject("verb")->set("id", verbAfterSigning);
            std::ostringstream os;
            s->stringify(os);
            std::vector<assay::xapi::AttachmentPart> parts{part};
            const std::string boundary = assay::xapi::chooseBoundary(parts, os.str());
            return lrs_->lrs("POST", "/xapi/statements",
                             assay::xapi::buildStatementsMultipart(boundary, os.str(), parts), {},
                             "1.0.3", "multipart/mixed; boundary=" + boundary);
        };
        const std::string good = assay::xapi::randomUuid();
        auto ok = sign(good, "");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
        auto back = lrs_->lrs("GET", "/xapi/statements?attachments=true&statementId=" + good);
        auto m = assay::xapi::parseStatementsMultipart(back.headers["content-type"], back.body);
        CPPUNIT_ASSERT(std::holds_alternative<assay::xapi::MultipartStatements>(m));
        CPPUNIT_ASSERT_EQUAL(size_t{1},
                             std::get<assay::xapi::MultipartStatements>(m).attachments.size());
        // A statement changed after signing no longer matches its JWS payload.
        auto bad = sign(assay::xapi::randomUuid(), kCompleted);
        CPPUNIT_ASSERT_EQUAL(400, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.signature_mismatch"), bad.errorCode());
    }

  private:
    std::unique_ptr<LrsHost> lrs_;
    std::string reg_;
    std::vector<std::string> ids_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LrsQueryTest);
