#include "views.h"

namespace assay::views {

json::Object object() {
    return new Poco::JSON::Object;
}
json::Array array() {
    return new Poco::JSON::Array;
}

json::Object user(const User& u) {
    auto o = object();
    o->set("id", u.id);
    o->set("username", u.username);
    o->set("display_name", u.displayName);
    o->set("email", u.email);
    o->set("role", roleName(u.role));
    o->set("must_change_password", u.mustChangePassword);
    o->set("disabled", u.disabled);
    o->set("created_at", isoTime(u.createdAt));
    return o;
}

json::Object course(const Course& c) {
    auto o = object();
    o->set("id", c.id);
    o->set("code", c.code);
    o->set("title", c.title);
    o->set("created_at", isoTime(c.createdAt));
    return o;
}

json::Object assignment(const Assignment& a) {
    auto o = object();
    o->set("id", a.id);
    o->set("course_id", a.courseId);
    o->set("slug", a.slug);
    o->set("title", a.title);
    o->set("latest_version", a.latestVersion);
    if (a.publishedVersion)
        o->set("published_version", *a.publishedVersion);
    else
        o->set("published_version", Poco::Dynamic::Var());
    o->set("created_at", isoTime(a.createdAt));
    o->set("updated_at", isoTime(a.updatedAt));
    return o;
}

json::Object studentVersion(const AssignmentVersion& v, const bundle::Manifest& m) {
    auto o = object();
    o->set("version", v.version);
    o->set("title", m.title);
    auto st = v.files.find(m.statement);
    o->set("statement", st == v.files.end() ? "" : st->second);
    auto starter = object();
    for (const auto& p : m.starter) {
        // Starter files appear to the student under their name without the "starter/" folder.
        std::string name = p.rfind("starter/", 0) == 0 ? p.substr(8) : p;
        starter->set(name, v.files.at(p));
    }
    o->set("starter", starter);
    o->set("entry", m.entry);
    auto tests = array();
    int hidden = 0;
    for (const auto& t : m.tests) {
        if (t.hidden) {
            ++hidden;
            continue;
        }
        auto j = object();
        j->set("name", t.name);
        j->set("type", t.type == bundle::TestType::Io ? "io" : "unittest");
        j->set("weight", t.weight);
        if (t.type == bundle::TestType::Io && t.stdinText) j->set("stdin", *t.stdinText);
        if (t.type == bundle::TestType::Io && t.expectedText) j->set("expected", *t.expectedText);
        tests->add(j);
    }
    o->set("tests", tests);
    o->set("hidden_tests", hidden);
    auto limits = object();
    limits->set("time_s", m.limits.cpuSeconds);
    limits->set("memory_mb", m.limits.memoryMb);
    o->set("limits", limits);
    o->set("max_score", m.maxScore);
    return o;
}

json::Object fullVersion(const AssignmentVersion& v) {
    auto o = object();
    o->set("version", v.version);
    o->set("manifest", json::parseObject(v.manifestJson));
    auto files = object();
    for (const auto& [k, val] : v.files)
        files->set(k, val);
    o->set("files", files);
    o->set("created_at", isoTime(v.createdAt));
    if (v.publishedAt) o->set("published_at", isoTime(*v.publishedAt));
    return o;
}

json::Object submission(const Submission& s, bool withFiles) {
    auto o = object();
    o->set("id", s.id);
    o->set("assignment_id", s.assignmentId);
    o->set("user_id", s.userId);
    o->set("kind", s.kind);
    o->set("ordinal", s.ordinal);
    o->set("status", s.status);
    if (s.score) o->set("score", *s.score);
    if (s.maxScore) o->set("max_score", *s.maxScore);
    o->set("created_at", isoTime(s.createdAt));
    if (s.finishedAt) o->set("finished_at", isoTime(*s.finishedAt));
    if (withFiles) {
        auto files = object();
        for (const auto& [k, v] : s.files)
            files->set(k, v);
        o->set("files", files);
    }
    return o;
}

json::Object result(const TestResult& r) {
    auto o = object();
    o->set("name", r.testName);
    o->set("passed", r.passed);
    o->set("points", r.points);
    o->set("max_points", r.maxPoints);
    o->set("hidden", r.hidden);
    o->set("feedback", r.feedback);
    return o;
}

}  // namespace assay::views
