// Courses, enrollments, assignments and their versions.
#include <cstring>

#include "assay/core/error.h"
#include "assay/core/store/store.h"

namespace assay {
namespace {

Course courseFrom(const db::Row& r) {
    return Course{r.integer(0), r.text(1), r.text(2), r.integer(3)};
}

const char* kAssignmentCols =
    "id, course_id, slug, title, latest_version, published_version, created_at, updated_at";

Assignment assignmentFrom(const db::Row& r) {
    Assignment a;
    a.id = r.integer(0);
    a.courseId = r.integer(1);
    a.slug = r.text(2);
    a.title = r.text(3);
    a.latestVersion = static_cast<int>(r.integer(4));
    if (!r.isNull(5)) a.publishedVersion = static_cast<int>(r.integer(5));
    a.createdAt = r.integer(6);
    a.updatedAt = r.integer(7);
    return a;
}

const char* kVersionCols = "id, assignment_id, version, manifest, files, created_at, published_at";

AssignmentVersion versionFrom(const db::Row& r) {
    AssignmentVersion v;
    v.id = r.integer(0);
    v.assignmentId = r.integer(1);
    v.version = static_cast<int>(r.integer(2));
    v.manifestJson = r.text(3);
    v.files = Store::unpackFiles(r.text(4));
    v.createdAt = r.integer(5);
    if (!r.isNull(6)) v.publishedAt = r.integer(6);
    return v;
}

void putU64(std::string& out, uint64_t x) {
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

uint64_t getU64(const std::string& in, size_t& pos) {
    if (pos + 8 > in.size()) throw std::runtime_error("corrupt file map");
    uint64_t x = 0;
    for (int i = 0; i < 8; ++i)
        x |= static_cast<uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    pos += 8;
    return x;
}

}  // namespace

// Layout: "AFM1", then per file: u64 path length, path, u64 size, bytes.
std::string Store::packFiles(const FileMap& files) {
    std::string out = "AFM1";
    for (const auto& [path, bytes] : files) {
        putU64(out, path.size());
        out += path;
        putU64(out, bytes.size());
        out += bytes;
    }
    return out;
}

FileMap Store::unpackFiles(const std::string& in) {
    FileMap files;
    if (in.compare(0, 4, "AFM1") != 0) throw std::runtime_error("corrupt file map");
    size_t pos = 4;
    while (pos < in.size()) {
        uint64_t n = getU64(in, pos);
        if (n > in.size() - pos) throw std::runtime_error("corrupt file map");
        std::string path = in.substr(pos, n);
        pos += n;
        uint64_t m = getU64(in, pos);
        if (m > in.size() - pos) throw std::runtime_error("corrupt file map");
        files.emplace(std::move(path), in.substr(pos, m));
        pos += m;
    }
    return files;
}

Course Store::createCourse(const std::string& code, const std::string& title) {
    Course c{0, code, title, nowMs()};
    try {
        c.id =
            db_.acquire()->insert("INSERT INTO courses (code, title, created_at) VALUES (?, ?, ?)",
                                  {code, title, c.createdAt});
    } catch (const db::DbError& e) {
        if (e.kind() == db::DbError::Kind::Constraint)
            throw ApiError::conflict("course_code_taken",
                                     "a course with code '" + code + "' already exists");
        throw;
    }
    return c;
}

std::optional<Course> Store::findCourse(int64_t id) {
    auto rows =
        db_.acquire()->query("SELECT id, code, title, created_at FROM courses WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return courseFrom(rows[0]);
}

std::optional<Course> Store::findCourseByCode(const std::string& code) {
    auto rows = db_.acquire()->query(
        "SELECT id, code, title, created_at FROM courses WHERE code = ?", {code});
    if (rows.empty()) return std::nullopt;
    return courseFrom(rows[0]);
}

std::vector<Course> Store::listCourses() {
    std::vector<Course> out;
    for (const auto& r :
         db_.acquire()->query("SELECT id, code, title, created_at FROM courses ORDER BY id"))
        out.push_back(courseFrom(r));
    return out;
}

std::vector<Course> Store::listCoursesOf(int64_t userId) {
    std::vector<Course> out;
    for (const auto& r : db_.acquire()->query("SELECT c.id, c.code, c.title, c.created_at FROM "
                                              "courses c JOIN enrollments e ON e.course_id = c.id "
                                              "WHERE e.user_id = ? ORDER BY c.id",
                                              {userId}))
        out.push_back(courseFrom(r));
    return out;
}

void Store::updateCourse(const Course& c) {
    db_.acquire()->execute("UPDATE courses SET title = ? WHERE id = ?", {c.title, c.id});
}

void Store::enroll(int64_t courseId, int64_t userId, Role role) {
    db_.transaction([&](db::Connection& c) {
        auto rows = c.query("SELECT role FROM enrollments WHERE course_id = ? AND user_id = ?",
                            {courseId, userId});
        if (rows.empty())
            c.execute(
                "INSERT INTO enrollments (course_id, user_id, role, created_at) VALUES (?, ?, ?, "
                "?)",
                {courseId, userId, std::string(roleName(role)), nowMs()});
        else
            c.execute("UPDATE enrollments SET role = ? WHERE course_id = ? AND user_id = ?",
                      {std::string(roleName(role)), courseId, userId});
    });
}

bool Store::unenroll(int64_t courseId, int64_t userId) {
    return db_.acquire()->execute("DELETE FROM enrollments WHERE course_id = ? AND user_id = ?",
                                  {courseId, userId}) > 0;
}

std::optional<Role> Store::enrollmentRole(int64_t courseId, int64_t userId) {
    auto rows = db_.acquire()->query(
        "SELECT role FROM enrollments WHERE course_id = ? AND user_id = ?", {courseId, userId});
    if (rows.empty()) return std::nullopt;
    return parseRole(rows[0].text(0));
}

std::vector<std::pair<User, Role>> Store::listEnrollments(int64_t courseId) {
    std::vector<std::pair<User, Role>> out;
    for (const auto& r : db_.acquire()->query("SELECT e.role, u.id FROM enrollments e JOIN users u "
                                              "ON u.id = e.user_id WHERE e.course_id = ? "
                                              "ORDER BY u.username",
                                              {courseId})) {
        if (auto u = findUser(r.integer(1)))
            out.emplace_back(*u, parseRole(r.text(0)).value_or(Role::Student));
    }
    return out;
}

Assignment Store::createAssignment(int64_t courseId, const std::string& slug,
                                   const std::string& title, const std::string& manifestJson,
                                   const FileMap& files, std::optional<int64_t> by) {
    const int64_t now = nowMs();
    try {
        return db_.transaction([&](db::Connection& c) {
            Assignment a;
            a.courseId = courseId;
            a.slug = slug;
            a.title = title;
            a.latestVersion = 1;
            a.createdAt = a.updatedAt = now;
            a.id = c.insert(
                "INSERT INTO assignments (course_id, slug, title, latest_version, "
                "published_version, created_at, "
                "updated_at) VALUES (?, ?, ?, 1, NULL, ?, ?)",
                {courseId, slug, title, now, now});
            c.execute(
                "INSERT INTO assignment_versions (assignment_id, version, manifest, files, "
                "created_by, created_at) "
                "VALUES (?, 1, ?, ?, ?, ?)",
                {a.id, manifestJson, db::Blob{packFiles(files)},
                 by ? db::Value(*by) : db::Value(db::Null{}), now});
            return a;
        });
    } catch (const db::DbError& e) {
        if (e.kind() == db::DbError::Kind::Constraint)
            throw ApiError::conflict(
                "assignment_exists",
                "this course already has an assignment with the id '" + slug + "'");
        throw;
    }
}

int Store::addVersion(int64_t assignmentId, const std::string& title,
                      const std::string& manifestJson, const FileMap& files,
                      std::optional<int64_t> by) {
    return db_.transaction([&](db::Connection& c) {
        auto rows = c.query("SELECT latest_version FROM assignments WHERE id = ?", {assignmentId});
        if (rows.empty()) throw ApiError::notFound("assignment");
        const int next = static_cast<int>(rows[0].integer(0)) + 1;
        const int64_t now = nowMs();
        c.execute(
            "INSERT INTO assignment_versions (assignment_id, version, manifest, files, created_by, "
            "created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            {assignmentId, int64_t{next}, manifestJson, db::Blob{packFiles(files)},
             by ? db::Value(*by) : db::Value(db::Null{}), now});
        c.execute(
            "UPDATE assignments SET latest_version = ?, title = ?, updated_at = ? WHERE id = ?",
            {int64_t{next}, title, now, assignmentId});
        return next;
    });
}

void Store::publish(int64_t assignmentId, int version) {
    db_.transaction([&](db::Connection& c) {
        const int64_t now = nowMs();
        if (c.execute("UPDATE assignment_versions SET published_at = ? WHERE assignment_id = ? AND "
                      "version = ? "
                      "AND published_at IS NULL",
                      {now, assignmentId, int64_t{version}}) == 0 &&
            c.query("SELECT 1 FROM assignment_versions WHERE assignment_id = ? AND version = ?",
                    {assignmentId, int64_t{version}})
                .empty())
            throw ApiError::notFound("assignment version");
        c.execute("UPDATE assignments SET published_version = ?, updated_at = ? WHERE id = ?",
                  {int64_t{version}, now, assignmentId});
    });
}

std::optional<Assignment> Store::findAssignment(int64_t id) {
    auto rows = db_.acquire()->query(
        std::string("SELECT ") + kAssignmentCols + " FROM assignments WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return assignmentFrom(rows[0]);
}

std::optional<Assignment> Store::findAssignmentBySlug(int64_t courseId, const std::string& slug) {
    auto rows = db_.acquire()->query(std::string("SELECT ") + kAssignmentCols +
                                         " FROM assignments WHERE course_id = ? AND slug = ?",
                                     {courseId, slug});
    if (rows.empty()) return std::nullopt;
    return assignmentFrom(rows[0]);
}

std::vector<Assignment> Store::listAssignments(int64_t courseId) {
    std::vector<Assignment> out;
    for (const auto& r :
         db_.acquire()->query(std::string("SELECT ") + kAssignmentCols +
                                  " FROM assignments WHERE course_id = ? ORDER BY id",
                              {courseId}))
        out.push_back(assignmentFrom(r));
    return out;
}

std::optional<AssignmentVersion> Store::findVersion(int64_t assignmentId, int version) {
    auto rows = db_.acquire()->query(
        std::string("SELECT ") + kVersionCols +
            " FROM assignment_versions WHERE assignment_id = ? AND version = ?",
        {assignmentId, int64_t{version}});
    if (rows.empty()) return std::nullopt;
    return versionFrom(rows[0]);
}

std::optional<AssignmentVersion> Store::findVersionById(int64_t versionId) {
    auto rows = db_.acquire()->query(
        std::string("SELECT ") + kVersionCols + " FROM assignment_versions WHERE id = ?",
        {versionId});
    if (rows.empty()) return std::nullopt;
    return versionFrom(rows[0]);
}

bool Store::deleteAssignment(int64_t id) {
    return db_.transaction([&](db::Connection& c) {
        if (!c.query("SELECT 1 FROM submissions WHERE assignment_id = ? LIMIT 1", {id}).empty())
            return false;
        c.execute("DELETE FROM assignment_versions WHERE assignment_id = ?", {id});
        c.execute("DELETE FROM assignments WHERE id = ?", {id});
        return true;
    });
}

}  // namespace assay
