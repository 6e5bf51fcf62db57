// Submissions, per-test results and the event log.
#include <Poco/JSON/Object.h>

#include "assay/core/json.h"
#include "assay/core/store/store.h"

namespace assay {
namespace {

std::string filesToJson(const FileMap& files) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    for (const auto& [k, v] : files)
        o->set(k, v);
    return json::stringify(o);
}

FileMap filesFromJson(const std::string& text) {
    FileMap files;
    auto o = json::parseObject(text);
    for (const auto& [k, v] : *o)
        files[k] = v.toString();
    return files;
}

const char* kSubmissionCols =
    "id, assignment_id, assignment_version_id, user_id, kind, ordinal, files, status, score, "
    "max_score, created_at, "
    "started_at, finished_at";

Submission submissionFrom(const db::Row& r) {
    Submission s;
    s.id = r.integer(0);
    s.assignmentId = r.integer(1);
    s.assignmentVersionId = r.integer(2);
    s.userId = r.integer(3);
    s.kind = r.text(4);
    s.ordinal = static_cast<int>(r.integer(5));
    s.files = filesFromJson(r.text(6));
    s.status = r.text(7);
    if (!r.isNull(8)) s.score = r.number(8);
    if (!r.isNull(9)) s.maxScore = r.number(9);
    s.createdAt = r.integer(10);
    if (!r.isNull(11)) s.startedAt = r.integer(11);
    if (!r.isNull(12)) s.finishedAt = r.integer(12);
    return s;
}

db::Value optional(const std::optional<int64_t>& v) {
    return v ? db::Value(*v) : db::Value(db::Null{});
}

}  // namespace

Submission Store::createSubmission(int64_t assignmentId, int64_t versionId, int64_t userId,
                                   const std::string& kind, const FileMap& files,
                                   const std::string& ip) {
    return db_.transaction([&](db::Connection& c) {
        Submission s;
        s.assignmentId = assignmentId;
        s.assignmentVersionId = versionId;
        s.userId = userId;
        s.kind = kind;
        s.files = files;
        s.status = "queued";
        s.createdAt = nowMs();
        // Serialise one student's submissions so ordinals stay distinct (SQLite's writer lock does
        // this already; InnoDB needs the row lock).
        if (db_.dialect() == db::Dialect::MySQL)
            c.query("SELECT id FROM users WHERE id = ? FOR UPDATE", {userId});
        auto rows = c.query(
            "SELECT COUNT(*) FROM submissions WHERE assignment_id = ? AND user_id = ? AND kind = ?",
            {assignmentId, userId, kind});
        s.ordinal = static_cast<int>(rows[0].integer(0)) + 1;
        s.id = c.insert(
            "INSERT INTO submissions (assignment_id, assignment_version_id, user_id, kind, "
            "ordinal, files, status, "
            "created_at, client_ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {assignmentId, versionId, userId, kind, int64_t{s.ordinal}, filesToJson(files),
             s.status, s.createdAt, ip});
        return s;
    });
}

