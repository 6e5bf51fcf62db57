#pragma once
// Names and Role Provisioning Services 2.0: reading a membership container page.
// The HTTP request (GET context_memberships_url with the NRPS scope's bearer token and
// Accept: application/vnd.ims.lti-nrps.v2.membershipcontainer+json) is the caller's; pages
// are chained through the response's Link header (rel="next").
#include <string>
#include <vector>

#include "assay/lti/Roles.h"

namespace assay::lti {

inline constexpr const char* kMembershipMediaType =
    "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";

struct RosterMember {
    std::string userId;  // the same value as a launch's sub
    std::string status;  // Active, Inactive or Deleted (Active when absent)
    std::string name;
    std::string givenName;
    std::string familyName;
    std::string email;
    std::string lisPersonSourcedId;
    std::vector<std::string> roleUris;
    RoleSet roles;
};

struct RosterPage {
    std::string contextId;
    std::string contextTitle;
    std::vector<RosterMember> members;
    std::string nextUrl;  // from the Link header; empty on the last page
};

// Throws LtiError(lti_invalid_claim) when body is not a membership container. Members
// without user_id are skipped.
RosterPage parseMembershipPage(const std::string& body, const std::string& linkHeader = {});

// The URL of the rel="next" entry of an RFC 8288 Link header, empty if none.
std::string linkRelUrl(const std::string& linkHeader, const std::string& rel = "next");

}  // namespace assay::lti
