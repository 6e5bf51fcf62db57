#pragma once
// Claim names and fixed values of LTI 1.3, Deep Linking 2.0, AGS 2.0 and NRPS 2.0.
namespace assay::lti::claim {

inline constexpr const char* kMessageType =
    "https://purl.imsglobal.org/spec/lti/claim/message_type";
inline constexpr const char* kVersion = "https://purl.imsglobal.org/spec/lti/claim/version";
inline constexpr const char* kDeploymentId =
    "https://purl.imsglobal.org/spec/lti/claim/deployment_id";
inline constexpr const char* kTargetLinkUri =
    "https://purl.imsglobal.org/spec/lti/claim/target_link_uri";
inline constexpr const char* kResourceLink =
    "https://purl.imsglobal.org/spec/lti/claim/resource_link";
inline constexpr const char* kRoles = "https://purl.imsglobal.org/spec/lti/claim/roles";
inline constexpr const char* kContext = "https://purl.imsglobal.org/spec/lti/claim/context";
inline constexpr const char* kToolPlatform =
    "https://purl.imsglobal.org/spec/lti/claim/tool_platform";
inline constexpr const char* kLaunchPresentation =
    "https://purl.imsglobal.org/spec/lti/claim/launch_presentation";
inline constexpr const char* kCustom = "https://purl.imsglobal.org/spec/lti/claim/custom";
inline constexpr const char* kLis = "https://purl.imsglobal.org/spec/lti/claim/lis";
inline constexpr const char* kAgsEndpoint =
    "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
inline constexpr const char* kNrps =
    "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
inline constexpr const char* kDeepLinkingSettings =
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
inline constexpr const char* kDlContentItems =
    "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
inline constexpr const char* kDlData = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
inline constexpr const char* kDlMsg = "https://purl.imsglobal.org/spec/lti-dl/claim/msg";
inline constexpr const char* kDlLog = "https://purl.imsglobal.org/spec/lti-dl/claim/log";

inline constexpr const char* kResourceLinkRequest = "LtiResourceLinkRequest";
inline constexpr const char* kDeepLinkingRequest = "LtiDeepLinkingRequest";
inline constexpr const char* kDeepLinkingResponse = "LtiDeepLinkingResponse";
inline constexpr const char* kLtiVersion = "1.3.0";

inline constexpr const char* kScopeLineItem =
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
inline constexpr const char* kScopeLineItemReadOnly =
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
inline constexpr const char* kScopeResultReadOnly =
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
inline constexpr const char* kScopeScore = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
inline constexpr const char* kScopeNrps =
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

}  // namespace assay::lti::claim
