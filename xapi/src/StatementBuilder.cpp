#include "assay/xapi/StatementBuilder.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "assay/xapi/Identity.h"
#include "assay/xapi/Syntax.h"
#include "assay/xapi/Vocabulary.h"

namespace assay::xapi {

using Obj = Poco::JSON::Object;
using Arr = Poco::JSON::Array;

namespace {

// Percent-encodes everything but unreserved characters: ids become one path segment.
std::string segment(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

std::string withoutTrailingSlash(std::string s) {
    while (!s.empty() && s.back() == '/')
        s.pop_back();
    return s;
}

}  // namespace

StatementBuilder::StatementBuilder(BuilderConfig config) : config_(std::move(config)) {
    config_.publicUrl = withoutTrailingSlash(config_.publicUrl);
    if (!isAbsoluteIri(config_.publicUrl)) {
        throw std::invalid_argument("the public URL must be an absolute URL");
    }
    if (config_.vocabularyBase.empty()) config_.vocabularyBase = config_.publicUrl + "/xapi/vocab/";
    if (config_.vocabularyBase.back() != '/' && config_.vocabularyBase.back() != '#') {
        config_.vocabularyBase += '/';
    }
    if (!isAbsoluteIri(config_.vocabularyBase)) {
        throw std::invalid_argument("the vocabulary base must be an absolute IRI");
    }
    if (!isLanguageTag(config_.language)) throw std::invalid_argument("bad language tag");
}

std::string StatementBuilder::courseIri(const std::string& courseId) const {
    return config_.publicUrl + "/xapi/activities/courses/" + segment(courseId);
}

std::string StatementBuilder::assignmentIri(const std::string& assignmentId) const {
    return config_.publicUrl + "/xapi/activities/assignments/" + segment(assignmentId);
}

std::string StatementBuilder::testIri(const std::string& assignmentId,
                                      const std::string& testName) const {
    return assignmentIri(assignmentId) + "/tests/" + segment(testName);
}

std::string StatementBuilder::vocabulary(std::string_view term) const {
    return config_.vocabularyBase + std::string(term);
}

std::string StatementBuilder::registrationFor(const std::string& attemptId) const {
    return nameBasedUuid(vocab::kUuidNamespace, config_.publicUrl + "|attempt|" + attemptId);
}

std::string StatementBuilder::statementIdFor(const std::string& eventId,
                                             std::string_view verb) const {
    return nameBasedUuid(vocab::kUuidNamespace,
                         config_.publicUrl + "|event|" + eventId + "|" + std::string(verb));
}

std::string StatementBuilder::duration(int64_t millis) {
    if (millis < 0) millis = 0;
    const int64_t centis = millis / 10;
    char buf[48];
    if (centis % 100 == 0) {
        std::snprintf(buf, sizeof buf, "PT%lldS", static_cast<long long>(centis / 100));
    } else {
        std::snprintf(buf, sizeof buf, "PT%lld.%02lldS", static_cast<long long>(centis / 100),
                      static_cast<long long>(centis % 100));
    }
    return buf;
}

Obj::Ptr StatementBuilder::languageMap(const std::string& text) const {
    Obj::Ptr map = new Obj;
    map->set(config_.language, text);
    return map;
}

Obj::Ptr StatementBuilder::score(double points, double maxPoints) const {
    if (!(maxPoints > 0)) throw std::invalid_argument("maxPoints must be positive");
    const double raw = std::clamp(points, 0.0, maxPoints);
    Obj::Ptr s = new Obj;
    s->set("scaled", raw / maxPoints);
    s->set("raw", raw);
    s->set("min", 0.0);
    s->set("max", maxPoints);
    return s;
}

Obj::Ptr StatementBuilder::base(const StudentEvent& e, std::string_view verbIri,
                                std::string_view display) const {
    if (e.learner.lmsIssuer.empty() || e.learner.ltiUserId.empty() || e.eventId.empty() ||
        e.attemptId.empty()) {
        throw std::invalid_argument("an event needs issuer, user id, event id and attempt id");
    }
    Obj::Ptr s = new Obj;
    s->set("id", statementIdFor(e.eventId, verbIri));

    Obj::Ptr account = new Obj;
    account->set("homePage", e.learner.lmsIssuer);
    account->set("name", e.learner.ltiUserId);
    Obj::Ptr actor = new Obj;
    actor->set("objectType", std::string("Agent"));
    if (!e.learner.name.empty()) actor->set("name", e.learner.name);
    actor->set("account", account);
    s->set("actor", actor);

    Obj::Ptr verb = new Obj;
    verb->set("id", std::string(verbIri));
    verb->set("display", languageMap(std::string(display)));
    s->set("verb", verb);

    Obj::Ptr definition = new Obj;
    definition->set("name",
                    languageMap(e.assignment.title.empty() ? e.assignment.id : e.assignment.title));
    definition->set("type", std::string(vocab::kAssessmentType));
    Obj::Ptr object = new Obj;
    object->set("objectType", std::string("Activity"));
    object->set("id", assignmentIri(e.assignment.id));
    object->set("definition", definition);
    s->set("object", object);

    Obj::Ptr courseDefinition = new Obj;
    courseDefinition->set(
        "name", languageMap(e.assignment.course.title.empty() ? e.assignment.course.id
                                                              : e.assignment.course.title));
    courseDefinition->set("type", std::string(vocab::kCourseType));
    Obj::Ptr course = new Obj;
    course->set("objectType", std::string("Activity"));
    course->set("id", courseIri(e.assignment.course.id));
    course->set("definition", courseDefinition);
    Arr::Ptr parents = new Arr;
    parents->add(course);
    Obj::Ptr lists = new Obj;
    lists->set("parent", parents);
    Obj::Ptr context = new Obj;
    context->set("registration", registrationFor(e.attemptId));
    context->set("contextActivities", lists);
    context->set("platform", config_.platform);
    context->set("language", config_.language);
    s->set("context", context);

    s->set("timestamp", formatTimestamp(e.timestampMillis));
    return s;
}

Obj::Ptr StatementBuilder::launched(const StudentEvent& e) const {
    return base(e, vocab::kLaunched, "launched");
}

Obj::Ptr StatementBuilder::attempted(const StudentEvent& e) const {
    return base(e, vocab::kAttempted, "attempted");
}

Obj::Ptr StatementBuilder::practiceRun(const StudentEvent& e, const RunResult& run) const {
    const std::string ran = vocabulary(vocab::kRanTerm);
    Obj::Ptr s = base(e, ran, "ran the tests of");
    Obj::Ptr result = new Obj;
    result->set("score", score(run.points, run.maxPoints));
    result->set("success", run.success);
    result->set("duration", duration(run.durationMillis));
    Obj::Ptr extensions = new Obj;
    Arr::Ptr failing = new Arr;
    for (const auto& t : run.failingTests) {
        // Each failing test as an Activity object of type test-case.
        Obj::Ptr definition = new Obj;
        definition->set("type", vocabulary(vocab::kTestCaseTypeTerm));
        definition->set("name", languageMap(t.name));
        Obj::Ptr item = new Obj;
        item->set("objectType", std::string("Activity"));
        item->set("id", testIri(e.assignment.id, t.name));
        item->set("definition", definition);
        failing->add(item);
    }
    extensions->set(vocabulary(vocab::kFailingTestsTerm), failing);
    extensions->set(vocabulary(vocab::kTestsRunTerm), run.testsRun);
    result->set("extensions", extensions);
    s->set("result", result);
    addContextExtension(*s, vocab::kRunIdTerm, run.runId);
    return s;
}

Obj::Ptr StatementBuilder::submitted(const StudentEvent& e, const std::string& submissionId) const {
    Obj::Ptr s = base(e, vocab::kSubmitted, "submitted");
    addContextExtension(*s, vocab::kSubmissionIdTerm, submissionId);
    return s;
}

Obj::Ptr StatementBuilder::scored(const StudentEvent& e, const Grade& grade) const {
    Obj::Ptr s = base(e, vocab::kScored, "scored");
    Obj::Ptr result = new Obj;
    result->set("score", score(grade.points, grade.maxPoints));
    s->set("result", result);
    addContextExtension(*s, vocab::kSubmissionIdTerm, grade.submissionId);
    return s;
}

Obj::Ptr StatementBuilder::passedOrFailed(const StudentEvent& e, const Grade& grade) const {
    Obj::Ptr s =
        grade.passed ? base(e, vocab::kPassed, "passed") : base(e, vocab::kFailed, "failed");
    Obj::Ptr result = new Obj;
    result->set("score", score(grade.points, grade.maxPoints));
    result->set("success", grade.passed);
    result->set("completion", true);
    s->set("result", result);
    addContextExtension(*s, vocab::kSubmissionIdTerm, grade.submissionId);
    return s;
}

void StatementBuilder::addContextExtension(Obj& statement, std::string_view term,
                                           const std::string& value) const {
    if (value.empty()) return;
    auto context = statement.getObject("context");
    Obj::Ptr extensions = context->getObject("extensions");
    if (!extensions) {
        extensions = Poco::makeShared<Obj>();
        context->set("extensions", extensions);
    }
    extensions->set(vocabulary(term), value);
}

Obj::Ptr StatementBuilder::completed(const StudentEvent& e) const {
    Obj::Ptr s = base(e, vocab::kCompleted, "completed");
    Obj::Ptr result = new Obj;
    result->set("completion", true);
    s->set("result", result);
    return s;
}

}  // namespace assay::xapi
