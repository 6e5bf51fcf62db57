#pragma once
// Everything a validated launch tells Assay, as plain values (no JSON left to interpret).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assay/lti/Roles.h"

namespace assay::lti {

enum class MessageType { ResourceLink, DeepLinking };

struct LaunchContext {
    std::string id;
    std::string label;
    std::string title;
    std::vector<std::string> types;
};

struct LaunchResourceLink {
    std::string id;
    std::string title;
    std::string description;
};

// AGS endpoint claim: lineitems is the course's line-item container, lineitem the one bound
// to this resource link (both may carry query strings).
struct AgsEndpoint {
    std::vector<std::string> scopes;
    std::string lineItems;
    std::string lineItem;
    bool hasScope(const std::string& scope) const;
};

struct NrpsEndpoint {
    std::string contextMembershipsUrl;
    std::vector<std::string> serviceVersions;
};

struct DeepLinkingSettings {
    std::string returnUrl;  // deep_link_return_url: where the response JWT is posted
    std::vector<std::string> acceptTypes;
    std::vector<std::string> acceptPresentationDocumentTargets;
    std::vector<std::string> acceptMediaTypes;
    bool acceptMultiple = false;
    bool acceptLineItem = false;
    bool autoCreate = false;
    std::string title;
    std::string text;
    std::optional<std::string> data;  // opaque; must be echoed in the response
    bool accepts(const std::string& type) const;
};

struct PlatformInfo {
    std::string guid;
    std::string name;
    std::string productFamilyCode;  // "moodle", "canvas", ...
    std::string version;
    std::string url;
    std::string contactEmail;
};

struct LaunchPresentation {
    std::string documentTarget;  // iframe, window, embed
    std::string returnUrl;
    std::string locale;
};

struct LtiLaunch {
    MessageType messageType = MessageType::ResourceLink;
    std::string issuer;
    std::string clientId;
    std::string deploymentId;
    std::string targetLinkUri;
    std::int64_t issuedAt = 0;
    std::int64_t expiresAt = 0;

    // The user: sub is stable per platform; pair it with the issuer to identify a person.
    std::string userId;
    std::string name;
    std::string givenName;
    std::string familyName;
    std::string email;
    std::string locale;
    std::vector<std::string> roleUris;
    RoleSet roles;
    std::string lisPersonSourcedId;

    std::optional<LaunchContext> context;
    std::optional<LaunchResourceLink> resourceLink;  // set for resource-link launches
    std::optional<AgsEndpoint> ags;
    std::optional<NrpsEndpoint> nrps;
    std::optional<DeepLinkingSettings> deepLinking;  // set for deep-linking requests
    PlatformInfo platform;
    LaunchPresentation presentation;
    std::map<std::string, std::string> custom;  // non-string values as compact JSON
};

}  // namespace assay::lti
