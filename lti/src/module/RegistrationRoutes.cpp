// /lti/register: LTI Dynamic Registration, started by the LMS with a one-time URL.
#include "Pages.h"
#include "Services.h"
#include "assay/core/log.h"
#include "assay/lti/DynamicRegistration.h"
#include "assay/lti/Error.h"

namespace assay::lti {

void registerRegistrationRoutes(Services& s) {
    s.host.router().get(
        "/lti/register", http::Access::Public, [&s](http::Request& req, http::Response& res) {
            const std::string token = req.query("token");
            const std::string configUrl = req.query("openid_configuration");
            const std::string registrationToken = req.query("registration_token");
            if (token.empty() || !s.platforms.registrationTokenValid(token)) {
                log::get("lti").warning(
                    "registration refused: missing, used or expired registration URL");
                return pages::error(
                    res, 403, "Registration URL not valid",
                    "This registration URL was already used or has expired. Ask the Assay "
                    "administrator for a new one.");
            }
            if (configUrl.empty())
                return pages::error(res, 400, "Not a registration request",
                                    "Paste this URL into your platform's tool registration page.");
            try {
                auto cfgResponse = s.http->send(
                    HttpRequest{"GET", configUrl, {{"Accept", "application/json"}}, ""});
                if (cfgResponse.status != 200)
                    throw LtiError(
                        ErrorCode::RegistrationInvalid,
                        "openid configuration answered " + std::to_string(cfgResponse.status));
                const auto platform = parsePlatformConfiguration(cfgResponse.body, configUrl);
                ToolDescription tool;
                tool.publicUrl = s.publicUrl();
                HttpRequest post{
                    "POST",
                    platform.registrationEndpoint,
                    {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
                    toolRegistrationRequest(tool, platform)};
                if (!registrationToken.empty())
                    post.headers.emplace_back("Authorization", "Bearer " + registrationToken);
                auto answer = s.http->send(post);
                if (answer.status < 200 || answer.status >= 300)
                    throw LtiError(ErrorCode::RegistrationInvalid,
                                   "registration endpoint answered " +
                                       std::to_string(answer.status) + ": " +
                                       answer.body.substr(0, 200));
                const auto result = parseRegistrationResponse(answer.body);
                if (!s.platforms.useRegistrationToken(token))
                    throw LtiError(ErrorCode::RegistrationInvalid,
                                   "registration URL used concurrently");
                auto stored = s.platforms.save(registrationFrom(platform, result),
                                               platform.productFamilyCode.empty()
                                                   ? platform.issuer
                                                   : platform.productFamilyCode);
                log::get("lti").information("registered platform " + platform.issuer + " client " +
                                            result.clientId);
                s.host.audit(&req, std::nullopt, "lti.platform.registered",
                             std::to_string(stored.id));
                pages::scriptPage(res, "Assay registered",
                                  "<h1>Assay is registered</h1><p>You can close this window.</p>",
                                  "(window.opener || window.parent).postMessage({subject: "
                                  "'org.imsglobal.lti.close'}, "
                                  "'*');");
            } catch (const LtiError& e) {
                log::get("lti").warning(std::string("registration failed: ") + e.codeName() + ": " +
                                        e.what());
                pages::error(res, 502, "Registration failed",
                             "Assay could not complete the registration with your platform.");
            }
        });
}

}  // namespace assay::lti
