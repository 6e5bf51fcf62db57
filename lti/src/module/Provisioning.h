#pragma once
// Just-in-time provisioning of a validated launch: the LMS user, the course of its context,
// the enrollment and the resource link's assignment, all in one database transaction.
#include <cstdint>
#include <optional>
#include <string>

#include "assay/core/model.h"
#include "assay/core/store/db.h"
#include "assay/lti/LtiLaunch.h"

namespace assay::lti {

struct Provisioned {
    std::int64_t userId = 0;
    std::int64_t courseId = 0;
    Role courseRole = Role::Student;
    std::optional<std::int64_t> assignmentId;  // resource-link launches bound to an assignment
};

// Throws LtiError(missing_claim) for a launch without context, (invalid_claim) for a launch
// whose roles give no course role or whose assignment_id custom parameter names no assignment of
// the course, and ApiError 403 for a disabled account. Nothing is written when it throws.
Provisioned provision(db::Database& db, const LtiLaunch& launch);

// Links (issuer, sub) to an existing or new user and enrolls it (roster sync). Returns the user id.
std::int64_t provisionMember(db::Connection& c, const std::string& issuer, const std::string& sub,
                             const std::string& name, const std::string& email, Role courseRole,
                             std::int64_t courseId);

// The LTI user id (sub) of an Assay user on a platform, if it launched from there.
std::optional<std::string> subjectOf(db::Database& db, const std::string& issuer,
                                     std::int64_t userId);

}  // namespace assay::lti
