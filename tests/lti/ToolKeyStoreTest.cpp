// The tool's key ring on real files: generation at first start, owner-only permissions,
// encryption with the key-encryption secret, rotation with overlap and pruning.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "LtiAssert.h"
#include "TempDir.h"
#include "TestPlatform.h"
#include "assay/lti/Jwks.h"
#include "assay/lti/Jwt.h"
#include "assay/lti/ToolKeyStore.h"

using namespace assay::lti;
namespace fs = std::filesystem;

namespace {

mode_t modeOf(const std::string& path) {
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
    return st.st_mode & 0777;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Verifies a token against a published JWKS the way a platform would.
void verifyAgainstJwks(const std::string& token, const std::string& jwksText) {
    const auto jws = parseCompactJws(token);
    const auto jwks = Jwks::parse(jwksText);
    const auto* entry = jwks.find(jws.kid);
    if (entry == nullptr) throw LtiError(ErrorCode::JwtUnknownKid, "kid not published");
    verifyRs256(jws, entry->key);
}

std::string signSomething(const SigningKey& k) {
    Poco::JSON::Object p;
    p.set("iss", "tool");
    return signRs256(p, k.key, k.kid);
}

}  // namespace

class ToolKeyStoreTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ToolKeyStoreTest);
    CPPUNIT_TEST(testFirstStartGeneratesProtectedKey);
    CPPUNIT_TEST(testReopenKeepsKey);
    CPPUNIT_TEST(testEncryptedWithSecret);
    CPPUNIT_TEST(testRefusesLoosePermissions);
    CPPUNIT_TEST(testRotationWithOverlap);
    CPPUNIT_TEST(testRotateIfOlderThan);
    CPPUNIT_TEST(testDamagedKeyRingRefused);
    CPPUNIT_TEST(testTwoHoldersOfOneDirectory);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testFirstStartGeneratesProtectedKey() {
        test::TempDir tmp;
        const std::string dir = tmp.path() + "/keys";
        auto store = ToolKeyStore::open({dir, "", 2048, systemNow});
        CPPUNIT_ASSERT_EQUAL(mode_t(0700), modeOf(dir));
        const auto key = store->signingKey();
        CPPUNIT_ASSERT_EQUAL(key.key.thumbprint(), key.kid);
        CPPUNIT_ASSERT_EQUAL(2048, key.key.bits());
        const std::string pemPath = dir + "/key-" + key.kid + ".pem";
        CPPUNIT_ASSERT_EQUAL(mode_t(0600), modeOf(pemPath));
        CPPUNIT_ASSERT_EQUAL(mode_t(0600), modeOf(dir + "/keyring.json"));
        CPPUNIT_ASSERT(slurp(pemPath).find("BEGIN PRIVATE KEY") != std::string::npos);

        const auto jwks = Jwks::parse(store->publicJwks());
        CPPUNIT_ASSERT_EQUAL(size_t(1), jwks.keys().size());
        CPPUNIT_ASSERT_EQUAL(key.kid, jwks.keys().front().kid);
        CPPUNIT_ASSERT(store->publicJwks().find("\"d\"") == std::string::npos);
        verifyAgainstJwks(signSomething(key), store->publicJwks());
    }

    void testReopenKeepsKey() {
        test::TempDir tmp;
        std::string kid;
        {
            auto store = ToolKeyStore::open({tmp.path(), "", 2048, systemNow});
            kid = store->signingKey().kid;
        }
        auto again = ToolKeyStore::open({tmp.path(), "", 2048, systemNow});
        CPPUNIT_ASSERT_EQUAL(kid, again->signingKey().kid);
        CPPUNIT_ASSERT_EQUAL(size_t(1), again->keys().size());
    }

    void testEncryptedWithSecret() {
        test::TempDir tmp;
        std::string kid;
        {
            auto store = ToolKeyStore::open({tmp.path(), "s3cret-kek", 2048, systemNow});
            kid = store->signingKey().kid;
        }
        const auto pem = slurp(tmp.path() + "/key-" + kid + ".pem");
        CPPUNIT_ASSERT(pem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);
        auto ok = ToolKeyStore::open({tmp.path(), "s3cret-kek", 2048, systemNow});
        CPPUNIT_ASSERT_EQUAL(kid, ok->signingKey().kid);
        ASSERT_LTI_ERROR(ToolKeyStore::open({tmp.path(), "wrong", 2048, systemNow}),
                         ErrorCode::KeysSecret);
        ASSERT_LTI_ERROR(ToolKeyStore::open({tmp.path(), "", 2048, systemNow}),
                         ErrorCode::KeysSecret);
    }

    void testRefusesLoosePermissions() {
        test::TempDir tmp;
        std::string kid;
        { kid = ToolKeyStore::open({tmp.path(), "", 2048, systemNow})->signingKey().kid; }
        const std::string pemPath = tmp.path() + "/key-" + kid + ".pem";
        ::chmod(pemPath.c_str(), 0644);
        ASSERT_LTI_ERROR(ToolKeyStore::open({tmp.path(), "", 2048, systemNow}),
                         ErrorCode::KeysPermissions);
        ::chmod(pemPath.c_str(), 0600);
        ::chmod(tmp.path().c_str(), 0777);
        ASSERT_LTI_ERROR(ToolKeyStore::open({tmp.path(), "", 2048, systemNow}),
                         ErrorCode::KeysPermissions);
        ::chmod(tmp.path().c_str(), 0700);
        CPPUNIT_ASSERT_EQUAL(
            kid, ToolKeyStore::open({tmp.path(), "", 2048, systemNow})->signingKey().kid);
    }

    void testRotationWithOverlap() {
        test::TempDir tmp;
        std::int64_t now = 1'800'000'000;
        const Clock clock = [&now] { return now; };
        auto store = ToolKeyStore::open({tmp.path(), "", 2048, clock});
        const auto oldKey = store->signingKey();
        const auto oldToken = signSomething(oldKey);

        now += 100;
        const auto newKid = store->rotate(3600);
        CPPUNIT_ASSERT(newKid != oldKey.kid);
        CPPUNIT_ASSERT_EQUAL(newKid, store->signingKey().kid);
        // Both published: tokens signed by the old key still verify during the overlap.
        const auto during = store->publicJwks();
        CPPUNIT_ASSERT_EQUAL(size_t(2), Jwks::parse(during).keys().size());
        CPPUNIT_ASSERT_EQUAL(newKid, Jwks::parse(during).keys().front().kid);
        verifyAgainstJwks(oldToken, during);
        verifyAgainstJwks(signSomething(store->signingKey()), during);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), store->pruneExpired());

        // The rotation survives a restart.
        {
            auto reopened = ToolKeyStore::open({tmp.path(), "", 2048, clock});
            CPPUNIT_ASSERT_EQUAL(newKid, reopened->signingKey().kid);
            CPPUNIT_ASSERT_EQUAL(size_t(2), reopened->keys().size());
        }

        now += 3601;
        const auto after = store->publicJwks();
        CPPUNIT_ASSERT_EQUAL(size_t(1), Jwks::parse(after).keys().size());
        ASSERT_LTI_ERROR(verifyAgainstJwks(oldToken, after), ErrorCode::JwtUnknownKid);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), store->pruneExpired());
        CPPUNIT_ASSERT(!fs::exists(tmp.path() + "/key-" + oldKey.kid + ".pem"));
        CPPUNIT_ASSERT(fs::exists(tmp.path() + "/key-" + newKid + ".pem"));
        auto reopened = ToolKeyStore::open({tmp.path(), "", 2048, clock});
        CPPUNIT_ASSERT_EQUAL(size_t(1), reopened->keys().size());
        CPPUNIT_ASSERT_EQUAL(newKid, reopened->signingKey().kid);
    }

    void testRotateIfOlderThan() {
        test::TempDir tmp;
        std::int64_t now = 1'800'000'000;
        auto store = ToolKeyStore::open({tmp.path(), "", 2048, [&now] { return now; }});
        const auto first = store->signingKey().kid;
        now += 10;
        CPPUNIT_ASSERT(!store->rotateIfOlderThan(86400, 3600));
        CPPUNIT_ASSERT_EQUAL(first, store->signingKey().kid);
        now += 86400;
        CPPUNIT_ASSERT(store->rotateIfOlderThan(86400, 3600));
        CPPUNIT_ASSERT(first != store->signingKey().kid);
    }

    void testDamagedKeyRingRefused() {
        test::TempDir tmp;
        { ToolKeyStore::open({tmp.path(), "", 2048, systemNow}); }
        const std::string ring = tmp.path() + "/keyring.json";
        auto text = slurp(ring);
        const auto at = text.find("\"kid\":\"") + 7;
        text.insert(at, "../");
        {
            std::ofstream out(ring, std::ios::trunc);
            out << text;
        }
        ASSERT_LTI_ERROR(ToolKeyStore::open({tmp.path(), "", 2048, systemNow}), ErrorCode::KeysIo);
        {
            std::ofstream out(ring, std::ios::trunc);
            out << "{not json";
        }
        ASSERT_LTI_ERROR(ToolKeyStore::open({tmp.path(), "", 2048, systemNow}), ErrorCode::KeysIo);
    }

    void testTwoHoldersOfOneDirectory() {
        // assayd and the assay command both hold the directory; neither loses the other's key.
        test::TempDir tmp;
        std::int64_t now = 1'800'000'000;
        const Clock clock = [&now] { return now; };
        auto daemon = ToolKeyStore::open({tmp.path(), "kek", 2048, clock});
        auto command = ToolKeyStore::open({tmp.path(), "kek", 2048, clock});
        const auto first = daemon->signingKey().kid;
        CPPUNIT_ASSERT_EQUAL(first, command->signingKey().kid);
        now += 10;
        const auto byCommand = command->rotate(3600);
        now += 10;
        const auto byDaemon = daemon->rotate(3600);  // works from a stale view of the ring
        auto fresh = ToolKeyStore::open({tmp.path(), "kek", 2048, clock});
        CPPUNIT_ASSERT_EQUAL(size_t(3), fresh->keys().size());
        CPPUNIT_ASSERT_EQUAL(byDaemon, fresh->signingKey().kid);
        const auto published = Jwks::parse(fresh->publicJwks());
        for (const auto& kid : {first, byCommand, byDaemon})
            CPPUNIT_ASSERT(published.find(kid) != nullptr);
        command->reload();
        CPPUNIT_ASSERT_EQUAL(byDaemon, command->signingKey().kid);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ToolKeyStoreTest);
