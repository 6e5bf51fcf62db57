// Authentication and role checks: tokens, CSRF, role gates, login throttling, cookie flags.
#include <cppunit/extensions/HelperMacros.h>

#include "assay/core/auth/crypto.h"
#include "test_host.h"

using namespace assay;

class AuthTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AuthTest);
    CPPUNIT_TEST(testStudentTokenOnInstructorRouteIs403);
    CPPUNIT_TEST(testMissingOrWrongCsrfIs403);
    CPPUNIT_TEST(testRoleGates);
    CPPUNIT_TEST(testLoginThrottling);
    CPPUNIT_TEST(testPasswordHashes);
    CPPUNIT_TEST(testSecretsAreStoredHashed);
    CPPUNIT_TEST(testCookieFlagsUnderTls);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override { host_ = std::make_unique<test::TestHost>(); }
    void tearDown() override { host_.reset(); }

    void testStudentTokenOnInstructorRouteIs403() {
        int64_t sid = 0;
        host_->userClient("sam", Role::Student, &sid);
        const std::string token = host_->host().auth().issueToken(sid, "script");
        auto c = host_->client();
        c.setBearer(token);
        CPPUNIT_ASSERT_EQUAL(200, c.get("/api/v1/auth/me").status);
        for (const auto& [method, path] :
             std::vector<std::pair<std::string, std::string>>{{"POST", "/api/v1/courses"},
                                                              {"GET", "/api/v1/tokens"},
                                                              {"GET", "/api/v1/users"},
                                                              {"GET", "/api/v1/events"},
                                                              {"POST", "/api/v1/users"}}) {
            auto r = c.request(method, path, method == "POST" ? R"({"code":"x","title":"y"})" : "");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + path, 403, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("forbidden"), r.errorCode());
        }
        auto bad = host_->client();
        bad.setBearer("assay_not-a-real-token");
        CPPUNIT_ASSERT_EQUAL(401, bad.get("/api/v1/auth/me").status);
    }

    void testMissingOrWrongCsrfIs403() {
        auto c = host_->adminClient();
        c.setSendCsrf(false);
        auto r = c.post("/api/v1/courses", R"({"code":"C","title":"T"})");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("csrf_failed"), r.errorCode());
        r = c.request("POST", "/api/v1/courses", R"({"code":"C","title":"T"})", "application/json",
                      {{"X-CSRF-Token", "guessed"}});
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(403, c.del("/api/v1/tokens/1").status);
        CPPUNIT_ASSERT_EQUAL(200, c.get("/api/v1/courses").status);  // reads need no token
        c.setSendCsrf(true);
        CPPUNIT_ASSERT_EQUAL(201, c.post("/api/v1/courses", R"({"code":"C","title":"T"})").status);
    }

    void testRoleGates() {
        auto student = host_->userClient("sam", Role::Student);
        auto teacher = host_->userClient("tina", Role::Instructor);
        auto anon = host_->client();
        CPPUNIT_ASSERT_EQUAL(401, anon.get("/api/v1/courses").status);
        CPPUNIT_ASSERT_EQUAL(401,
                             anon.post("/api/v1/courses", R"({"code":"x","title":"y"})").status);
        CPPUNIT_ASSERT_EQUAL(403, teacher.get("/api/v1/users").status);
        CPPUNIT_ASSERT_EQUAL(403, student.get("/api/v1/tokens").status);
        CPPUNIT_ASSERT_EQUAL(201, teacher.post("/api/v1/tokens", R"({"name":"t"})").status);
        // An instructor who does not teach a course cannot touch it.
        auto admin = host_->adminClient();
        const auto cid =
            std::to_string(admin.post("/api/v1/courses", R"({"code":"A","title":"Admin's"})")
                               .json()
                               ->getValue<int64_t>("id"));
        CPPUNIT_ASSERT_EQUAL(404, teacher.get("/api/v1/courses/" + cid).status);
        CPPUNIT_ASSERT_EQUAL(404,
                             teacher.put("/api/v1/courses/" + cid, R"({"title":"mine"})").status);
    }

    void testLoginThrottling() {
        auto c = host_->client();
        for (int i = 0; i < 10; ++i)
            CPPUNIT_ASSERT_EQUAL(401, c.login("admin", "wrong-" + std::to_string(i)).status);
        auto r = c.login("admin", "admin-password-1");
        CPPUNIT_ASSERT_EQUAL(429, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("too_many_attempts"), r.errorCode());
        // Other accounts are not affected.
        host_->userClient("sam", Role::Student);
    }

    void testPasswordHashes() {
        const std::string h = crypto::hashPassword("correct horse", 1000);
        CPPUNIT_ASSERT(h.rfind("pbkdf2-sha256$1000$", 0) == 0);
        CPPUNIT_ASSERT(crypto::verifyPassword("correct horse", h));
        CPPUNIT_ASSERT(!crypto::verifyPassword("correct horsf", h));
        CPPUNIT_ASSERT(h != crypto::hashPassword("correct horse", 1000));  // salted
        for (const char* bad :
             {"", "plain", "pbkdf2-sha256$x$a$b", "pbkdf2-sha256$10$AAAA$AAAA", "md5$1000$a$b"})
            CPPUNIT_ASSERT(!crypto::verifyPassword("x", bad));
    }

    void testSecretsAreStoredHashed() {
        auto a = host_->adminClient();
        const std::string token =
            a.post("/api/v1/tokens", R"({"name":"t"})").json()->getValue<std::string>("token");
        auto& db = host_->host().database();
        auto tokens = db.acquire()->query("SELECT token_hash FROM api_tokens");
        CPPUNIT_ASSERT_EQUAL(size_t{1}, tokens.size());
        CPPUNIT_ASSERT(tokens[0].text(0) != token);
        CPPUNIT_ASSERT_EQUAL(crypto::sha256Hex(token), tokens[0].text(0));
        auto pw = db.acquire()->query("SELECT password_hash FROM users WHERE username = 'admin'");
        CPPUNIT_ASSERT(pw[0].text(0).find("admin-password-1") == std::string::npos);
        auto sessions = db.acquire()->query("SELECT id_hash FROM sessions");
        CPPUNIT_ASSERT_EQUAL(size_t{1}, sessions.size());
        CPPUNIT_ASSERT_EQUAL(size_t{64}, sessions[0].text(0).size());
    }

    void testCookieFlagsUnderTls() {
        const std::string c = host_->host().auth().sessionCookie("v", 60, true);
        CPPUNIT_ASSERT(c.find("; Secure") != std::string::npos);
        CPPUNIT_ASSERT(c.find("SameSite=None") != std::string::npos);
        CPPUNIT_ASSERT(c.find("HttpOnly") != std::string::npos);
        CPPUNIT_ASSERT(c.find("Partitioned") != std::string::npos);
    }

  private:
    std::unique_ptr<test::TestHost> host_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthTest);
