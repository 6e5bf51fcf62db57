#include "assay/core/store/migrations.h"

#include <chrono>

namespace assay::db {
namespace {

// A step is plain SQL with a few portable tokens, or an index to create if it is missing.
struct Step {
    std::string sql;
    std::string indexName, indexTable, indexColumns;
    bool unique = false;
};

Step sql(std::string text) { return Step{std::move(text), "", "", "", false}; }

Step index(std::string name, std::string table, std::string cols, bool unique = false) {
    return Step{"", std::move(name), std::move(table), std::move(cols), unique};
}

struct Migration {
    int version;
    const char* name;
    std::vector<Step> steps;
};

// Tokens: {ID} auto-increment primary key, {KEY} indexable string, {TEXT} large text,
// {BLOB} large binary, {TABLE} table options.
const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1, "core_schema", {
            sql(R"(CREATE TABLE IF NOT EXISTS users (
                id {ID}, username {KEY} NOT NULL UNIQUE, display_name {KEY} NOT NULL DEFAULT '',
                email {KEY} NOT NULL DEFAULT '', role VARCHAR(16) NOT NULL, password_hash VARCHAR(255),
                must_change_password INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL){TABLE})"),
            sql(R"(CREATE TABLE IF NOT EXISTS api_tokens (
                id {ID}, user_id BIGINT NOT NULL, name {KEY} NOT NULL, token_hash CHAR(64) NOT NULL UNIQUE,
                prefix VARCHAR(16) NOT NULL, created_at BIGINT NOT NULL, last_used_at BIGINT,
                revoked INTEGER NOT NULL DEFAULT 0, FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
            sql(R"(CREATE TABLE IF NOT EXISTS sessions (
                id_hash CHAR(64) NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, csrf_token VARCHAR(64) NOT NULL,
                created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, ip VARCHAR(64) NOT NULL DEFAULT '',
                FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
            index("idx_sessions_user", "sessions", "user_id"),
            sql(R"(CREATE TABLE IF NOT EXISTS courses (
                id {ID}, code {KEY} NOT NULL UNIQUE, title VARCHAR(400) NOT NULL, created_at BIGINT NOT NULL){TABLE})"),
            sql(R"(CREATE TABLE IF NOT EXISTS enrollments (
                course_id BIGINT NOT NULL, user_id BIGINT NOT NULL, role VARCHAR(16) NOT NULL,
                created_at BIGINT NOT NULL, PRIMARY KEY (course_id, user_id),
                FOREIGN KEY (course_id) REFERENCES courses(id), FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
            index("idx_enrollments_user", "enrollments", "user_id"),
            sql(R"(CREATE TABLE IF NOT EXISTS assignments (
                id {ID}, course_id BIGINT NOT NULL, slug {KEY} NOT NULL, title VARCHAR(400) NOT NULL,
                latest_version INTEGER NOT NULL, published_version INTEGER, created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL, UNIQUE (course_id, slug),
                FOREIGN KEY (course_id) REFERENCES courses(id)){TABLE})"),
            sql(R"(CREATE TABLE IF NOT EXISTS assignment_versions (
                id {ID}, assignment_id BIGINT NOT NULL, version INTEGER NOT NULL, manifest {TEXT} NOT NULL,
                files {BLOB} NOT NULL, created_by BIGINT, created_at BIGINT NOT NULL, published_at BIGINT,
                UNIQUE (assignment_id, version), FOREIGN KEY (assignment_id) REFERENCES assignments(id)){TABLE})"),
            sql(R"(CREATE TABLE IF NOT EXISTS submissions (
                id {ID}, assignment_id BIGINT NOT NULL, assignment_version_id BIGINT NOT NULL,
                user_id BIGINT NOT NULL, kind VARCHAR(8) NOT NULL, ordinal INTEGER NOT NULL,
                files {TEXT} NOT NULL, status VARCHAR(16) NOT NULL, score DOUBLE PRECISION,
                max_score DOUBLE PRECISION, created_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT,
                client_ip VARCHAR(64) NOT NULL DEFAULT '',
                FOREIGN KEY (assignment_id) REFERENCES assignments(id),
                FOREIGN KEY (assignment_version_id) REFERENCES assignment_versions(id),
                FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
            index("idx_submissions_ordinal", "submissions", "assignment_id, user_id, kind, ordinal", true),
            index("idx_submissions_status", "submissions", "status"),
            sql(R"(CREATE TABLE IF NOT EXISTS results (
                id {ID}, submission_id BIGINT NOT NULL, test_name {KEY} NOT NULL, passed INTEGER NOT NULL,
                points DOUBLE PRECISION NOT NULL, max_points DOUBLE PRECISION NOT NULL,
                hidden INTEGER NOT NULL DEFAULT 0, feedback {TEXT}, details {TEXT},
                UNIQUE (submission_id, test_name), FOREIGN KEY (submission_id) REFERENCES submissions(id)){TABLE})"),
            sql(R"(CREATE TABLE IF NOT EXISTS events (
                id {ID}, at BIGINT NOT NULL, user_id BIGINT, action {KEY} NOT NULL, target {KEY} NOT NULL DEFAULT '',
                ip VARCHAR(64) NOT NULL DEFAULT '', request_id VARCHAR(32) NOT NULL DEFAULT '',
                details {TEXT}){TABLE})"),
            index("idx_events_at", "events", "at"),
            index("idx_events_action", "events", "action, target"),
            sql(R"(CREATE TABLE IF NOT EXISTS settings (
                name {KEY} NOT NULL PRIMARY KEY, value {TEXT} NOT NULL){TABLE})"),
        }},
        {2, "plugins_and_outbox", {
            sql(R"(CREATE TABLE IF NOT EXISTS plugin_kv (
                plugin {KEY} NOT NULL, k {KEY} NOT NULL, v {BLOB} NOT NULL, updated_at BIGINT NOT NULL,
                PRIMARY KEY (plugin, k)){TABLE})"),
            sql(R"(CREATE TABLE IF NOT EXISTS bus_events (
                id {ID}, type {KEY} NOT NULL, payload {TEXT} NOT NULL, at BIGINT NOT NULL){TABLE})"),
            sql(R"(CREATE TABLE IF NOT EXISTS outbox (
                id {ID}, event_id BIGINT NOT NULL, sink {KEY} NOT NULL, attempts INTEGER NOT NULL,
                next_attempt_at BIGINT NOT NULL, delivered_at BIGINT, last_error {TEXT}, created_at BIGINT NOT NULL,
                FOREIGN KEY (event_id) REFERENCES bus_events(id)){TABLE})"),
            index("idx_outbox_due", "outbox", "delivered_at, next_attempt_at"),
        }},
    };
    return all;
}

