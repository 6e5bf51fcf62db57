// Platform JWKS over real HTTP on loopback: caching, refetch on unknown kid with a rate
// limit, TTL, failures, and the HTTP client's limits (size cap, timeout, https only).
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

#include "LoopbackHttpServer.h"
#include "LtiAssert.h"
#include "SelfSignedCert.h"
#include "TempDir.h"
#include "TestPlatform.h"
#include "assay/lti/HttpClient.h"
#include "assay/lti/Jwks.h"
#include "assay/lti/JwksCache.h"

using namespace assay::lti;
using assay::lti::test::LoopbackHttpServer;
using assay::lti::test::sharedKey;

namespace {

CurlHttpOptions loopbackOptions() {
    CurlHttpOptions o;
    o.allowPlainHttp = true;  // the test server speaks plain HTTP on 127.0.0.1
    o.totalTimeoutMs = 5000;
    return o;
}

LoopbackHttpServer::Route jwksRoute(const std::string& body) {
    return {200, "application/json", body, 0};
}

}  // namespace

class JwksCacheTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JwksCacheTest);
    CPPUNIT_TEST(testFetchesOnceAndCaches);
    CPPUNIT_TEST(testUnknownKidRefetchIsRateLimited);
    CPPUNIT_TEST(testTtlExpiryRefetches);
    CPPUNIT_TEST(testFailedRefreshKeepsServingKnownKeys);
    CPPUNIT_TEST(testFailuresAreReportedAndNotHammered);
    CPPUNIT_TEST(testInvalidDocument);
    CPPUNIT_TEST(testConcurrentCallersShareOneFetch);
    CPPUNIT_TEST(testClientSizeCap);
    CPPUNIT_TEST(testClientTimeout);
    CPPUNIT_TEST(testClientRefusesPlainHttpByDefault);
    CPPUNIT_TEST(testClientPostsBodyAndHeaders);
    CPPUNIT_TEST(testHttpsVerifiesPeerAndHost);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testFetchesOnceAndCaches() {
        LoopbackHttpServer server;
        server.setRoute("/jwks", jwksRoute(jwksJson({{"k1", sharedKey(0)}, {"k2", sharedKey(1)}})));
        CurlHttpClient client(loopbackOptions());
        std::int64_t now = 1000;
        JwksCache cache(client, {3600, 60, [&now] { return now; }});
        CPPUNIT_ASSERT_EQUAL(sharedKey(0).thumbprint(),
                             cache.keyFor(server.url("/jwks"), "k1").thumbprint());
        CPPUNIT_ASSERT_EQUAL(sharedKey(1).thumbprint(),
                             cache.keyFor(server.url("/jwks"), "k2").thumbprint());
        now += 500;
        cache.keyFor(server.url("/jwks"), "k1");
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.hits("/jwks"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), cache.fetchCount());
        CPPUNIT_ASSERT(server.requests().front().method == "GET");
    }

    void testUnknownKidRefetchIsRateLimited() {
        LoopbackHttpServer server;
        server.setRoute("/jwks", jwksRoute(jwksJson({{"k1", sharedKey(0)}})));
        CurlHttpClient client(loopbackOptions());
        std::int64_t now = 1000;
        JwksCache cache(client, {3600, 60, [&now] { return now; }});
        const auto url = server.url("/jwks");
        cache.keyFor(url, "k1");
        // The platform has not rotated yet: the unknown kid costs one refetch...
        now += 61;
        ASSERT_LTI_ERROR(cache.keyFor(url, "stranger"), ErrorCode::JwtUnknownKid);
        CPPUNIT_ASSERT_EQUAL(size_t(2), server.hits("/jwks"));
        // ...and a burst of forged kids within the interval costs none.
        for (int i = 0; i < 20; ++i) {
            now += 2;
            ASSERT_LTI_ERROR(cache.keyFor(url, "forged-" + std::to_string(i)),
                             ErrorCode::JwtUnknownKid);
        }
        CPPUNIT_ASSERT_EQUAL(size_t(2), server.hits("/jwks"));
        // Known keys keep working meanwhile.
        cache.keyFor(url, "k1");
        // The platform rotates; after the interval the new kid is found with one fetch.
        server.setRoute("/jwks", jwksRoute(jwksJson({{"k1", sharedKey(0)}, {"k2", sharedKey(1)}})));
        now += 60;
        CPPUNIT_ASSERT_EQUAL(sharedKey(1).thumbprint(), cache.keyFor(url, "k2").thumbprint());
        CPPUNIT_ASSERT_EQUAL(size_t(3), server.hits("/jwks"));
    }

    void testTtlExpiryRefetches() {
        LoopbackHttpServer server;
        server.setRoute("/jwks", jwksRoute(jwksJson({{"k1", sharedKey(0)}})));
        CurlHttpClient client(loopbackOptions());
        std::int64_t now = 1000;
        JwksCache cache(client, {300, 60, [&now] { return now; }});
        cache.keyFor(server.url("/jwks"), "k1");
        now += 299;
        cache.keyFor(server.url("/jwks"), "k1");
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.hits("/jwks"));
        now += 2;
        cache.keyFor(server.url("/jwks"), "k1");
        CPPUNIT_ASSERT_EQUAL(size_t(2), server.hits("/jwks"));
    }

    void testFailedRefreshKeepsServingKnownKeys() {
        LoopbackHttpServer server;
        server.setRoute("/jwks", jwksRoute(jwksJson({{"k1", sharedKey(0)}})));
        CurlHttpClient client(loopbackOptions());
        std::int64_t now = 1000;
        JwksCache cache(client, {300, 60, [&now] { return now; }});
        cache.keyFor(server.url("/jwks"), "k1");
        server.setRoute("/jwks", {503, "text/plain", "down", 0});
        now += 400;  // stale: a refresh is attempted, fails, the old set still answers
        CPPUNIT_ASSERT_EQUAL(sharedKey(0).thumbprint(),
                             cache.keyFor(server.url("/jwks"), "k1").thumbprint());
        CPPUNIT_ASSERT_EQUAL(size_t(2), server.hits("/jwks"));
        ASSERT_LTI_ERROR(cache.keyFor(server.url("/jwks"), "k9"), ErrorCode::JwtUnknownKid);
    }

    void testFailuresAreReportedAndNotHammered() {
        LoopbackHttpServer server;
        server.setRoute("/jwks", {500, "text/plain", "oops", 0});
        CurlHttpClient client(loopbackOptions());
        std::int64_t now = 1000;
        JwksCache cache(client, {3600, 60, [&now] { return now; }});
        ASSERT_LTI_ERROR(cache.keyFor(server.url("/jwks"), "k1"), ErrorCode::JwksFetchFailed);
        ASSERT_LTI_ERROR(cache.keyFor(server.url("/jwks"), "k1"), ErrorCode::JwksFetchFailed);
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.hits("/jwks"));
        server.setRoute("/jwks", jwksRoute(jwksJson({{"k1", sharedKey(0)}})));
        now += 60;
        cache.keyFor(server.url("/jwks"), "k1");
        CPPUNIT_ASSERT_EQUAL(size_t(2), server.hits("/jwks"));
        // Nothing listens on this port: a transport failure, same code.
        JwksCache other(client, {3600, 60, [&now] { return now; }});
        ASSERT_LTI_ERROR(other.keyFor("http://127.0.0.1:1/jwks", "k1"), ErrorCode::JwksFetchFailed);
    }

    void testInvalidDocument() {
        LoopbackHttpServer server;
        server.setRoute("/jwks", jwksRoute("<html>login page</html>"));
        CurlHttpClient client(loopbackOptions());
        JwksCache cache(client);
        ASSERT_LTI_ERROR(cache.keyFor(server.url("/jwks"), "k1"), ErrorCode::JwksInvalid);
    }

    void testConcurrentCallersShareOneFetch() {
        LoopbackHttpServer server;
        server.setRoute("/jwks", {200, "application/json", jwksJson({{"k1", sharedKey(0)}}), 200});
        CurlHttpClient client(loopbackOptions());
        JwksCache cache(client);
        std::vector<std::thread> threads;
        std::atomic<int> ok{0};
        for (int i = 0; i < 4; ++i)
            threads.emplace_back([&] {
                if (cache.keyFor(server.url("/jwks"), "k1").bits() == 2048) ++ok;
            });
        for (auto& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(4, ok.load());
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.hits("/jwks"));
    }

    void testClientSizeCap() {
        LoopbackHttpServer server;
        server.setRoute("/big", {200, "application/json", std::string(5000, ' ') + "{}", 0});
        auto opts = loopbackOptions();
        opts.maxResponseBytes = 1000;
        CurlHttpClient client(opts);
        ASSERT_LTI_ERROR(client.send({"GET", server.url("/big"), {}, {}}), ErrorCode::HttpFailed);
        opts.maxResponseBytes = 10000;
        CurlHttpClient roomy(opts);
        CPPUNIT_ASSERT_EQUAL(size_t(5002),
                             roomy.send({"GET", server.url("/big"), {}, {}}).body.size());
    }

    void testClientTimeout() {
        LoopbackHttpServer server;
        server.setRoute("/slow", {200, "application/json", "{}", 1500});
        auto opts = loopbackOptions();
        opts.totalTimeoutMs = 300;
        CurlHttpClient client(opts);
        // The server would answer 200 after 1.5 s; the client gives up first.
        ASSERT_LTI_ERROR(client.send({"GET", server.url("/slow"), {}, {}}), ErrorCode::HttpFailed);
    }

    void testClientRefusesPlainHttpByDefault() {
        LoopbackHttpServer server;
        server.setRoute("/jwks", jwksRoute(jwksJson({{"k1", sharedKey(0)}})));
        CurlHttpClient strict;
        ASSERT_LTI_ERROR(strict.send({"GET", server.url("/jwks"), {}, {}}), ErrorCode::HttpFailed);
        ASSERT_LTI_ERROR(strict.send({"GET", "file:///etc/passwd", {}, {}}), ErrorCode::HttpFailed);
        CPPUNIT_ASSERT_EQUAL(size_t(0), server.hits("/jwks"));
        // TLS verification stays on: a plain-HTTP peer cannot pass for https.
        const auto httpsUrl = "https" + server.url("/jwks").substr(4);
        ASSERT_LTI_ERROR(strict.send({"GET", httpsUrl, {}, {}}), ErrorCode::HttpFailed);
    }

    void testClientPostsBodyAndHeaders() {
        LoopbackHttpServer server;
        server.setRoute("/token", {200, "application/json", R"({"access_token":"t"})", 0});
        CurlHttpClient client(loopbackOptions());
        const auto resp = client.send({"POST",
                                       server.url("/token?x=1"),
                                       {{"Content-Type", "application/x-www-form-urlencoded"}},
                                       "grant_type=client_credentials"});
        CPPUNIT_ASSERT_EQUAL(200L, resp.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), resp.contentType);
        const auto reqs = server.requests();
        CPPUNIT_ASSERT_EQUAL(size_t(1), reqs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), reqs[0].method);
        CPPUNIT_ASSERT_EQUAL(std::string("/token?x=1"), reqs[0].uri);
        CPPUNIT_ASSERT_EQUAL(std::string("grant_type=client_credentials"), reqs[0].body);
    }

    void testHttpsVerifiesPeerAndHost() {
        test::TempDir tmp;
        const auto cert = test::makeSelfSignedCert(tmp.path());
        LoopbackHttpServer server(cert.certPath, cert.keyPath);
        server.setRoute("/jwks", jwksRoute(jwksJson({{"k1", sharedKey(0)}})));
        const auto url = server.url("/jwks");
        CPPUNIT_ASSERT(url.rfind("https://127.0.0.1:", 0) == 0);
        // An unknown issuer is refused by the default client...
        CurlHttpClient untrusting;
        ASSERT_LTI_ERROR(untrusting.send({"GET", url, {}, {}}), ErrorCode::HttpFailed);
        // ...and accepted once its certificate is a configured CA.
        CurlHttpOptions trusting;
        trusting.caFile = cert.certPath;
        CurlHttpClient client(trusting);
        JwksCache cache(client);
        CPPUNIT_ASSERT_EQUAL(sharedKey(0).thumbprint(), cache.keyFor(url, "k1").thumbprint());
        // The certificate names 127.0.0.1 only: reached as "localhost" the host check fails.
        const auto byName = "https://localhost:" + std::to_string(server.port()) + "/jwks";
        ASSERT_LTI_ERROR(client.send({"GET", byName, {}, {}}), ErrorCode::HttpFailed);
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.hits("/jwks"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JwksCacheTest);
