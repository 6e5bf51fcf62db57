#pragma once
// The signed LtiDeepLinkingResponse (Deep Linking 2.0) returning chosen assignments.
// The endpoint auto-posts the JWT in a form field named "JWT" to the request's
// deep_link_return_url.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assay/lti/Clock.h"
#include "assay/lti/LtiLaunch.h"
#include "assay/lti/SigningKey.h"

namespace assay::lti {

// Without a lineItem Moodle creates no grade column for the link.
struct DeepLinkLineItem {
    double scoreMaximum = 100;
    std::string label;
    std::string resourceId;  // Assay's assignment id
    std::string tag;
};

// One ltiResourceLink content item.
struct DeepLinkResourceLink {
    std::string title;
    std::string text;
    std::string url;  // the launch URL of the assignment (empty: the tool's default)
    std::optional<DeepLinkLineItem> lineItem;
    std::map<std::string, std::string> custom;
};

struct DeepLinkMessages {
    std::string msg;       // shown to the user by the platform
    std::string log;       // logged by the platform
    std::string errorMsg;  // shown on failure
    std::string errorLog;
};

// Builds and signs the response to a validated deep-linking request: iss = client id,
// aud = platform issuer, deployment_id, nonce, iat/exp (lifetime), content items, and the
// request's data echoed. Throws deep_link_not_allowed when the platform does not accept
// ltiResourceLink items or several items without accept_multiple; invalid_argument when
// request is not a deep-linking request.
std::string buildDeepLinkingResponse(const SigningKey& key, const LtiLaunch& request,
                                     const std::vector<DeepLinkResourceLink>& items,
                                     const DeepLinkMessages& messages = {},
                                     std::int64_t now = systemNow(),
                                     std::int64_t lifetimeSeconds = 300);

}  // namespace assay::lti
