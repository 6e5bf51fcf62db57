#include "EventStatements.h"

#include <Poco/JSON/Parser.h>

#include "assay/xapi/Syntax.h"

namespace assay::xapi {
namespace {

std::string field(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return "";
    return o.get(key).convert<std::string>();
}

double number(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return 0;
    return o.get(key).convert<double>();
}

// Epoch ms from an integer (ms) or an RFC 3339 string; `fallback` otherwise.
int64_t when(const Poco::JSON::Object& o, const std::string& key, int64_t fallback) {
    if (!o.has(key) || o.isNull(key)) return fallback;
    auto v = o.get(key);
    if (v.isString()) return parseTimestamp(v.extract<std::string>(), false).value_or(fallback);
    if (v.isNumeric()) return v.convert<int64_t>();
    return fallback;
}

}  // namespace

bool EventStatements::handles(const std::string& t) {
    return t == "submission.created" || t == "submission.graded" || t == "assignment.published" ||
           t == "lti.launch";
}

std::vector<Poco::JSON::Object::Ptr> EventStatements::build(const plugin::Event& event) const {
    std::vector<Poco::JSON::Object::Ptr> out;
    if (!handles(event.type)) return out;
    Poco::JSON::Parser parser;
    auto p = parser.parse(event.payloadJson.empty() ? "{}" : event.payloadJson)
                 .extract<Poco::JSON::Object::Ptr>();

    StudentEvent e;
    // The learner as the LMS knows them when the payload says so (LTI launches); otherwise
    // Assay's own account.
    e.learner.lmsIssuer = field(*p, "lms_issuer");
    if (e.learner.lmsIssuer.empty()) e.learner.lmsIssuer = field(*p, "issuer");
    e.learner.ltiUserId = field(*p, "lti_user_id");
    if (e.learner.ltiUserId.empty()) e.learner.ltiUserId = field(*p, "sub");
    if (e.learner.lmsIssuer.empty() || e.learner.ltiUserId.empty()) {
        const std::string user =
            field(*p, event.type == "assignment.published" ? "published_by" : "user_id");
        e.learner.lmsIssuer = config_.publicUrl;
        e.learner.ltiUserId = user.empty() ? "assay" : "user-" + user;
    }
    e.learner.name = field(*p, "user_name");
    e.assignment.id = field(*p, "assignment_id");
    e.assignment.title = field(*p, "assignment_title");
    e.assignment.course.id = field(*p, "course_id");
    e.assignment.course.title = field(*p, "course_title");
    if (e.assignment.id.empty() || e.assignment.course.id.empty()) return out;
    e.eventId = "event-" + std::to_string(event.id);
    const std::string submission = field(*p, "submission_id");
    e.attemptId = submission.empty() ? e.eventId : "submission-" + submission;
    e.timestampMillis = event.atMs;

    if (event.type == "submission.created") {
        e.timestampMillis = when(*p, "created_at", event.atMs);
        out.push_back(builder_.submitted(e, submission));
    } else if (event.type == "submission.graded") {
        e.timestampMillis = when(*p, "graded_at", event.atMs);
        Grade g;
        g.submissionId = submission;
        g.points = number(*p, "score");
        g.maxPoints = number(*p, "max_score");
        if (g.maxPoints <= 0) return out;
        // Passed: the payload's verdict when it has one, full marks otherwise.
        g.passed = p->has("passed") ? p->getValue<bool>("passed") : g.points >= g.maxPoints;
        out.push_back(builder_.scored(e, g));
        out.push_back(builder_.passedOrFailed(e, g));
        out.push_back(builder_.completed(e));
    } else if (event.type == "lti.launch") {
        e.timestampMillis = when(*p, "launched_at", event.atMs);
        // One registration per learner and resource link: every launch from that link of
        // the LMS groups under it.
        const std::string link = field(*p, "resource_link_id");
        if (!link.empty())
            e.attemptId = "lti-link|" + e.learner.lmsIssuer + "|" + field(*p, "deployment_id") +
                          "|" + link + "|" + e.learner.ltiUserId;
        out.push_back(builder_.launched(e));
    } else {  // assignment.published: the instructor published the assignment
        e.timestampMillis = when(*p, "published_at", event.atMs);
        auto s = builder_.launched(e);
        const std::string verbId = builder_.vocabulary("verbs/published");
        Poco::JSON::Object::Ptr verb = new Poco::JSON::Object;
        Poco::JSON::Object::Ptr display = new Poco::JSON::Object;
        display->set(config_.language, std::string("published"));
        verb->set("id", verbId);
        verb->set("display", display);
        s->set("verb", verb);
        s->set("id", builder_.statementIdFor(e.eventId, verbId));
        s->getObject("context")->remove("registration");
        out.push_back(s);
    }
    return out;
}

}  // namespace assay::xapi
