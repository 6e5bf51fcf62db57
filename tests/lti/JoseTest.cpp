// base64url, RSA keys, compact JWS and JWKS: the primitives under every LTI message.
#include <Poco/JSON/Array.h>
#include <cppunit/extensions/HelperMacros.h>

#include <set>

#include "LtiAssert.h"
#include "TestPlatform.h"
#include "assay/lti/Base64Url.h"
#include "assay/lti/Error.h"
#include "assay/lti/Jwks.h"
#include "assay/lti/Jwt.h"

using namespace assay::lti;
using assay::lti::test::sharedKey;

class JoseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JoseTest);
    CPPUNIT_TEST(testBase64UrlRoundTrip);
    CPPUNIT_TEST(testBase64UrlKnownVectors);
    CPPUNIT_TEST(testBase64UrlRefusesNonCanonical);
    CPPUNIT_TEST(testSignVerifyRoundTrip);
    CPPUNIT_TEST(testVerifyWithOtherKeyFails);
    CPPUNIT_TEST(testTamperedPayloadFails);
    CPPUNIT_TEST(testRefusesOtherAlgorithms);
    CPPUNIT_TEST(testMalformedTokens);
    CPPUNIT_TEST(testTokenSizeLimit);
    CPPUNIT_TEST(testJwkRoundTripAndThumbprint);
    CPPUNIT_TEST(testRfc7638Thumbprint);
    CPPUNIT_TEST(testJwksParsing);
    CPPUNIT_TEST(testJwksRefusals);
    CPPUNIT_TEST(testWeakOrBogusJwkRefused);
    CPPUNIT_TEST(testPemRoundTrip);
    CPPUNIT_TEST(testErrorCodeNamesAreStableAndUnique);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testBase64UrlRoundTrip() {
        std::string all;
        for (int i = 0; i < 256; ++i)
            all += static_cast<char>(i);
        for (size_t n = 0; n < all.size(); n += 7) {
            const auto part = all.substr(0, n);
            const auto enc = base64UrlEncode(part);
            CPPUNIT_ASSERT(enc.find_first_of("+/=") == std::string::npos);
            const auto dec = base64UrlDecode(enc);
            CPPUNIT_ASSERT(dec.has_value());
            CPPUNIT_ASSERT(*dec == part);
        }
    }

    void testBase64UrlKnownVectors() {
        // RFC 4648 test vectors, URL alphabet, padding removed.
        CPPUNIT_ASSERT_EQUAL(std::string(""), base64UrlEncode(""));
        CPPUNIT_ASSERT_EQUAL(std::string("Zg"), base64UrlEncode("f"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm8"), base64UrlEncode("fo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9v"), base64UrlEncode("foo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9vYmFy"), base64UrlEncode("foobar"));
        CPPUNIT_ASSERT_EQUAL(std::string("-_8"), base64UrlEncode("\xfb\xff"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xfb\xff"), *base64UrlDecode("-_8"));
    }

    void testBase64UrlRefusesNonCanonical() {
        CPPUNIT_ASSERT(!base64UrlDecode("Zg==").has_value());   // padding
        CPPUNIT_ASSERT(!base64UrlDecode("Zm9v+").has_value());  // standard alphabet
        CPPUNIT_ASSERT(!base64UrlDecode("Zm9v/A").has_value());
        CPPUNIT_ASSERT(!base64UrlDecode("Zm 9v").has_value());  // whitespace
        CPPUNIT_ASSERT(!base64UrlDecode("Z").has_value());      // impossible length
        CPPUNIT_ASSERT(!base64UrlDecode("Zh").has_value());     // non-zero unused bits
    }

    void testSignVerifyRoundTrip() {
        Poco::JSON::Object payload;
        payload.set("sub", "alice");
        payload.set("n", 42);
        const auto token = signRs256(payload, sharedKey(0), "k1");
        const auto jws = parseCompactJws(token);
        CPPUNIT_ASSERT_EQUAL(std::string("RS256"), jws.alg);
        CPPUNIT_ASSERT_EQUAL(std::string("k1"), jws.kid);
        CPPUNIT_ASSERT_EQUAL(std::string("JWT"), jws.header->getValue<std::string>("typ"));
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), jws.payload->getValue<std::string>("sub"));
        CPPUNIT_ASSERT_EQUAL(size_t(256), jws.signature.size());
        verifyRs256(jws, sharedKey(0));
        // The public half alone verifies too.
        verifyRs256(jws, RsaKey::fromPublicPem(sharedKey(0).publicPem()));
    }

    void testVerifyWithOtherKeyFails() {
        Poco::JSON::Object payload;
        payload.set("sub", "alice");
        const auto jws = parseCompactJws(signRs256(payload, sharedKey(0), "k1"));
        ASSERT_LTI_ERROR(verifyRs256(jws, sharedKey(1)), ErrorCode::JwtBadSignature);
    }

    void testTamperedPayloadFails() {
        Poco::JSON::Object payload;
        payload.set("sub", "alice");
        const auto token = signRs256(payload, sharedKey(0), "k1");
        Poco::JSON::Object other;
        other.set("sub", "mallory");
        std::ostringstream o;
        other.stringify(o);
        const auto dot1 = token.find('.');
        const auto dot2 = token.find('.', dot1 + 1);
        const auto forged =
            token.substr(0, dot1 + 1) + base64UrlEncode(o.str()) + token.substr(dot2);
        ASSERT_LTI_ERROR(verifyRs256(parseCompactJws(forged), sharedKey(0)),
                         ErrorCode::JwtBadSignature);
        // A flipped signature bit fails too.
        auto flipped = token;
        flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
        ASSERT_LTI_ERROR(verifyRs256(parseCompactJws(flipped), sharedKey(0)),
                         ErrorCode::JwtBadSignature);
    }

    void testRefusesOtherAlgorithms() {
        Poco::JSON::Object payload;
        payload.set("sub", "alice");
        for (const char* alg :
             {"none", "None", "HS256", "HS512", "RS512", "PS256", "ES256", "rs256"}) {
            Poco::JSON::Object header;
            header.set("alg", alg);
            header.set("kid", "k1");
            const auto token =
                test::rawToken(header, payload, std::string(alg) == "none" ? "" : "sig");
            const auto jws = parseCompactJws(token);
            ASSERT_LTI_ERROR(requireRs256(jws), ErrorCode::JwtAlgNotAllowed);
            ASSERT_LTI_ERROR(verifyRs256(jws, sharedKey(0)), ErrorCode::JwtAlgNotAllowed);
        }
    }

    void testMalformedTokens() {
        const std::string h = base64UrlEncode(R"({"alg":"RS256"})");
        const std::string p = base64UrlEncode(R"({"sub":"x"})");
        const char* bad[] = {"", "abc", "a.b", "a.b.c.d", "..", ".x.", "a.b.c.d.e"};
        for (const char* t : bad)
            ASSERT_LTI_ERROR(parseCompactJws(t), ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(h + "." + p + ".s." + "x"), ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(h + "." + base64UrlEncode("[1,2]") + ".c2ln"),
                         ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(h + "." + base64UrlEncode("\"str\"") + ".c2ln"),
                         ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(h + "." + base64UrlEncode("{bad json") + ".c2ln"),
                         ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(base64UrlEncode("{}") + "." + p + ".c2ln"),
                         ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(base64UrlEncode(R"({"alg":5})") + "." + p + ".c2ln"),
                         ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(
            parseCompactJws(base64UrlEncode(R"({"alg":"RS256","kid":1})") + "." + p + ".c2ln"),
            ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(base64UrlEncode(R"({"alg":"RS256","crit":["exp"]})") +
                                         "." + p + ".c2ln"),
                         ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(h + "." + p + ".c2ln="), ErrorCode::JwtMalformed);
        ASSERT_LTI_ERROR(parseCompactJws(h + "." + p + ".c2+n"), ErrorCode::JwtMalformed);
        // Deep nesting is refused rather than recursed into.
        std::string deep(200, '[');
        deep = R"({"a":)" + deep + std::string(200, ']') + "}";
        ASSERT_LTI_ERROR(parseCompactJws(h + "." + base64UrlEncode(deep) + ".c2ln"),
                         ErrorCode::JwtMalformed);
        // Well-formed one parses.
        CPPUNIT_ASSERT_EQUAL(
            std::string("x"),
            parseCompactJws(h + "." + p + ".c2ln").payload->getValue<std::string>("sub"));
    }

    void testTokenSizeLimit() {
        Poco::JSON::Object payload;
        payload.set("blob", std::string(70000, 'x'));
        const auto token = signRs256(payload, sharedKey(0), "k1");
        ASSERT_LTI_ERROR(parseCompactJws(token), ErrorCode::JwtTooLarge);
        JwtLimits roomy;
        roomy.maxTokenBytes = 200000;
        verifyRs256(parseCompactJws(token, roomy), sharedKey(0));
    }

    void testJwkRoundTripAndThumbprint() {
        const auto& key = sharedKey(0);
        const auto jwk = publicJwk(key, key.thumbprint());
        CPPUNIT_ASSERT_EQUAL(std::string("RSA"), jwk->getValue<std::string>("kty"));
        CPPUNIT_ASSERT_EQUAL(std::string("AQAB"), jwk->getValue<std::string>("e"));
        CPPUNIT_ASSERT(!jwk->has("d"));  // never the private exponent
        const auto back = rsaKeyFromJwk(*jwk);
        CPPUNIT_ASSERT(!back.hasPrivate());
        CPPUNIT_ASSERT_EQUAL(key.thumbprint(), back.thumbprint());
        CPPUNIT_ASSERT_EQUAL(size_t(43), key.thumbprint().size());
        CPPUNIT_ASSERT(key.thumbprint() != sharedKey(1).thumbprint());
    }

    void testRfc7638Thumbprint() {
        // The example key of RFC 7638 section 3.1 and its published thumbprint.
        const std::string n =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc"
            "_BJECP"
            "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
            "FDW2Qv"
            "zqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
            "bFTWhAI4vMQFh6"
            "WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        const auto key = RsaKey::fromModulusExponent(n, "AQAB");
        CPPUNIT_ASSERT_EQUAL(std::string("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"),
                             key.thumbprint());
    }

    void testJwksParsing() {
        auto doc = test::parse(jwksJson({{"a", sharedKey(0)}, {"b", sharedKey(1)}}));
        auto keys = doc->getArray("keys");
        // Entries Assay cannot use are skipped, not fatal.
        keys->add(test::parse(R"({"kty":"EC","crv":"P-256","x":"abc","y":"def","kid":"ec"})"));
        auto enc = test::deepCopy(*keys->getObject(0));
        enc->set("use", "enc");
        enc->set("kid", "enc");
        keys->add(enc);
        auto ps = test::deepCopy(*keys->getObject(0));
        ps->set("alg", "PS256");
        ps->set("kid", "ps");
        keys->add(ps);
        keys->add(test::parse(R"({"kty":"RSA","kid":"junk","n":"AQAB","e":"AQAB"})"));
        std::ostringstream out;
        doc->stringify(out);
        const auto jwks = Jwks::parse(out.str());
        CPPUNIT_ASSERT_EQUAL(size_t(2), jwks.keys().size());
        CPPUNIT_ASSERT_EQUAL(size_t(4), jwks.skipped());
        CPPUNIT_ASSERT(jwks.find("a") != nullptr);
        CPPUNIT_ASSERT_EQUAL(sharedKey(1).thumbprint(), jwks.find("b")->key.thumbprint());
        CPPUNIT_ASSERT(jwks.find("enc") == nullptr);
        CPPUNIT_ASSERT(jwks.find("missing") == nullptr);
        CPPUNIT_ASSERT(jwks.find("") == nullptr);  // several keys: a kid is needed
        const auto single = Jwks::parse(jwksJson({{"", sharedKey(0)}}));
        CPPUNIT_ASSERT(single.find("") != nullptr);
    }

    void testJwksRefusals() {
        for (const char* bad :
             {"", "[]", "{}", R"({"keys":{}})", R"({"keys":[1]})", "null", R"({"keys":[)"})
            ASSERT_LTI_ERROR(Jwks::parse(bad), ErrorCode::JwksInvalid);
        std::string many = R"({"keys":[)";
        for (size_t i = 0; i <= Jwks::kMaxKeys; ++i)
            many += std::string(i ? "," : "") + R"({"kty":"oct"})";
        many += "]}";
        ASSERT_LTI_ERROR(Jwks::parse(many), ErrorCode::JwksInvalid);
    }

    void testWeakOrBogusJwkRefused() {
        // A 1024-bit key is too weak to trust.
        const std::string n1024 = base64UrlEncode(std::string(127, '\xff') + "\x01");
        ASSERT_LTI_ERROR(RsaKey::fromModulusExponent(n1024, "AQAB"), ErrorCode::JwkInvalid);
        const std::string n2048 = base64UrlEncode(std::string(255, '\xff') + "\x01");
        ASSERT_LTI_ERROR(RsaKey::fromModulusExponent(n2048, "AQ"), ErrorCode::JwkInvalid);  // e = 1
        ASSERT_LTI_ERROR(RsaKey::fromModulusExponent(n2048, "Ag"),
                         ErrorCode::JwkInvalid);  // even e
        ASSERT_LTI_ERROR(RsaKey::fromModulusExponent("", "AQAB"), ErrorCode::JwkInvalid);
        ASSERT_LTI_ERROR(RsaKey::fromModulusExponent("!!", "AQAB"), ErrorCode::JwkInvalid);
        ASSERT_LTI_ERROR(rsaKeyFromJwk(*test::parse(R"({"kty":"oct","k":"c2VjcmV0"})")),
                         ErrorCode::JwkInvalid);
        ASSERT_LTI_ERROR(rsaKeyFromJwk(*test::parse(R"({"kty":"RSA","n":"AQAB"})")),
                         ErrorCode::JwkInvalid);
    }

    void testPemRoundTrip() {
        const auto& key = sharedKey(0);
        const auto plain = key.privatePem();
        CPPUNIT_ASSERT(plain.find("BEGIN PRIVATE KEY") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(key.thumbprint(), RsaKey::fromPrivatePem(plain).thumbprint());
        const auto sealed = key.privatePem("correct horse");
        CPPUNIT_ASSERT(sealed.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(key.thumbprint(),
                             RsaKey::fromPrivatePem(sealed, "correct horse").thumbprint());
        ASSERT_LTI_ERROR(RsaKey::fromPrivatePem(sealed, "wrong"), ErrorCode::KeysSecret);
        ASSERT_LTI_ERROR(RsaKey::fromPrivatePem(sealed), ErrorCode::KeysSecret);
        ASSERT_LTI_ERROR(RsaKey::fromPrivatePem("garbage"), ErrorCode::KeyInvalid);
    }

    void testErrorCodeNamesAreStableAndUnique() {
        std::set<std::string> names;
        const int last = static_cast<int>(ErrorCode::InvalidArgument);
        for (int i = 0; i <= last; ++i) {
            const std::string name = errorCodeName(static_cast<ErrorCode>(i));
            CPPUNIT_ASSERT(name != "unknown");
            CPPUNIT_ASSERT(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") ==
                           std::string::npos);
            CPPUNIT_ASSERT_MESSAGE("duplicate " + name, names.insert(name).second);
        }
        // Codes that pages, logs and tests outside this module rely on.
        CPPUNIT_ASSERT_EQUAL(std::string("jwt_bad_signature"),
                             std::string(errorCodeName(ErrorCode::JwtBadSignature)));
        CPPUNIT_ASSERT_EQUAL(std::string("lti_nonce_replayed"),
                             std::string(errorCodeName(ErrorCode::NonceReplayed)));
        CPPUNIT_ASSERT_EQUAL(std::string("jwt_alg_not_allowed"),
                             std::string(errorCodeName(ErrorCode::JwtAlgNotAllowed)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JoseTest);
