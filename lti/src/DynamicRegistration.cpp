#include "assay/lti/DynamicRegistration.h"

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <algorithm>

#include "assay/lti/Claims.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"

namespace assay::lti {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kPlatformConfig =
    "https://purl.imsglobal.org/spec/lti-platform-configuration";
constexpr const char* kToolConfig = "https://purl.imsglobal.org/spec/lti-tool-configuration";

[[noreturn]] void invalid(const std::string& why) {
    throw LtiError(ErrorCode::RegistrationInvalid, why);
}

Poco::URI parseUrl(const std::string& url, const char* what) {
    try {
        Poco::URI uri(url);
        const bool loopback =
            uri.getHost() == "127.0.0.1" || uri.getHost() == "localhost" || uri.getHost() == "::1";
        if (uri.getHost().empty() ||
            !(uri.getScheme() == "https" || (uri.getScheme() == "http" && loopback)))
            invalid(std::string(what) + " is not an https URL");
        return uri;
    } catch (const Poco::Exception&) {
        invalid(std::string(what) + " is not a URL");
    }
}

std::string requiredUrl(const Object& o, const char* key) {
    const auto v = json::getString(o, key);
    if (!v || v->empty()) invalid(std::string("openid configuration lacks ") + key);
    parseUrl(*v, key);
    return *v;
}

bool listedIfPresent(const Object& o, const char* key, const std::string& wanted) {
    if (!o.has(key)) return true;
    const auto values = json::getStringArray(o, key);
    return values && std::find(values->begin(), values->end(), wanted) != values->end();
}

Array::Ptr strings(const std::vector<std::string>& items) {
    Array::Ptr a = new Array;
    for (const auto& s : items)
        a->add(s);
    return a;
}

std::string trimSlash(std::string s) {
    while (!s.empty() && s.back() == '/')
        s.pop_back();
    return s;
}

}  // namespace

PlatformConfiguration parsePlatformConfiguration(const std::string& body,
                                                 const std::string& configurationUrl,
                                                 bool requireIssuerHostMatch) {
    const auto doc = json::parseObject(body, ErrorCode::RegistrationInvalid);
    PlatformConfiguration c;
    c.issuer = requiredUrl(*doc, "issuer");
    c.authorizationEndpoint = requiredUrl(*doc, "authorization_endpoint");
    c.tokenEndpoint = requiredUrl(*doc, "token_endpoint");
    c.jwksUri = requiredUrl(*doc, "jwks_uri");
    c.registrationEndpoint = requiredUrl(*doc, "registration_endpoint");
    if (requireIssuerHostMatch && parseUrl(c.issuer, "issuer").getHost() !=
                                      parseUrl(configurationUrl, "openid_configuration").getHost())
        invalid("issuer host differs from the openid_configuration URL's host");
    if (!listedIfPresent(*doc, "id_token_signing_alg_values_supported", "RS256"))
        invalid("platform does not sign id_tokens with RS256");
    if (!listedIfPresent(*doc, "token_endpoint_auth_methods_supported", "private_key_jwt"))
        invalid("platform token endpoint does not accept private_key_jwt");
    c.scopesSupported =
        json::getStringArray(*doc, "scopes_supported").value_or(std::vector<std::string>{});
    if (const auto pc = json::getObject(*doc, kPlatformConfig)) {
        c.productFamilyCode = json::getString(*pc, "product_family_code").value_or("");
        c.version = json::getString(*pc, "version").value_or("");
        if (const auto msgs = json::getArray(*pc, "messages_supported")) {
            for (std::size_t i = 0; i < msgs->size(); ++i) {
                // Objects {"type": ...} per the specification; Moodle sends plain strings.
                const auto item = msgs->get(static_cast<unsigned>(i));
                if (item.isString()) {
                    c.messagesSupported.push_back(item.extract<std::string>());
                } else if (const auto m = msgs->getObject(static_cast<unsigned>(i))) {
                    if (const auto type = json::getString(*m, "type"))
                        c.messagesSupported.push_back(*type);
                }
            }
        }
    }
    return c;
}

