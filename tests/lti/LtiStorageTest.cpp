// The module's tables on both engines: platform registry, one-time registration tokens,
// login states and nonces (single use, expiry), and the schema applied twice.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <memory>

#include "assay/core/store/migrations.h"
#include "assay/lti/Clock.h"
#include "assay/lti/DbStores.h"
#include "assay/lti/Error.h"
#include "assay/lti/PlatformStore.h"
#include "test_host.h"

namespace assay::lti::test {
namespace {

struct Db {
    explicit Db(const std::string& engine) : t(engine), db(db::open(t.url(), 4, 5000)) {
        db::migrate(*db, {{kModuleName, schemaMigrations()}});
        db::migrate(*db, {{kModuleName, schemaMigrations()}});  // again: a no-op
    }
    assay::test::TestDatabase t;
    std::unique_ptr<db::Database> db;
};

PlatformRegistration canvas(const std::string& clientId) {
    PlatformRegistration r;
    r.issuer = "https://canvas.instructure.com";
    r.clientId = clientId;
    r.authLoginUrl = "https://sso.canvaslms.com/api/lti/authorize_redirect";
    r.tokenUrl = "https://sso.canvaslms.com/login/oauth2/token";
    r.jwksUrl = "https://sso.canvaslms.com/api/lti/security/jwks";
    r.deploymentIds = {"17:abc"};
    return r;
}

void registry(Db& d) {
    PlatformStore s(*d.db);
    auto a = s.save(canvas("10000000000001"), "Canvas A");
    s.save(canvas("10000000000002"));
    // Same issuer, other client: two registrations; saving again adds a deployment.
    auto more = canvas("10000000000001");
    more.deploymentIds = {"18:def"};
    auto again = s.save(more);
    CPPUNIT_ASSERT_EQUAL(a.id, again.id);
    CPPUNIT_ASSERT_EQUAL(std::string("Canvas A"), again.name);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, again.registration.deploymentIds.size());
    CPPUNIT_ASSERT_EQUAL(size_t{2}, s.findByIssuer("https://canvas.instructure.com").size());
    auto found = s.find("https://canvas.instructure.com", "10000000000001");
    CPPUNIT_ASSERT(found && found->hasDeployment("18:def") && found->hasDeployment("17:abc"));
    CPPUNIT_ASSERT(!s.find("https://canvas.instructure.com", "nope"));
    auto bad = canvas("x");
    bad.tokenUrl.clear();
    CPPUNIT_ASSERT_THROW(s.save(bad), LtiError);
    CPPUNIT_ASSERT(s.remove(a.id));
    CPPUNIT_ASSERT(!s.remove(a.id));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, s.list().size());
}

void registrationTokens(Db& d) {
    PlatformStore s(*d.db);
    const auto token = s.createRegistrationToken(std::nullopt, 3600);
    CPPUNIT_ASSERT(s.registrationTokenValid(token));
    CPPUNIT_ASSERT(!s.registrationTokenValid(token + "x"));
    CPPUNIT_ASSERT(s.useRegistrationToken(token));
    CPPUNIT_ASSERT(!s.useRegistrationToken(token));
    CPPUNIT_ASSERT(!s.registrationTokenValid(token));
    const auto expired = s.createRegistrationToken(std::nullopt, -1);
    CPPUNIT_ASSERT(!s.registrationTokenValid(expired));
    CPPUNIT_ASSERT(!s.useRegistrationToken(expired));
    // Only the hash is stored.
    auto rows = d.db->acquire()->query("SELECT token_hash FROM lti_registration_tokens");
    for (const auto& r : rows)
        CPPUNIT_ASSERT(r.text(0) != token);
}

void noncesAndStates(Db& d) {
    DbNonceStore nonces(*d.db);
    const auto now = systemNow();
    nonces.issue("n-1", now + 600);
    nonces.issue("n-2", now - 1);
    CPPUNIT_ASSERT(nonces.consume("n-1", now));
    CPPUNIT_ASSERT(!nonces.consume("n-1", now));  // replayed
    CPPUNIT_ASSERT(!nonces.consume("n-2", now));  // expired
    CPPUNIT_ASSERT(!nonces.consume("never-issued", now));

    DbLoginStateStore states(*d.db);
    LoginState st;
    st.expected.issuer = "https://moodle.example.edu";
    st.expected.clientId = "c";
    st.expected.nonce = "n-3";
    st.expected.targetLinkUri = "https://assay.example.edu/lti/launch";
    st.storageTarget = "post_message_forwarding";
    st.expiresAt = now + 600;
    states.put("state-1", st);
    states.annotate("state-1", "secret", "iss=x");
    auto peeked = states.peek("state-1", now);
    CPPUNIT_ASSERT(peeked);
    CPPUNIT_ASSERT_EQUAL(std::string("secret"), peeked->storageSecret);
    CPPUNIT_ASSERT(states.peek("state-1", now));  // peeking does not consume
    auto taken = states.take("state-1", now);
    CPPUNIT_ASSERT(taken);
    CPPUNIT_ASSERT_EQUAL(std::string("n-3"), taken->expected.nonce);
    CPPUNIT_ASSERT_EQUAL(std::string("post_message_forwarding"), taken->storageTarget);
    CPPUNIT_ASSERT(!states.take("state-1", now));
    st.expiresAt = now - 1;
    states.put("state-2", st);
    CPPUNIT_ASSERT(!states.peek("state-2", now));
    CPPUNIT_ASSERT(!states.take("state-2", now));
}

}  // namespace

class LtiStorageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LtiStorageTest);
    CPPUNIT_TEST(sqlite);
    CPPUNIT_TEST(mariadb);
    CPPUNIT_TEST_SUITE_END();

  public:
    void sqlite() { run("sqlite"); }
    void mariadb() { run("mariadb"); }

  private:
    static void run(const std::string& engine) {
        Db d(engine);
        registry(d);
        registrationTokens(d);
        noncesAndStates(d);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LtiStorageTest);

}  // namespace assay::lti::test
