#include "Provisioning.h"

#include <cstdlib>

#include "assay/core/error.h"
#include "assay/lti/Error.h"
#include "assay/lti/PlatformStore.h"

namespace assay::lti {
namespace {

std::int64_t nowMillis() {
    return nowMs();
}

std::string nameOf(const LtiLaunch& l) {
    if (!l.name.empty()) return l.name;
    std::string n = l.givenName;
    if (!l.familyName.empty()) {
        if (!n.empty()) n += ' ';
        n += l.familyName;
    }
    return n.empty() ? "LMS user" : n;
}

std::int64_t ensureUser(db::Connection& c, const std::string& issuer, const std::string& sub,
                        const std::string& name, const std::string& email, Role courseRole) {
    auto rows =
        c.query("SELECT user_id FROM lti_users WHERE issuer = ? AND sub = ?", {issuer, sub});
    if (rows.empty()) {
        // LTI users have no password: they sign in through their LMS only.
        const std::string username = "lti_" + sha256Hex(issuer + "\n" + sub).substr(0, 20);
        const Role global = courseRole == Role::Instructor ? Role::Instructor : Role::Student;
        const auto id = c.insert(
            "INSERT INTO users (username, display_name, email, role, password_hash, "
            "must_change_password, disabled, "
            "created_at) VALUES (?, ?, ?, ?, NULL, 0, 0, ?)",
            {username, name.substr(0, 190), email.substr(0, 190), std::string(roleName(global)),
             nowMillis()});
        c.execute("INSERT INTO lti_users (issuer, sub, user_id, created_at) VALUES (?, ?, ?, ?)",
                  {issuer, sub, id, nowMillis()});
        return id;
    }
    const auto id = rows[0].integer(0);
    auto user = c.query("SELECT role, disabled FROM users WHERE id = ?", {id});
    if (user.empty()) throw LtiError(ErrorCode::InvalidArgument, "linked user no longer exists");
    if (user[0].integer(1) != 0) throw ApiError::forbidden("this account is disabled");
    std::string role = user[0].text(0);
    // A student who teaches somewhere becomes an instructor; nobody is demoted by a launch.
    if (courseRole == Role::Instructor && role == roleName(Role::Student))
        role = roleName(Role::Instructor);
    c.execute("UPDATE users SET display_name = ?, email = ?, role = ? WHERE id = ?",
              {name.substr(0, 190), email.substr(0, 190), role, id});
    return id;
}

void enroll(db::Connection& c, std::int64_t courseId, std::int64_t userId, Role role) {
    auto rows = c.query("SELECT role FROM enrollments WHERE course_id = ? AND user_id = ?",
                        {courseId, userId});
    if (rows.empty())
        c.execute(
            "INSERT INTO enrollments (course_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
            {courseId, userId, std::string(roleName(role)), nowMillis()});
    else if (rows[0].text(0) != roleName(role))
        c.execute("UPDATE enrollments SET role = ? WHERE course_id = ? AND user_id = ?",
                  {std::string(roleName(role)), courseId, userId});
}

std::int64_t ensureCourse(db::Connection& c, const LtiLaunch& l) {
    const auto& ctx = *l.context;
    const std::string nrps = l.nrps ? l.nrps->contextMembershipsUrl : "";
    auto rows = c.query(
        "SELECT course_id FROM lti_contexts WHERE issuer = ? AND deployment_id = ? AND context_id "
        "= ?",
        {l.issuer, l.deploymentId, ctx.id});
    if (!rows.empty()) {
        if (!nrps.empty())
            c.execute(
                "UPDATE lti_contexts SET memberships_url = ? WHERE issuer = ? AND deployment_id = "
                "? AND context_id = ?",
                {nrps, l.issuer, l.deploymentId, ctx.id});
        return rows[0].integer(0);
    }
    const std::string code =
        "lti-" + sha256Hex(l.issuer + "\n" + l.deploymentId + "\n" + ctx.id).substr(0, 16);
    std::string title = !ctx.title.empty()   ? ctx.title
                        : !ctx.label.empty() ? ctx.label
                                             : "LMS course";
    const auto id = c.insert("INSERT INTO courses (code, title, created_at) VALUES (?, ?, ?)",
                             {code, title.substr(0, 400), nowMillis()});
    c.execute(
        "INSERT INTO lti_contexts (issuer, client_id, deployment_id, context_id, course_id, "
        "memberships_url, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {l.issuer, l.clientId, l.deploymentId, ctx.id, id, nrps, nowMillis()});
    return id;
}

std::optional<std::int64_t> linkAssignment(db::Connection& c, const LtiLaunch& l,
                                           std::int64_t courseId) {
    const auto& link = *l.resourceLink;
    const std::string lineItem = l.ags ? l.ags->lineItem : "";
    const std::string lineItems = l.ags ? l.ags->lineItems : "";
    auto rows = c.query(
        "SELECT assignment_id FROM lti_resource_links WHERE issuer = ? AND deployment_id = ? AND "
        "link_id = ?",
        {l.issuer, l.deploymentId, link.id});
    if (!rows.empty()) {
        // The platform's current service URLs; a line item Assay created is kept when the claim has
        // none.
        if (!lineItem.empty())
            c.execute(
                "UPDATE lti_resource_links SET lineitem_url = ? WHERE issuer = ? AND deployment_id "
                "= ? AND link_id = ?",
                {lineItem, l.issuer, l.deploymentId, link.id});
        c.execute(
            "UPDATE lti_resource_links SET lineitems_url = ? WHERE issuer = ? AND deployment_id = "
            "? AND link_id = ?",
            {lineItems, l.issuer, l.deploymentId, link.id});
        return rows[0].integer(0);
    }
    // A link made by deep linking carries the assignment in its custom parameters.
    const auto it = l.custom.find("assignment_id");
    if (it == l.custom.end()) return std::nullopt;
    char* end = nullptr;
    const long long id = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || id <= 0)
        throw LtiError(ErrorCode::InvalidClaim, "custom assignment_id is not an id");
    auto a =
        c.query("SELECT course_id FROM assignments WHERE id = ?", {static_cast<std::int64_t>(id)});
    if (a.empty() || a[0].integer(0) != courseId)
        throw LtiError(ErrorCode::InvalidClaim,
                       "custom assignment_id names no assignment of this course");
    c.execute(
        "INSERT INTO lti_resource_links (issuer, client_id, deployment_id, link_id, course_id, "
        "assignment_id, "
        "lineitem_url, lineitems_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {l.issuer, l.clientId, l.deploymentId, link.id, courseId, static_cast<std::int64_t>(id),
         lineItem, lineItems, nowMillis()});
    return static_cast<std::int64_t>(id);
}

}  // namespace

