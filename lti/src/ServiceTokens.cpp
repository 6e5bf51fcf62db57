#include "assay/lti/ServiceTokens.h"

#include <algorithm>

#include "assay/lti/Error.h"

namespace assay::lti {
namespace {
constexpr std::int64_t kRefreshMargin = 60;  // seconds before expiry a token is renewed
}

ServiceTokens::ServiceTokens(HttpClient& client, std::function<SigningKey()> signingKey,
                             Clock clock)
    : client_(client), signingKey_(std::move(signingKey)), clock_(std::move(clock)) {
    if (!clock_) clock_ = systemNow;
}

AccessToken ServiceTokens::token(const PlatformRegistration& platform,
                                 std::vector<std::string> scopes) {
    if (platform.tokenUrl.empty())
        throw LtiError(ErrorCode::InvalidArgument, "platform has no token URL");
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    std::string scopeKey;
    for (const auto& s : scopes)
        scopeKey += s + ' ';
    const Key key{platform.tokenUrl, platform.clientId, scopeKey};

    std::lock_guard lock(mutex_);  // also serialises refreshes: one request per expiry
    const auto now = clock_();
    if (const auto it = cache_.find(key);
        it != cache_.end() && it->second.expiresAt - kRefreshMargin > now)
        return it->second;

    const auto assertion =
        buildClientAssertion(signingKey_(), platform.clientId, platform.tokenUrl, now);
    HttpRequest request;
    request.method = "POST";
    request.url = platform.tokenUrl;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body = clientCredentialsRequestBody(assertion, scopes);
    ++requests_;
    const auto response = client_.send(request);
    if (response.status != 200)
        throw LtiError(ErrorCode::ServiceTokenFailed, "token endpoint answered HTTP " +
                                                          std::to_string(response.status) + ": " +
                                                          response.body.substr(0, 200));
    AccessToken token;
    try {
        token = parseAccessTokenResponse(response.body, now);
    } catch (const LtiError& e) {
        throw LtiError(ErrorCode::ServiceTokenFailed, e.what());
    }
    cache_[key] = token;
    return token;
}

void ServiceTokens::invalidate(const PlatformRegistration& platform) {
    std::lock_guard lock(mutex_);
    std::erase_if(cache_, [&](const auto& kv) {
        return std::get<0>(kv.first) == platform.tokenUrl &&
               std::get<1>(kv.first) == platform.clientId;
    });
}

std::uint64_t ServiceTokens::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

}  // namespace assay::lti
