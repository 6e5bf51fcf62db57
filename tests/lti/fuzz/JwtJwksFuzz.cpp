// Fuzz target for everything that parses outside input in assay_lti. The first byte picks:
//   0: a compact JWS (parse, alg check, RS256 verify against a fixed key)
//   1: a JWKS document
//   2: an id_token payload, signed by a fixed platform key and run through the whole
//      LaunchValidator (so claim reading is reached, not only signature checking)
//   3: AGS line-item URLs, base64url text and login parameters
//   4: documents from platform services: token response, NRPS page with Link header,
//      OpenID configuration and registration response of dynamic registration
// The seed files start with the digit of their mode.
// Any LtiError is an expected refusal; anything else escaping, or a crash, is a bug.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "assay/lti/AgsScore.h"
#include "assay/lti/Base64Url.h"
#include "assay/lti/ClientAssertion.h"
#include "assay/lti/DynamicRegistration.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"
#include "assay/lti/Jwks.h"
#include "assay/lti/JwksCache.h"
#include "assay/lti/Jwt.h"
#include "assay/lti/LaunchValidator.h"
#include "assay/lti/LoginInitiation.h"
#include "assay/lti/NrpsRoster.h"

using namespace assay::lti;

namespace {

constexpr const char* kIssuer = "https://moodle.example.edu";
constexpr const char* kClient = "fuzz-client";
constexpr const char* kJwksUrl = "https://moodle.example.edu/mod/lti/certs.php";

// Answers every request with the platform's JWKS: no network in the fuzzer.
class FixedJwksClient final : public HttpClient {
  public:
    explicit FixedJwksClient(std::string body) : body_(std::move(body)) {}
    HttpResponse send(const HttpRequest&) override { return {200, "application/json", body_}; }

  private:
    std::string body_;
};

class OneRegistration final : public RegistrationLookup {
  public:
    std::optional<PlatformRegistration> find(const std::string& iss,
                                             const std::string& client) const override {
        if (iss != kIssuer || client != kClient) return std::nullopt;
        return reg();
    }
    std::vector<PlatformRegistration> findByIssuer(const std::string& iss) const override {
        if (iss != kIssuer) return {};
        return {reg()};
    }

  private:
    static PlatformRegistration reg() {
        return {kIssuer,
                kClient,
                "https://moodle.example.edu/mod/lti/auth.php",
                "https://moodle.example.edu/mod/lti/token.php",
                kJwksUrl,
                {"1", "3"}};
    }
};

struct World {
    RsaKey key = RsaKey::generate(2048);
    FixedJwksClient client{jwksJson({{"k1", key}})};
    JwksCache cache{client};
    OneRegistration registrations;
    MemoryNonceStore nonces{1000};
    LaunchValidator validator{registrations, cache, nonces};
};

World& world() {
    static World w;
    return w;
}

void fuzzJws(const std::string& text) {
    const auto jws = parseCompactJws(text);
    requireRs256(jws);
    verifyRs256(jws, world().key);
}

void fuzzLaunchPayload(const std::string& text) {
    auto payload = json::parseObject(text, ErrorCode::JwtMalformed);
    world().nonces.issue("fuzz-nonce", systemNow() + 60);
    world().validator.validate(signRs256(*payload, world().key, "k1"));
}

void fuzzMisc(const std::string& text) {
    (void)base64UrlDecode(text);
    (void)base64UrlEncode(text);
    try {
        (void)scoresUrl(text);
    } catch (const LtiError&) {
    }
    const auto split = text.find('\n');
    std::map<std::string, std::string> params{
        {"iss", text.substr(0, split)},
        {"login_hint", "x"},
        {"target_link_uri", text.substr(split == std::string::npos ? 0 : split + 1)},
        {"lti_message_hint", text}};
    (void)buildAuthRequestUrl({kIssuer, kClient, "https://lms.example/auth?x=1", "", "", {}},
                              parseLoginRequest(params), "https://assay.example/lti/launch", "s",
                              "n");
}

void fuzzServiceDocuments(const std::string& text) {
    const auto split = text.find('\n');
    const std::string head = text.substr(0, split);
    (void)linkRelUrl(head);
    for (const auto& fn : std::initializer_list<void (*)(const std::string&)>{
             [](const std::string& t) { (void)parseAccessTokenResponse(t, 0); },
             [](const std::string& t) { (void)parseMembershipPage(t, t.substr(0, 200)); },
             [](const std::string& t) {
                 (void)parsePlatformConfiguration(t, "https://moodle.example.edu/x");
             },
             [](const std::string& t) { (void)parseRegistrationResponse(t); }}) {
        try {
            fn(split == std::string::npos ? text : text.substr(split + 1));
        } catch (const LtiError&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        const int mode = data[0] >= '0' && data[0] <= '9' ? data[0] - '0' : data[0];
        switch (mode % 5) {
            case 0:
                fuzzJws(text);
                break;
            case 1:
                (void)Jwks::parse(text);
                break;
            case 2:
                fuzzLaunchPayload(text);
                break;
            case 3:
                fuzzMisc(text);
                break;
            default:
                fuzzServiceDocuments(text);
                break;
        }
    } catch (const LtiError&) {
        // expected: a refusal with a stable code
    }
    return 0;
}