std::string expand(const std::string& sql, Dialect d) {
    const bool my = d == Dialect::MySQL;
    std::string out = sql;
    auto replaceAll = [&](const std::string& token, const std::string& with) {
        for (size_t p = out.find(token); p != std::string::npos; p = out.find(token, p + with.size()))
            out.replace(p, token.size(), with);
    };
    replaceAll("{ID}", my ? "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
    replaceAll("{KEY}", "VARCHAR(191)");
    replaceAll("{TEXT}", my ? "LONGTEXT" : "TEXT");
    replaceAll("{BLOB}", my ? "LONGBLOB" : "BLOB");
    replaceAll("{TABLE}", my ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "");
    return out;
}

void applyStep(Connection& c, const Step& s, Dialect d) {
    if (s.indexName.empty()) {
        c.script(expand(s.sql, d));
        return;
    }
    const std::string create = std::string("CREATE ") + (s.unique ? "UNIQUE " : "") + "INDEX ";
    if (d == Dialect::SQLite) {
        c.script(create + "IF NOT EXISTS " + s.indexName + " ON " + s.indexTable + " (" + s.indexColumns + ")");
        return;
    }
    auto rows = c.query(
        "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() "
        "AND table_name = ? AND index_name = ?",
        {s.indexTable, s.indexName});
    if (rows.empty() || rows[0].integer(0) == 0)
        c.script(create + s.indexName + " ON " + s.indexTable + " (" + s.indexColumns + ")");
}

int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
    "name VARCHAR(191) NOT NULL, applied_at BIGINT NOT NULL)";

}  // namespace

int latestSchemaVersion() { return migrations().back().version; }

int currentSchemaVersion(Database& db) {
    Handle h = db.acquire();
    h->script(kCreateVersionTable);
    auto rows = h->query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return rows.empty() ? 0 : static_cast<int>(rows[0].integer(0));
}

MigrationReport migrate(Database& db) {
    MigrationReport report;
    Handle h = db.acquire();
    const Dialect d = db.dialect();
    h->script(kCreateVersionTable);
    // Two processes migrating at once (assayd and `assay db migrate`) must not interleave.
    if (d == Dialect::MySQL) h->query("SELECT GET_LOCK('assay_migrate', 60)");
    try {
        auto rows = h->query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        report.fromVersion = report.toVersion = static_cast<int>(rows[0].integer(0));
        for (const auto& m : migrations()) {
            if (m.version <= report.toVersion) continue;
            if (d == Dialect::SQLite) h->begin(true);
            try {
                for (const auto& s : m.steps) applyStep(*h, s, d);
                h->execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                           {int64_t{m.version}, std::string(m.name), nowMs()});
                if (d == Dialect::SQLite) h->commit();
            } catch (...) {
                if (d == Dialect::SQLite) h->rollback();
                throw;
            }
            report.toVersion = m.version;
            report.applied.push_back(std::to_string(m.version) + " " + m.name);
        }
    } catch (...) {
        if (d == Dialect::MySQL) h->query("SELECT RELEASE_LOCK('assay_migrate')");
        throw;
    }
    if (d == Dialect::MySQL) h->query("SELECT RELEASE_LOCK('assay_migrate')");
    return report;
}

}  // namespace assay::db
