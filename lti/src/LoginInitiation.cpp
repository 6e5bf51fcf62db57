#include "assay/lti/LoginInitiation.h"

#include "assay/lti/Error.h"
#include "assay/lti/Random.h"

namespace assay::lti {
namespace {

constexpr std::size_t kMaxValue = 4096;

std::string param(const std::map<std::string, std::string>& params, const std::string& name) {
    const auto it = params.find(name);
    if (it == params.end()) return {};
    if (it->second.size() > kMaxValue)
        throw LtiError(ErrorCode::LoginInvalid, "login parameter " + name + " is too long");
    return it->second;
}

bool isAbsoluteHttpUrl(const std::string& s) {
    const auto scheme = s.rfind("https://", 0) == 0 ? 8 : (s.rfind("http://", 0) == 0 ? 7 : 0);
    return scheme != 0 && s.size() > static_cast<std::size_t>(scheme) && s[scheme] != '/';
}

}  // namespace

LoginRequest parseLoginRequest(const std::map<std::string, std::string>& params) {
    LoginRequest r;
    r.issuer = param(params, "iss");
    r.loginHint = param(params, "login_hint");
    r.targetLinkUri = param(params, "target_link_uri");
    r.ltiMessageHint = param(params, "lti_message_hint");
    r.clientId = param(params, "client_id");
    r.deploymentId = param(params, "lti_deployment_id");
    if (r.deploymentId.empty()) r.deploymentId = param(params, "deployment_id");
    r.storageTarget = param(params, "lti_storage_target");
    if (r.issuer.empty()) throw LtiError(ErrorCode::LoginInvalid, "login without iss");
    if (r.loginHint.empty()) throw LtiError(ErrorCode::LoginInvalid, "login without login_hint");
    if (r.targetLinkUri.empty())
        throw LtiError(ErrorCode::LoginInvalid, "login without target_link_uri");
    if (!isAbsoluteHttpUrl(r.issuer))
        throw LtiError(ErrorCode::LoginInvalid, "iss is not an absolute http(s) URL");
    if (!isAbsoluteHttpUrl(r.targetLinkUri))
        throw LtiError(ErrorCode::LoginInvalid, "target_link_uri is not an absolute http(s) URL");
    return r;
}

std::string urlEncode(const std::string& value) {
    static const char* const kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size() * 3);
    for (const unsigned char c : value) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string buildAuthRequestUrl(const PlatformRegistration& platform, const LoginRequest& login,
                                const std::string& redirectUri, const std::string& state,
                                const std::string& nonce) {
    if (platform.authLoginUrl.empty())
        throw LtiError(ErrorCode::InvalidArgument, "platform has no authorization URL");
    std::string url = platform.authLoginUrl;
    const auto fragment = url.find('#');
    if (fragment != std::string::npos) url.resize(fragment);
    char sep = url.find('?') == std::string::npos ? '?' : '&';
    if (!url.empty() && (url.back() == '?' || url.back() == '&')) sep = '\0';
    const auto add = [&](const char* name, const std::string& value) {
        if (sep != '\0') url += sep;
        sep = '&';
        url += name;
        url += '=';
        url += urlEncode(value);
    };
    add("scope", "openid");
    add("response_type", "id_token");
    add("response_mode", "form_post");
    add("prompt", "none");
    add("client_id", platform.clientId);
    add("redirect_uri", redirectUri);
    add("login_hint", login.loginHint);
    add("state", state);
    add("nonce", nonce);
    if (!login.ltiMessageHint.empty()) add("lti_message_hint", login.ltiMessageHint);
    return url;
}

LoginRedirect beginLogin(const LoginRequest& login, const RegistrationLookup& registrations,
                         NonceStore& nonces, LoginStateStore& states,
                         const std::string& redirectUri, std::int64_t now,
                         std::int64_t ttlSeconds) {
    std::optional<PlatformRegistration> platform;
    if (!login.clientId.empty()) {
        platform = registrations.find(login.issuer, login.clientId);
    } else {
        auto all = registrations.findByIssuer(login.issuer);
        if (all.size() > 1)
            throw LtiError(ErrorCode::LoginInvalid,
                           "issuer has several registrations; the login must name client_id");
        if (all.size() == 1) platform = std::move(all.front());
    }
    if (!platform)
        throw LtiError(ErrorCode::UnknownPlatform,
                       "no platform registered for issuer " + login.issuer.substr(0, 200));
    if (!login.deploymentId.empty() && !platform->hasDeployment(login.deploymentId))
        throw LtiError(ErrorCode::UnknownDeployment,
                       "deployment " + login.deploymentId.substr(0, 100) + " is not registered");

    LoginRedirect out;
    out.state = randomToken();
    out.nonce = randomToken();
    nonces.issue(out.nonce, now + ttlSeconds);
    LoginState remembered;
    remembered.expected = {platform->issuer, platform->clientId, out.nonce, login.targetLinkUri};
    remembered.storageTarget = login.storageTarget;
    remembered.expiresAt = now + ttlSeconds;
    states.put(out.state, remembered);
    out.url = buildAuthRequestUrl(*platform, login, redirectUri, out.state, out.nonce);
    out.platform = std::move(*platform);
    return out;
}

}  // namespace assay::lti
