#pragma once
// The repositories of the host's entities, written once in portable SQL over db::Database.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "assay/core/model.h"
#include "assay/core/store/db.h"

namespace assay {

struct NewUser {
    std::string username;
    std::string displayName;
    std::string email;
    Role role = Role::Student;
    std::optional<std::string> passwordHash;
    bool mustChangePassword = false;
};

struct SessionRecord {
    User user;
    std::string csrfToken;
    int64_t expiresAt = 0;
};

struct TokenInfo {
    int64_t id = 0;
    std::string name;
    std::string prefix;
    int64_t createdAt = 0;
    std::optional<int64_t> lastUsedAt;
    bool revoked = false;
};

struct EventFilter {
    std::optional<int64_t> userId;
    std::string actionPrefix;
    std::string target;
    int64_t sinceMs = 0;
    int limit = 100;
};

class Store {
  public:
    explicit Store(db::Database& db) : db_(db) {}
    db::Database& database() { return db_; }

    // Users. Usernames are stored in lower case; a duplicate gives ApiError 409 "username_taken".
    User createUser(const NewUser& u);
    std::optional<User> findUser(int64_t id);
    std::optional<User> findUserByName(const std::string& username);
    std::optional<std::string> passwordHash(int64_t userId);
    std::vector<User> listUsers();
    int64_t countUsers();
    void updateUser(const User& u);  // display name, email, role, disabled
    void setPassword(int64_t userId, const std::string& hash, bool mustChange);

    // API tokens (stored as SHA-256 of the secret).
    int64_t createToken(int64_t userId, const std::string& name, const std::string& hash,
                        const std::string& prefix);
    std::optional<User> userForToken(const std::string& hash);
    std::vector<TokenInfo> listTokens(int64_t userId);
    bool revokeToken(int64_t userId, int64_t tokenId);

    // Browser sessions (stored as SHA-256 of the cookie value).
    void createSession(const std::string& idHash, int64_t userId, const std::string& csrf,
                       int64_t expiresAt, const std::string& ip);
    std::optional<SessionRecord> findSession(const std::string& idHash);
    void deleteSession(const std::string& idHash);
    int64_t deleteExpiredSessions();

    // Courses and enrollments.
    Course createCourse(const std::string& code, const std::string& title);
    std::optional<Course> findCourse(int64_t id);
    std::optional<Course> findCourseByCode(const std::string& code);
    std::vector<Course> listCourses();
    std::vector<Course> listCoursesOf(int64_t userId);
    void updateCourse(const Course& c);
    void enroll(int64_t courseId, int64_t userId, Role role);
    bool unenroll(int64_t courseId, int64_t userId);
    std::optional<Role> enrollmentRole(int64_t courseId, int64_t userId);
    std::vector<std::pair<User, Role>> listEnrollments(int64_t courseId);

    // Assignments. Every change creates a new version; a published version never changes.
    Assignment createAssignment(int64_t courseId, const std::string& slug, const std::string& title,
                                const std::string& manifestJson, const FileMap& files,
                                std::optional<int64_t> by);
    int addVersion(int64_t assignmentId, const std::string& title, const std::string& manifestJson,
                   const FileMap& files, std::optional<int64_t> by);
    void publish(int64_t assignmentId, int version);
    std::optional<Assignment> findAssignment(int64_t id);
    std::optional<Assignment> findAssignmentBySlug(int64_t courseId, const std::string& slug);
    std::vector<Assignment> listAssignments(int64_t courseId);
    std::optional<AssignmentVersion> findVersion(int64_t assignmentId, int version);
    std::optional<AssignmentVersion> findVersionById(int64_t versionId);
    bool deleteAssignment(int64_t id);  // false when it has submissions

    // Submissions and results.
    Submission createSubmission(int64_t assignmentId, int64_t versionId, int64_t userId,
                                const std::string& kind, const FileMap& files,
                                const std::string& ip);
    std::optional<Submission> findSubmission(int64_t id);
    std::vector<Submission> listSubmissions(int64_t assignmentId, std::optional<int64_t> userId,
                                            int limit = 200);
    std::vector<Submission> submissionsWithStatus(const std::string& status, int limit = 1000);
    // Moves a submission from one status to another; false if it was not in `from`.
    bool transition(int64_t submissionId, const std::string& from, const std::string& to);
    void saveResults(int64_t submissionId, double score, double maxScore,
                     const std::vector<TestResult>& results);
    // Inside the caller's transaction: records the results only if the submission is still
    // "running" (so a result is never recorded twice); returns whether it did.
    static bool saveResultsIn(db::Connection& c, int64_t submissionId, double score,
                              double maxScore, const std::vector<TestResult>& results);
    // After a crash: submissions left "running" go back to "queued". Returns how many.
    int64_t requeueRunning();
    // Practice runs that count for pacing (not refused), and when the latest was made.
    struct RunCount {
        int count = 0;
        std::optional<int64_t> lastAt;
    };
    RunCount countRuns(int64_t userId, int64_t assignmentId);
    RunCount countCourseRuns(int64_t userId, int64_t courseId);
    std::vector<TestResult> results(int64_t submissionId);

    // The append-only event log.
    void logEvent(const Event& e);
    std::vector<Event> listEvents(const EventFilter& f);
    int64_t countEvents(const std::string& action, const std::string& target, int64_t sinceMs);

    // Small named values (first-start flags and the like).
    std::optional<std::string> setting(const std::string& name);
    void setSetting(const std::string& name, const std::string& value);

    // Serialisation of file maps for storage.
    static std::string packFiles(const FileMap& files);
    static FileMap unpackFiles(const std::string& bytes);

  private:
    db::Database& db_;
};

}  // namespace assay