std::string toolRegistrationRequest(const ToolDescription& tool,
                                    const PlatformConfiguration& platform) {
    const std::string base = trimSlash(tool.publicUrl);
    const auto uri = parseUrl(base, "public_url");
    const std::string launch = base + "/lti/launch";
    const bool canvas = platform.productFamilyCode == "canvas";

    std::vector<std::string> scopes;
    for (const char* s : {claim::kScopeLineItem, claim::kScopeResultReadOnly, claim::kScopeScore,
                          claim::kScopeNrps}) {
        const auto& sup = platform.scopesSupported;
        if (sup.empty() || std::find(sup.begin(), sup.end(), s) != sup.end())
            scopes.emplace_back(s);
    }
    std::string scope;
    for (const auto& s : scopes)
        scope += (scope.empty() ? "" : " ") + s;

    Object::Ptr resourceLink = new Object;
    resourceLink->set("type", claim::kResourceLinkRequest);
    resourceLink->set("target_link_uri", launch);
    Object::Ptr deepLinking = new Object;
    deepLinking->set("type", claim::kDeepLinkingRequest);
    deepLinking->set("target_link_uri", launch);
    deepLinking->set("label", tool.deepLinkingLabel);
    if (canvas) deepLinking->set("placements", strings({"assignment_selection", "link_selection"}));
    Array::Ptr messages = new Array;
    messages->add(resourceLink);
    messages->add(deepLinking);

    Object::Ptr config = new Object;
    const unsigned short defaultPort = uri.getScheme() == "https" ? 443 : 80;
    config->set("domain", uri.getPort() == defaultPort
                              ? uri.getHost()
                              : uri.getHost() + ":" + std::to_string(uri.getPort()));
    config->set("description", tool.description);
    config->set("target_link_uri", launch);
    config->set("claims", strings({"iss", "sub", "name", "given_name", "family_name", "email"}));
    config->set("messages", messages);
    if (canvas) config->set("https://canvas.instructure.com/lti/privacy_level", "public");

    Object body;
    body.set("application_type", "web");
    body.set("response_types", strings({"id_token"}));
    body.set("grant_types", strings({"implicit", "client_credentials"}));
    body.set("initiate_login_uri", base + "/lti/login");
    body.set("redirect_uris", strings({launch}));
    body.set("client_name", tool.clientName);
    body.set("jwks_uri", base + "/lti/jwks");
    if (!tool.logoUri.empty()) body.set("logo_uri", tool.logoUri);
    body.set("token_endpoint_auth_method", "private_key_jwt");
    body.set("scope", scope);
    body.set(kToolConfig, config);
    return json::stringify(body);
}

RegistrationResult parseRegistrationResponse(const std::string& body) {
    const auto doc = json::parseObject(body, ErrorCode::RegistrationInvalid);
    RegistrationResult r;
    r.clientId = json::getString(*doc, "client_id").value_or("");
    if (r.clientId.empty()) invalid("registration response has no client_id");
    if (const auto config = json::getObject(*doc, kToolConfig)) {
        // Some platforms send the deployment id as a number.
        if (const auto s = json::getString(*config, "deployment_id"))
            r.deploymentId = *s;
        else if (const auto n = json::getInteger(*config, "deployment_id"))
            r.deploymentId = std::to_string(*n);
    }
    return r;
}

PlatformRegistration registrationFrom(const PlatformConfiguration& platform,
                                      const RegistrationResult& result) {
    PlatformRegistration reg;
    reg.issuer = platform.issuer;
    reg.clientId = result.clientId;
    reg.authLoginUrl = platform.authorizationEndpoint;
    reg.tokenUrl = platform.tokenEndpoint;
    reg.jwksUrl = platform.jwksUri;
    if (!result.deploymentId.empty()) reg.deploymentIds.push_back(result.deploymentId);
    return reg;
}

}  // namespace assay::lti