std::int64_t provisionMember(db::Connection& c, const std::string& issuer, const std::string& sub,
                             const std::string& name, const std::string& email, Role courseRole,
                             std::int64_t courseId) {
    const auto id = ensureUser(c, issuer, sub, name.empty() ? "LMS user" : name, email, courseRole);
    enroll(c, courseId, id, courseRole);
    return id;
}

Provisioned provision(db::Database& db, const LtiLaunch& launch) {
    if (!launch.context || launch.context->id.empty())
        throw LtiError(ErrorCode::MissingClaim, "the launch has no context (course)");
    const auto cr = launch.roles.courseRole();
    if (cr == CourseRole::None)
        throw LtiError(ErrorCode::InvalidClaim,
                       "the launch's roles give neither instructor nor student");
    const Role role = cr == CourseRole::Instructor ? Role::Instructor : Role::Student;
    return db.transaction([&](db::Connection& c) {
        Provisioned p;
        p.courseRole = role;
        p.courseId = ensureCourse(c, launch);
        p.userId = provisionMember(c, launch.issuer, launch.userId, nameOf(launch), launch.email,
                                   role, p.courseId);
        if (launch.messageType == MessageType::ResourceLink && launch.resourceLink)
            p.assignmentId = linkAssignment(c, launch, p.courseId);
        return p;
    });
}

std::optional<std::string> subjectOf(db::Database& db, const std::string& issuer,
                                     std::int64_t userId) {
    auto rows = db.acquire()->query("SELECT sub FROM lti_users WHERE issuer = ? AND user_id = ?",
                                    {issuer, userId});
    if (rows.empty()) return std::nullopt;
    return rows[0].text(0);
}

}  // namespace assay::lti
