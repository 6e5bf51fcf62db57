#include "assay/core/store/migrations.h"

#include <chrono>

namespace assay::db {
namespace {

// Tokens: {ID} auto-increment primary key, {KEY} indexable string, {TEXT} large text,
// {BLOB} large binary, {TABLE} table options.
const std::vector<Migration>& coreMigrations() {
    static const std::vector<Migration> all = {
        {1,
         "core_schema",
         {
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS users (
                id {ID}, username {KEY} NOT NULL UNIQUE, display_name {KEY} NOT NULL DEFAULT '',
                email {KEY} NOT NULL DEFAULT '', role VARCHAR(16) NOT NULL, password_hash VARCHAR(255),
                must_change_password INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS api_tokens (
                id {ID}, user_id BIGINT NOT NULL, name {KEY} NOT NULL, token_hash CHAR(64) NOT NULL UNIQUE,
                prefix VARCHAR(16) NOT NULL, created_at BIGINT NOT NULL, last_used_at BIGINT,
                revoked INTEGER NOT NULL DEFAULT 0, FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS sessions (
                id_hash CHAR(64) NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, csrf_token VARCHAR(64) NOT NULL,
                created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, ip VARCHAR(64) NOT NULL DEFAULT '',
                FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
             MigrationStep::index("idx_sessions_user", "sessions", "user_id"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS courses (
                id {ID}, code {KEY} NOT NULL UNIQUE, title VARCHAR(400) NOT NULL, created_at BIGINT NOT NULL){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS enrollments (
                course_id BIGINT NOT NULL, user_id BIGINT NOT NULL, role VARCHAR(16) NOT NULL,
                created_at BIGINT NOT NULL, PRIMARY KEY (course_id, user_id),
                FOREIGN KEY (course_id) REFERENCES courses(id), FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
             MigrationStep::index("idx_enrollments_user", "enrollments", "user_id"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS assignments (
                id {ID}, course_id BIGINT NOT NULL, slug {KEY} NOT NULL, title VARCHAR(400) NOT NULL,
                latest_version INTEGER NOT NULL, published_version INTEGER, created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL, UNIQUE (course_id, slug),
                FOREIGN KEY (course_id) REFERENCES courses(id)){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS assignment_versions (
                id {ID}, assignment_id BIGINT NOT NULL, version INTEGER NOT NULL, manifest {TEXT} NOT NULL,
                files {BLOB} NOT NULL, created_by BIGINT, created_at BIGINT NOT NULL, published_at BIGINT,
                UNIQUE (assignment_id, version), FOREIGN KEY (assignment_id) REFERENCES assignments(id)){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS submissions (
                id {ID}, assignment_id BIGINT NOT NULL, assignment_version_id BIGINT NOT NULL,
                user_id BIGINT NOT NULL, kind VARCHAR(8) NOT NULL, ordinal INTEGER NOT NULL,
                files {TEXT} NOT NULL, status VARCHAR(16) NOT NULL, score DOUBLE PRECISION,
                max_score DOUBLE PRECISION, created_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT,
                client_ip VARCHAR(64) NOT NULL DEFAULT '',
                FOREIGN KEY (assignment_id) REFERENCES assignments(id),
                FOREIGN KEY (assignment_version_id) REFERENCES assignment_versions(id),
                FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
             MigrationStep::index("idx_submissions_ordinal", "submissions",
                                  "assignment_id, user_id, kind, ordinal", true),
             MigrationStep::index("idx_submissions_status", "submissions", "status"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS results (
                id {ID}, submission_id BIGINT NOT NULL, test_name {KEY} NOT NULL, passed INTEGER NOT NULL,
                points DOUBLE PRECISION NOT NULL, max_points DOUBLE PRECISION NOT NULL,
                hidden INTEGER NOT NULL DEFAULT 0, feedback {TEXT}, details {TEXT},
                UNIQUE (submission_id, test_name), FOREIGN KEY (submission_id) REFERENCES submissions(id)){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS events (
                id {ID}, at BIGINT NOT NULL, user_id BIGINT, action {KEY} NOT NULL, target {KEY} NOT NULL DEFAULT '',
                ip VARCHAR(64) NOT NULL DEFAULT '', request_id VARCHAR(32) NOT NULL DEFAULT '',
                details {TEXT}){TABLE})"),
             MigrationStep::index("idx_events_at", "events", "at"),
             MigrationStep::index("idx_events_action", "events", "action, target"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS settings (
                name {KEY} NOT NULL PRIMARY KEY, value {TEXT} NOT NULL){TABLE})"),
         }},
        {2,
         "plugins_and_outbox",
         {
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS plugin_kv (
                plugin {KEY} NOT NULL, k {KEY} NOT NULL, v {BLOB} NOT NULL, updated_at BIGINT NOT NULL,
                PRIMARY KEY (plugin, k)){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS bus_events (
                id {ID}, type {KEY} NOT NULL, payload {TEXT} NOT NULL, at BIGINT NOT NULL){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS outbox (
                id {ID}, event_id BIGINT NOT NULL, sink {KEY} NOT NULL, attempts INTEGER NOT NULL,
                next_attempt_at BIGINT NOT NULL, delivered_at BIGINT, last_error {TEXT}, created_at BIGINT NOT NULL,
                FOREIGN KEY (event_id) REFERENCES bus_events(id)){TABLE})"),
             MigrationStep::index("idx_outbox_due", "outbox", "delivered_at, next_attempt_at"),
         }},
    };
    return all;
}

std::string expand(const std::string& sql, Dialect d) {
    const bool my = d == Dialect::MySQL;
    std::string out = sql;
    auto replaceAll = [&](const std::string& token, const std::string& with) {
        for (size_t p = out.find(token); p != std::string::npos;
             p = out.find(token, p + with.size()))
            out.replace(p, token.size(), with);
    };
    replaceAll("{ID}", my ? "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
                          : "INTEGER PRIMARY KEY AUTOINCREMENT");
    replaceAll("{KEY}", "VARCHAR(191)");
    replaceAll("{TEXT}", my ? "LONGTEXT" : "TEXT");
    replaceAll("{BLOB}", my ? "LONGBLOB" : "BLOB");
    replaceAll("{TABLE}", my ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "");
    return out;
}

void applyStep(Connection& c, const MigrationStep& s, Dialect d) {
    if (s.indexName.empty()) {
        c.script(expand(s.text, d));
        return;
    }
    const std::string create = std::string("CREATE ") + (s.unique ? "UNIQUE " : "") + "INDEX ";
    if (d == Dialect::SQLite) {
        c.script(create + "IF NOT EXISTS " + s.indexName + " ON " + s.indexTable + " (" +
                 s.indexColumns + ")");
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
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (module VARCHAR(64) NOT NULL, version INTEGER "
    "NOT NULL, "
    "name VARCHAR(191) NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))";

int moduleVersion(Connection& c, const std::string& module) {
    auto rows = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = ?",
                        {module});
    return rows.empty() ? 0 : static_cast<int>(rows[0].integer(0));
}

void applyModule(Connection& c, Dialect d, const std::string& module,
                 const std::vector<Migration>& list, MigrationReport& report) {
    const int from = moduleVersion(c, module);
    for (const auto& m : list) {
        if (m.version <= from) continue;
        if (d == Dialect::SQLite) c.begin(true);
        try {
            for (const auto& s : m.steps)
                applyStep(c, s, d);
            c.execute(
                "INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (?, ?, "
                "?, ?)",
                {module, int64_t{m.version}, m.name, nowMs()});
            if (d == Dialect::SQLite) c.commit();
        } catch (...) {
            if (d == Dialect::SQLite) c.rollback();
            throw;
        }
        report.applied.push_back(module + " " + std::to_string(m.version) + " " + m.name);
    }
}

}  // namespace

MigrationStep MigrationStep::sql(std::string text) {
    return MigrationStep{std::move(text), "", "", "", false};
}

MigrationStep MigrationStep::index(std::string name, std::string table, std::string cols,
                                   bool unique) {
    return MigrationStep{"", std::move(name), std::move(table), std::move(cols), unique};
}

int latestSchemaVersion() {
    return coreMigrations().back().version;
}

int currentSchemaVersion(Database& db) {
    Handle h = db.acquire();
    h->script(kCreateVersionTable);
    return moduleVersion(*h, "core");
}

MigrationReport migrate(Database& db, const std::vector<ModuleMigrations>& modules) {
    MigrationReport report;
    Handle h = db.acquire();
    const Dialect d = db.dialect();
    h->script(kCreateVersionTable);
    // Two processes migrating at once (assayd and `assay db migrate`) must not interleave.
    if (d == Dialect::MySQL) h->query("SELECT GET_LOCK('assay_migrate', 60)");
    try {
        report.fromVersion = moduleVersion(*h, "core");
        applyModule(*h, d, "core", coreMigrations(), report);
        for (const auto& m : modules)
            applyModule(*h, d, m.module, m.migrations, report);
        report.toVersion = moduleVersion(*h, "core");
    } catch (...) {
        if (d == Dialect::MySQL) h->query("SELECT RELEASE_LOCK('assay_migrate')");
        throw;
    }
    if (d == Dialect::MySQL) h->query("SELECT RELEASE_LOCK('assay_migrate')");
    return report;
}

}  // namespace assay::db
