#include "assay/lti/ClientAssertion.h"

#include <Poco/JSON/Object.h>

#include "assay/lti/Error.h"
#include "assay/lti/Json.h"
#include "assay/lti/Jwt.h"
#include "assay/lti/LoginInitiation.h"
#include "assay/lti/Random.h"

namespace assay::lti {

std::string buildClientAssertion(const SigningKey& key, const std::string& clientId,
                                 const std::string& tokenUrl, std::int64_t now,
                                 std::int64_t lifetimeSeconds) {
    if (clientId.empty() || tokenUrl.empty())
        throw LtiError(ErrorCode::InvalidArgument,
                       "client assertion needs client id and token URL");
    Poco::JSON::Object payload;
    payload.set("iss", clientId);
    payload.set("sub", clientId);
    payload.set("aud", tokenUrl);
    payload.set("iat", static_cast<Poco::Int64>(now));
    payload.set("exp", static_cast<Poco::Int64>(now + lifetimeSeconds));
    payload.set("jti", randomToken(18));
    return signRs256(payload, key.key, key.kid);
}

std::string clientCredentialsRequestBody(const std::string& assertion,
                                         const std::vector<std::string>& scopes) {
    std::string scope;
    for (const auto& s : scopes) {
        if (!scope.empty()) scope += ' ';
        scope += s;
    }
    return "grant_type=client_credentials"
           "&client_assertion_type=" +
           urlEncode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
           "&client_assertion=" + urlEncode(assertion) + "&scope=" + urlEncode(scope);
}

AccessToken parseAccessTokenResponse(const std::string& body, std::int64_t now) {
    const auto doc = json::parseObject(body, ErrorCode::InvalidArgument);
    AccessToken t;
    t.token = json::getString(*doc, "access_token").value_or("");
    if (t.token.empty())
        throw LtiError(ErrorCode::InvalidArgument, "token response has no access_token");
    t.tokenType = json::getString(*doc, "token_type").value_or("Bearer");
    t.scope = json::getString(*doc, "scope").value_or("");
    const auto expiresIn = json::getInteger(*doc, "expires_in").value_or(3600);
    t.expiresAt = now + (expiresIn > 0 ? expiresIn : 0);
    return t;
}

}  // namespace assay::lti