std::optional<Submission> Store::findSubmission(int64_t id) {
    auto rows = db_.acquire()->query(
        std::string("SELECT ") + kSubmissionCols + " FROM submissions WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return submissionFrom(rows[0]);
}

std::vector<Submission> Store::listSubmissions(int64_t assignmentId, std::optional<int64_t> userId,
                                               int limit) {
    std::vector<Submission> out;
    std::string sql =
        std::string("SELECT ") + kSubmissionCols + " FROM submissions WHERE assignment_id = ?";
    std::vector<db::Value> params{assignmentId};
    if (userId) {
        sql += " AND user_id = ?";
        params.emplace_back(*userId);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(int64_t{limit});
    for (const auto& r : db_.acquire()->query(sql, params))
        out.push_back(submissionFrom(r));
    return out;
}

std::vector<Submission> Store::submissionsWithStatus(const std::string& status, int limit) {
    std::vector<Submission> out;
    for (const auto& r :
         db_.acquire()->query(std::string("SELECT ") + kSubmissionCols +
                                  " FROM submissions WHERE status = ? ORDER BY id LIMIT ?",
                              {status, int64_t{limit}}))
        out.push_back(submissionFrom(r));
    return out;
}

bool Store::transition(int64_t submissionId, const std::string& from, const std::string& to) {
    const int64_t now = nowMs();
    std::string sql = "UPDATE submissions SET status = ?";
    if (to == "running") sql += ", started_at = " + std::to_string(now);
    sql += " WHERE id = ? AND status = ?";
    return db_.acquire()->execute(sql, {to, submissionId, from}) > 0;
}

bool Store::saveResultsIn(db::Connection& c, int64_t submissionId, double score, double maxScore,
                          const std::vector<TestResult>& results) {
    if (c.execute(
            "UPDATE submissions SET status = 'graded', score = ?, max_score = ?, finished_at = ? "
            "WHERE id = ? AND status = 'running'",
            {score, maxScore, nowMs(), submissionId}) == 0)
        return false;
    c.execute("DELETE FROM results WHERE submission_id = ?", {submissionId});
    for (const auto& r : results)
        c.execute(
            "INSERT INTO results (submission_id, test_name, passed, points, max_points, hidden, "
            "feedback, details) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {submissionId, r.testName, int64_t{r.passed}, r.points, r.maxPoints, int64_t{r.hidden},
             r.feedback, r.detailsJson});
    return true;
}

int64_t Store::requeueRunning() {
    return db_.acquire()->execute(
        "UPDATE submissions SET status = 'queued' WHERE status = 'running'");
}

namespace {

Store::RunCount runCount(db::Database& db, const std::string& sql, std::vector<db::Value> params) {
    auto rows = db.acquire()->query(sql, params);
    Store::RunCount r;
    r.count = static_cast<int>(rows[0].integer(0));
    if (!rows[0].isNull(1)) r.lastAt = rows[0].integer(1);
    return r;
}

}  // namespace

Store::RunCount Store::countRuns(int64_t userId, int64_t assignmentId) {
    return runCount(
        db_,
        "SELECT COUNT(*), MAX(created_at) FROM submissions WHERE user_id = ? AND assignment_id = ? "
        "AND kind = 'run' AND status <> 'rejected'",
        {userId, assignmentId});
}

Store::RunCount Store::countCourseRuns(int64_t userId, int64_t courseId) {
    return runCount(
        db_,
        "SELECT COUNT(*), MAX(s.created_at) FROM submissions s JOIN assignments a ON a.id = "
        "s.assignment_id "
        "WHERE s.user_id = ? AND a.course_id = ? AND s.kind = 'run' AND s.status <> 'rejected'",
        {userId, courseId});
}

void Store::saveResults(int64_t submissionId, double score, double maxScore,
                        const std::vector<TestResult>& results) {
    db_.transaction([&](db::Connection& c) {
        c.execute("DELETE FROM results WHERE submission_id = ?", {submissionId});
        for (const auto& r : results)
            c.execute(
                "INSERT INTO results (submission_id, test_name, passed, points, max_points, "
                "hidden, feedback, details) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {submissionId, r.testName, int64_t{r.passed}, r.points, r.maxPoints,
                 int64_t{r.hidden}, r.feedback, r.detailsJson});
        c.execute(
            "UPDATE submissions SET status = 'graded', score = ?, max_score = ?, finished_at = ? "
            "WHERE id = ?",
            {score, maxScore, nowMs(), submissionId});
    });
}

std::vector<TestResult> Store::results(int64_t submissionId) {
    std::vector<TestResult> out;
    for (const auto& r : db_.acquire()->query(
             "SELECT test_name, passed, points, max_points, hidden, feedback, details FROM results "
             "WHERE submission_id = ? ORDER BY id",
             {submissionId})) {
        TestResult t;
        t.testName = r.text(0);
        t.passed = r.integer(1) != 0;
        t.points = r.number(2);
        t.maxPoints = r.number(3);
        t.hidden = r.integer(4) != 0;
        t.feedback = r.text(5);
        t.detailsJson = r.text(6);
        out.push_back(std::move(t));
    }
    return out;
}

void Store::logEvent(const Event& e) {
    db_.acquire()->execute(
        "INSERT INTO events (at, user_id, action, target, ip, request_id, details) VALUES (?, ?, "
        "?, ?, ?, ?, ?)",
        {e.at ? e.at : nowMs(), optional(e.userId), e.action, e.target, e.ip, e.requestId,
         e.detailsJson.empty() ? std::string("{}") : e.detailsJson});
}

std::vector<Event> Store::listEvents(const EventFilter& f) {
    std::string sql =
        "SELECT id, at, user_id, action, target, ip, request_id, details FROM events WHERE at >= ?";
    std::vector<db::Value> params{f.sinceMs};
    if (f.userId) {
        sql += " AND user_id = ?";
        params.emplace_back(*f.userId);
    }
    if (!f.actionPrefix.empty()) {
        sql += " AND action LIKE ?";
        params.emplace_back(f.actionPrefix + "%");
    }
    if (!f.target.empty()) {
        sql += " AND target = ?";
        params.emplace_back(f.target);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(int64_t{f.limit});
    std::vector<Event> out;
    for (const auto& r : db_.acquire()->query(sql, params)) {
        Event e;
        e.id = r.integer(0);
        e.at = r.integer(1);
        if (!r.isNull(2)) e.userId = r.integer(2);
        e.action = r.text(3);
        e.target = r.text(4);
        e.ip = r.text(5);
        e.requestId = r.text(6);
        e.detailsJson = r.text(7);
        out.push_back(std::move(e));
    }
    return out;
}

int64_t Store::countEvents(const std::string& action, const std::string& target, int64_t sinceMs) {
    return db_.acquire()
        ->query("SELECT COUNT(*) FROM events WHERE action = ? AND target = ? AND at >= ?",
                {action, target, sinceMs})[0]
        .integer(0);
}

}  // namespace assay
