// AGS 2.0 grade passback: an outbox sink that posts the score of every graded final submission
// to the line item of each resource link bound to its assignment.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <stdexcept>

#include "Provisioning.h"
#include "Services.h"
#include "assay/core/log.h"
#include "assay/lti/AgsScore.h"
#include "assay/lti/Claims.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"
#include "assay/lti/LoginInitiation.h"

namespace assay::lti {
namespace {

double number(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key))
        throw LtiError(ErrorCode::InvalidArgument, "event has no " + key);
    return o.getValue<double>(key);
}

std::int64_t integer(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key))
        throw LtiError(ErrorCode::InvalidArgument, "event has no " + key);
    return o.getValue<std::int64_t>(key);
}

std::string withQuery(const std::string& url, const std::string& param) {
    const auto hash = url.find('#');
    const std::string base = url.substr(0, hash);
    return base + (base.find('?') == std::string::npos ? "?" : "&") + param;
}

// The line item of a resource link that came without one: found in the course's container by
// resource link id, or created there. Throws when the platform does not answer (retried later).
std::string findOrCreateLineItem(Services& s, const PlatformRegistration& platform,
                                 std::int64_t rowId, const std::string& container,
                                 const std::string& linkId, std::int64_t assignmentId,
                                 double maxScore) {
    const auto token = s.tokens->token(platform, {claim::kScopeLineItem});
    const std::string auth = "Bearer " + token.token;
    auto list =
        s.http->send(HttpRequest{"GET",
                                 withQuery(container, "resource_link_id=" + urlEncode(linkId)),
                                 {{"Accept", kLineItemContainerMediaType}, {"Authorization", auth}},
                                 ""});
    std::string found;
    if (list.status == 200) {
        try {
            auto arr = Poco::JSON::Parser().parse(list.body).extract<Poco::JSON::Array::Ptr>();
            for (size_t i = 0; arr && i < arr->size() && found.empty(); ++i) {
                auto item = arr->getObject(static_cast<unsigned>(i));
                if (item && item->optValue<std::string>("resourceLinkId", "") == linkId)
                    found = item->optValue<std::string>("id", "");
            }
        } catch (const std::exception&) {
            // Not a container: create one below.
        }
    }
    if (found.empty()) {
        auto assignment = s.host.store().findAssignment(assignmentId);
        LineItemSpec spec;
        spec.scoreMaximum = maxScore > 0 ? maxScore : 100;
        spec.label = assignment ? assignment->title : "Assay assignment";
        spec.resourceId = "assay-assignment-" + std::to_string(assignmentId);
        spec.resourceLinkId = linkId;
        auto created = s.http->send(HttpRequest{"POST",
                                                container,
                                                {{"Content-Type", kLineItemMediaType},
                                                 {"Accept", kLineItemMediaType},
                                                 {"Authorization", auth}},
                                                lineItemJson(spec)});
        if (created.status < 200 || created.status >= 300)
            throw std::runtime_error("line item creation refused: HTTP " +
                                     std::to_string(created.status));
        found = json::getString(*json::parseObject(created.body, ErrorCode::InvalidArgument), "id")
                    .value_or("");
    }
    if (found.empty()) throw std::runtime_error("the platform's line item has no id");
    s.host.database().acquire()->execute(
        "UPDATE lti_resource_links SET lineitem_url = ? WHERE id = ?", {found, rowId});
    return found;
}

void deliver(Services& s, const plugin::Event& e) {
    Poco::JSON::Object::Ptr p;
    try {
        p = json::parseObject(e.payloadJson, ErrorCode::InvalidArgument);
    } catch (const LtiError& err) {
        log::get("lti").error("grade event " + std::to_string(e.id) + " is not JSON; dropped");
        return;
    }
    // Practice runs give feedback only; the LMS gets final submissions.
    if (json::getString(*p, "kind").value_or("submit") != "submit") return;
    const auto userId = integer(*p, "user_id");
    const auto assignmentId = integer(*p, "assignment_id");
    const double score = number(*p, "score");
    const double maxScore = number(*p, "max_score");
    std::optional<std::int64_t> submittedAt;
    if (auto created = json::getInteger(*p, "created_at"))
        submittedAt = *created;
    else if (auto sid = json::getInteger(*p, "submission_id"))
        if (auto sub = s.host.store().findSubmission(*sid)) submittedAt = sub->createdAt;

    auto links = s.host.database().acquire()->query(
        "SELECT issuer, client_id, lineitem_url, id, lineitems_url, link_id FROM "
        "lti_resource_links "
        "WHERE assignment_id = ? ORDER BY id",
        {assignmentId});
    std::set<std::pair<std::string, std::string>> done;
    for (const auto& row : links) {
        const std::string issuer = row.text(0), clientId = row.text(1);
        std::string lineItem = row.text(2);
        if (lineItem.empty() && row.text(4).empty()) continue;  // no grade service on this link
        const auto sub = subjectOf(s.host.database(), issuer, userId);
        if (!sub) continue;  // this student never launched from that platform
        const auto platform = s.platforms.find(issuer, clientId);
        if (!platform) {
            std::string why = "no registration for ";
            why.append(issuer).append(" / ").append(clientId).append(": score not sent");
            log::get("lti").warning(why);
            continue;
        }
        if (lineItem.empty())
            lineItem = findOrCreateLineItem(s, *platform, row.integer(3), row.text(4), row.text(5),
                                            assignmentId, maxScore);
        if (!done.insert({issuer, lineItem}).second) continue;
        Score sc;
        sc.userId = *sub;
        sc.scoreGiven = score;
        sc.scoreMaximum = maxScore > 0 ? maxScore : 1;
        sc.activityProgress = ActivityProgress::Completed;
        sc.gradingProgress = GradingProgress::FullyGraded;
        sc.timestampMillis = e.atMs > 0 ? e.atMs : systemNowMillis();
        sc.submittedAtMillis = submittedAt;
        sc.comment = json::getString(*p, "comment").value_or("");
        const auto token = s.tokens->token(*platform, {claim::kScopeScore});
        HttpRequest post{
            "POST",
            scoresUrl(lineItem),
            {{"Content-Type", kScoreMediaType}, {"Authorization", "Bearer " + token.token}},
            scoreJson(sc)};
        const auto answer = s.http->send(post);
        if (answer.status == 401) s.tokens->invalidate(*platform);
        if (answer.status < 200 || answer.status >= 300)
            throw std::runtime_error("score for user " + std::to_string(userId) + " refused by " +
                                     issuer + ": HTTP " + std::to_string(answer.status));
        log::get("lti").information("score sent for user " + std::to_string(userId) +
                                    " assignment " + std::to_string(assignmentId) + " to " +
                                    issuer);
    }
}

}  // namespace

void registerGradePassback(Services& s) {
    s.host.outbox().registerSink(
        "lti.ags",
        [](const std::string& type) {
            return type == "submission.graded" || type == "lti.score.resend";
        },
        [&s](const plugin::Event& e) { deliver(s, e); });
}

}  // namespace assay::lti
