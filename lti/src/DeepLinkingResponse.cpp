#include "assay/lti/DeepLinkingResponse.h"

#include <Poco/JSON/Array.h>

#include <cmath>

#include "assay/lti/Claims.h"
#include "assay/lti/Error.h"
#include "assay/lti/Jwt.h"
#include "assay/lti/Random.h"

namespace assay::lti {
namespace {

using Poco::JSON::Object;

Object::Ptr itemJson(const DeepLinkResourceLink& item) {
    Object::Ptr o = new Object;
    o->set("type", "ltiResourceLink");
    if (!item.title.empty()) o->set("title", item.title);
    if (!item.text.empty()) o->set("text", item.text);
    if (!item.url.empty()) o->set("url", item.url);
    if (item.lineItem) {
        const auto& li = *item.lineItem;
        if (!std::isfinite(li.scoreMaximum) || li.scoreMaximum <= 0)
            throw LtiError(ErrorCode::InvalidArgument, "lineItem scoreMaximum must be positive");
        Object::Ptr l = new Object;
        l->set("scoreMaximum", li.scoreMaximum);
        l->set("label", li.label.empty() ? item.title : li.label);
        if (!li.resourceId.empty()) l->set("resourceId", li.resourceId);
        if (!li.tag.empty()) l->set("tag", li.tag);
        o->set("lineItem", l);
    }
    if (!item.custom.empty()) {
        Object::Ptr c = new Object;
        for (const auto& [k, v] : item.custom)
            c->set(k, v);
        o->set("custom", c);
    }
    return o;
}

}  // namespace

std::string buildDeepLinkingResponse(const SigningKey& key, const LtiLaunch& request,
                                     const std::vector<DeepLinkResourceLink>& items,
                                     const DeepLinkMessages& messages, std::int64_t now,
                                     std::int64_t lifetimeSeconds) {
    if (request.messageType != MessageType::DeepLinking || !request.deepLinking)
        throw LtiError(ErrorCode::InvalidArgument, "not a deep-linking request");
    const auto& settings = *request.deepLinking;
    if (!items.empty() && !settings.accepts("ltiResourceLink"))
        throw LtiError(ErrorCode::DeepLinkNotAllowed,
                       "platform does not accept ltiResourceLink items");
    if (items.size() > 1 && !settings.acceptMultiple)
        throw LtiError(ErrorCode::DeepLinkNotAllowed, "platform accepts only one item");

    Poco::JSON::Array::Ptr content = new Poco::JSON::Array;
    for (const auto& item : items)
        content->add(itemJson(item));

    Object payload;
    payload.set("iss", request.clientId);
    payload.set("aud", request.issuer);
    payload.set("iat", static_cast<Poco::Int64>(now));
    payload.set("exp", static_cast<Poco::Int64>(now + lifetimeSeconds));
    payload.set("nonce", randomToken(16));
    payload.set(claim::kMessageType, claim::kDeepLinkingResponse);
    payload.set(claim::kVersion, claim::kLtiVersion);
    payload.set(claim::kDeploymentId, request.deploymentId);
    payload.set(claim::kDlContentItems, content);
    if (settings.data) payload.set(claim::kDlData, *settings.data);
    if (!messages.msg.empty()) payload.set(claim::kDlMsg, messages.msg);
    if (!messages.log.empty()) payload.set(claim::kDlLog, messages.log);
    if (!messages.errorMsg.empty())
        payload.set("https://purl.imsglobal.org/spec/lti-dl/claim/errormsg", messages.errorMsg);
    if (!messages.errorLog.empty())
        payload.set("https://purl.imsglobal.org/spec/lti-dl/claim/errorlog", messages.errorLog);
    return signRs256(payload, key.key, key.kid);
}

}  // namespace assay::lti
