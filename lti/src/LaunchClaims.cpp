#include "LaunchClaims.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <sstream>

#include "assay/lti/Claims.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"

namespace assay::lti {
namespace {

using Poco::JSON::Object;

constexpr std::size_t kMaxIdLength = 255;  // resource_link.id and context.id per LTI core

[[noreturn]] void missing(const std::string& what) {
    throw LtiError(ErrorCode::MissingClaim, "required claim missing: " + what);
}
[[noreturn]] void invalid(const std::string& what) {
    throw LtiError(ErrorCode::InvalidClaim, "claim has the wrong shape: " + what);
}

std::string str(const Object& o, const std::string& key) {
    return json::getString(o, key).value_or("");
}

// An optional claim object: absent is fine, present but not an object is refused.
Object::Ptr optionalObject(const Object& o, const char* key) {
    if (!o.has(key)) return nullptr;
    auto obj = json::getObject(o, key);
    if (obj.isNull()) invalid(key);
    return obj;
}

std::vector<std::string> optionalStrings(const Object& o, const char* key, const char* what) {
    if (!o.has(key)) return {};
    auto v = json::getStringArray(o, key);
    if (!v) invalid(what);
    return *v;
}

bool isAbsoluteHttpUrl(const std::string& s) {
    return s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

void readUser(const Object& p, LtiLaunch& l) {
    const auto sub = json::getString(p, "sub");
    if (!sub || sub->empty()) missing("sub");
    l.userId = *sub;
    l.name = str(p, "name");
    l.givenName = str(p, "given_name");
    l.familyName = str(p, "family_name");
    l.email = str(p, "email");
    l.locale = str(p, "locale");
    if (!p.has(claim::kRoles)) missing("roles");
    auto roles = json::getStringArray(p, claim::kRoles);
    if (!roles) invalid("roles");
    l.roleUris = *roles;
    l.roles = mapRoles(l.roleUris);
    if (auto lis = optionalObject(p, claim::kLis))
        l.lisPersonSourcedId = str(*lis, "person_sourcedid");
}

void readContext(const Object& p, LtiLaunch& l) {
    auto ctx = optionalObject(p, claim::kContext);
    if (!ctx) return;
    LaunchContext c;
    const auto id = json::getString(*ctx, "id");
    if (!id || id->empty() || id->size() > kMaxIdLength) invalid("context.id");
    c.id = *id;
    c.label = str(*ctx, "label");
    c.title = str(*ctx, "title");
    c.types = optionalStrings(*ctx, "type", "context.type");
    l.context = std::move(c);
}

void readResourceLink(const Object& p, LtiLaunch& l) {
    auto rl = optionalObject(p, claim::kResourceLink);
    if (!rl) {
        if (l.messageType == MessageType::ResourceLink) missing("resource_link");
        return;
    }
    LaunchResourceLink r;
    const auto id = json::getString(*rl, "id");
    if (!id || id->empty()) missing("resource_link.id");
    if (id->size() > kMaxIdLength) invalid("resource_link.id");
    r.id = *id;
    r.title = str(*rl, "title");
    r.description = str(*rl, "description");
    l.resourceLink = std::move(r);
}

void readServices(const Object& p, LtiLaunch& l) {
    if (auto ags = optionalObject(p, claim::kAgsEndpoint)) {
        AgsEndpoint a;
        a.scopes = optionalStrings(*ags, "scope", "ags.scope");
        a.lineItems = str(*ags, "lineitems");
        a.lineItem = str(*ags, "lineitem");
        if ((!a.lineItems.empty() && !isAbsoluteHttpUrl(a.lineItems)) ||
            (!a.lineItem.empty() && !isAbsoluteHttpUrl(a.lineItem)))
            invalid("ags endpoint URL");
        l.ags = std::move(a);
    }
    if (auto nrps = optionalObject(p, claim::kNrps)) {
        NrpsEndpoint n;
        n.contextMembershipsUrl = str(*nrps, "context_memberships_url");
        if (!isAbsoluteHttpUrl(n.contextMembershipsUrl)) invalid("nrps.context_memberships_url");
        n.serviceVersions = optionalStrings(*nrps, "service_versions", "nrps.service_versions");
        l.nrps = std::move(n);
    }
}

void readDeepLinking(const Object& p, LtiLaunch& l) {
    auto dl = optionalObject(p, claim::kDeepLinkingSettings);
    if (!dl) {
        if (l.messageType == MessageType::DeepLinking) missing("deep_linking_settings");
        return;
    }
    DeepLinkingSettings s;
    s.returnUrl = str(*dl, "deep_link_return_url");
    if (s.returnUrl.empty()) missing("deep_linking_settings.deep_link_return_url");
    if (!isAbsoluteHttpUrl(s.returnUrl)) invalid("deep_linking_settings.deep_link_return_url");
    if (!dl->has("accept_types")) missing("deep_linking_settings.accept_types");
    s.acceptTypes = optionalStrings(*dl, "accept_types", "deep_linking_settings.accept_types");
    s.acceptPresentationDocumentTargets = optionalStrings(
        *dl, "accept_presentation_document_targets", "accept_presentation_document_targets");
    // Canvas sends accept_media_types as a comma-separated string, others as an array.
    if (dl->has("accept_media_types")) {
        if (auto one = json::getString(*dl, "accept_media_types")) {
            std::stringstream in(*one);
            for (std::string item; std::getline(in, item, ',');)
                if (!item.empty()) s.acceptMediaTypes.push_back(item);
        } else {
            s.acceptMediaTypes = optionalStrings(*dl, "accept_media_types", "accept_media_types");
        }
    }
    s.acceptMultiple = json::getBool(*dl, "accept_multiple").value_or(false);
    s.acceptLineItem = json::getBool(*dl, "accept_lineitem").value_or(false);
    s.autoCreate = json::getBool(*dl, "auto_create").value_or(false);
    s.title = str(*dl, "title");
    s.text = str(*dl, "text");
    if (dl->has("data")) {
        const auto data = json::getString(*dl, "data");
        if (!data) invalid("deep_linking_settings.data");
        s.data = *data;
    }
    l.deepLinking = std::move(s);
}

void readPlatform(const Object& p, LtiLaunch& l) {
    if (auto tp = optionalObject(p, claim::kToolPlatform)) {
        l.platform.guid = str(*tp, "guid");
        l.platform.name = str(*tp, "name");
        l.platform.productFamilyCode = str(*tp, "product_family_code");
        l.platform.version = str(*tp, "version");
        l.platform.url = str(*tp, "url");
        l.platform.contactEmail = str(*tp, "contact_email");
    }
    if (auto lp = optionalObject(p, claim::kLaunchPresentation)) {
        l.presentation.documentTarget = str(*lp, "document_target");
        l.presentation.returnUrl = str(*lp, "return_url");
        l.presentation.locale = str(*lp, "locale");
    }
    if (auto custom = optionalObject(p, claim::kCustom)) {
        for (const auto& [key, value] : *custom) {
            if (value.isString()) {
                l.custom[key] = value.extract<std::string>();
            } else {
                std::ostringstream out;
                Poco::JSON::Stringifier::condense(value, out);
                l.custom[key] = out.str();
            }
        }
    }
}

}  // namespace

void readLaunchClaims(const Object& payload, LtiLaunch& launch) {
    readUser(payload, launch);
    readContext(payload, launch);
    readResourceLink(payload, launch);
    readServices(payload, launch);
    readDeepLinking(payload, launch);
    readPlatform(payload, launch);
}

bool AgsEndpoint::hasScope(const std::string& scope) const {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

bool DeepLinkingSettings::accepts(const std::string& type) const {
    return std::find(acceptTypes.begin(), acceptTypes.end(), type) != acceptTypes.end();
}

}  // namespace assay::lti
