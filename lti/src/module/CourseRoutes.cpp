// Course actions for instructors: resend the course's grades, sync the roster (NRPS 2.0).
#include <map>

#include "Provisioning.h"
#include "Services.h"
#include "assay/core/error.h"
#include "assay/core/json.h"
#include "assay/core/log.h"
#include "assay/lti/Claims.h"
#include "assay/lti/Error.h"
#include "assay/lti/NrpsRoster.h"

namespace assay::lti {
namespace {

constexpr int kMaxRosterPages = 200;
constexpr std::int64_t kRosterStaleMs = std::int64_t{24} * 3600 * 1000;

// Re-publishes the latest graded final submission of every student of every linked assignment.
int resendGrades(Services& s, std::int64_t courseId) {
    auto rows = s.host.database().acquire()->query(
        "SELECT DISTINCT assignment_id FROM lti_resource_links WHERE course_id = ?", {courseId});
    int queued = 0;
    for (const auto& row : rows) {
        const auto assignmentId = row.integer(0);
        std::map<std::int64_t, Submission> latest;
        for (auto& sub : s.host.store().listSubmissions(assignmentId, std::nullopt, 100000)) {
            if (sub.kind != "submit" || sub.status != "graded" || !sub.score) continue;
            auto it = latest.find(sub.userId);
            if (it == latest.end() || sub.createdAt > it->second.createdAt ||
                (sub.createdAt == it->second.createdAt && sub.id > it->second.id))
                latest[sub.userId] = sub;
        }
        for (const auto& [userId, sub] : latest) {
            json::Object p = new Poco::JSON::Object;
            p->set("submission_id", sub.id);
            p->set("user_id", userId);
            p->set("assignment_id", assignmentId);
            p->set("course_id", courseId);
            p->set("kind", sub.kind);
            p->set("score", *sub.score);
            p->set("max_score", sub.maxScore.value_or(0));
            p->set("created_at", sub.createdAt);
            s.host.publish("lti.score.resend", p);
            ++queued;
        }
    }
    return queued;
}

struct RosterResult {
    int members = 0, enrolled = 0, removed = 0;
};

RosterResult syncRoster(Services& s, std::int64_t courseId) {
    auto contexts = s.host.database().acquire()->query(
        "SELECT issuer, client_id, memberships_url, id FROM lti_contexts WHERE course_id = ? AND "
        "memberships_url <> ''",
        {courseId});
    if (contexts.empty())
        throw ApiError::conflict("no_roster_service", "no LMS offers a roster for this course");
    RosterResult result;
    for (const auto& ctx : contexts) {
        const std::string issuer = ctx.text(0);
        auto platform = s.platforms.find(issuer, ctx.text(1));
        if (!platform)
            throw ApiError::conflict("unknown_platform",
                                     "the course's platform is no longer registered");
        const auto token = s.tokens->token(*platform, {claim::kScopeNrps});
        std::vector<RosterMember> members;
        std::string url = ctx.text(2);
        for (int page = 0; !url.empty() && page < kMaxRosterPages; ++page) {
            auto answer = s.http->send(HttpRequest{
                "GET",
                url,
                {{"Accept", kMembershipMediaType}, {"Authorization", "Bearer " + token.token}},
                ""});
            if (answer.status == 401) s.tokens->invalidate(*platform);
            if (answer.status != 200)
                throw ApiError(502, "roster_failed",
                               "the LMS answered HTTP " + std::to_string(answer.status));
            auto parsed = parseMembershipPage(answer.body, answer.header("Link"));
            for (auto& m : parsed.members)
                members.push_back(std::move(m));
            url = parsed.nextUrl;
        }
        s.host.database().transaction([&](db::Connection& c) {
            for (const auto& m : members) {
                ++result.members;
                const auto cr = m.roles.courseRole();
                if (m.status == "Inactive" || m.status == "Deleted" || cr == CourseRole::None) {
                    auto u = c.query("SELECT user_id FROM lti_users WHERE issuer = ? AND sub = ?",
                                     {issuer, m.userId});
                    if (!u.empty() &&
                        c.execute("DELETE FROM enrollments WHERE course_id = ? AND user_id = ?",
                                  {courseId, u[0].integer(0)}) > 0)
                        ++result.removed;
                    continue;
                }
                provisionMember(c, issuer, m.userId, m.name, m.email,
                                cr == CourseRole::Instructor ? Role::Instructor : Role::Student,
                                courseId);
                ++result.enrolled;
            }
            c.execute("UPDATE lti_contexts SET roster_synced_at = ? WHERE id = ?",
                      {nowMs(), ctx.integer(3)});
        });
    }
    return result;
}

}  // namespace

void requestRosterSyncIfStale(Services& s, std::int64_t courseId) {
    const auto now = nowMs();
    // Claims the sync: only the launch that moves roster_synced_at asks for it.
    const auto claimed = s.host.database().acquire()->execute(
        "UPDATE lti_contexts SET roster_synced_at = ? WHERE course_id = ? AND memberships_url <> "
        "'' AND "
        "(roster_synced_at IS NULL OR roster_synced_at < ?)",
        {now, courseId, now - kRosterStaleMs});
    if (claimed == 0) return;
    json::Object p = new Poco::JSON::Object;
    p->set("course_id", courseId);
    s.host.publish("lti.roster.sync", p);
}

void registerCourseRoutes(Services& s) {
    auto& r = s.host.router();
    // Roster syncs asked for by launches run from the outbox (retried while the LMS is away).
    s.host.outbox().registerSink(
        "lti.nrps", [](const std::string& type) { return type == "lti.roster.sync"; },
        [&s](const plugin::Event& e) {
            const auto course =
                json::parseObject(e.payloadJson)->getValue<std::int64_t>("course_id");
            const auto result = syncRoster(s, course);
            log::get("lti").information("roster of course " + std::to_string(course) + ": " +
                                        std::to_string(result.members) + " members");
        });
    r.post("/api/v1/courses/{id}/lti/resend-grades", http::Access::Authenticated,
           [&s](http::Request& req, http::Response& res) {
               const auto id = req.idParam("id");
               requireManageCourse(s.host.store(), req.principal->user, id);
               const int queued = resendGrades(s, id);
               s.host.audit(&req, req.principal->user.id, "lti.grades.resend", std::to_string(id));
               json::Object out = new Poco::JSON::Object;
               out->set("queued", queued);
               res.json(out, 202);
           });
    r.post("/api/v1/courses/{id}/lti/sync-roster", http::Access::Authenticated,
           [&s](http::Request& req, http::Response& res) {
               const auto id = req.idParam("id");
               requireManageCourse(s.host.store(), req.principal->user, id);
               RosterResult result;
               try {
                   result = syncRoster(s, id);
               } catch (const LtiError& e) {
                   log::get("lti").warning(std::string("roster sync failed: ") + e.codeName() +
                                           ": " + e.what());
                   throw ApiError(502, "roster_failed",
                                  std::string("roster sync failed: ") + e.codeName());
               }
               s.host.audit(&req, req.principal->user.id, "lti.roster.synced", std::to_string(id));
               json::Object out = new Poco::JSON::Object;
               out->set("members", result.members);
               out->set("enrolled", result.enrolled);
               out->set("removed", result.removed);
               res.json(out);
           });
}

}  // namespace assay::lti
