// SQLite engine. Poco::Data::SQLite opens and owns the database handle; statements are
// prepared once per connection and cached, and values are bound through SQLite's C API.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <mutex>
#include <unordered_map>

#include "assay/core/store/db.h"
#include "engines.h"

namespace assay::db {
namespace {

class SqliteConnection : public Connection {
  public:
    SqliteConnection(const std::string& path, int busyTimeoutMs)
        : session_("SQLite", path), db_(Poco::Data::SQLite::Utility::dbHandle(session_)) {
        sqlite3_busy_timeout(db_, busyTimeoutMs);
        script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    }

    ~SqliteConnection() override {
        for (auto& [sql, stmt] : cache_)
            sqlite3_finalize(stmt);
    }

    std::vector<Row> query(const std::string& sql, const std::vector<Value>& params) override {
        sqlite3_stmt* stmt = prepare(sql, params);
        std::vector<Row> rows;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            const int n = sqlite3_column_count(stmt);
            std::vector<Value> cols;
            cols.reserve(n);
            for (int i = 0; i < n; ++i)
                cols.push_back(column(stmt, i));
            rows.emplace_back(std::move(cols));
        }
        finish(stmt, rc, sql);
        return rows;
    }

    int64_t execute(const std::string& sql, const std::vector<Value>& params) override {
        sqlite3_stmt* stmt = prepare(sql, params);
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        }
        finish(stmt, rc, sql);
        return sqlite3_changes(db_);
    }

    int64_t insert(const std::string& sql, const std::vector<Value>& params) override {
        execute(sql, params);
        return sqlite3_last_insert_rowid(db_);
    }

    void script(const std::string& sql) override {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw DbError(kindOf(sqlite3_errcode(db_)), "sqlite: " + msg);
        }
    }

    // Writers take the lock up front so two transactions never deadlock upgrading a read lock.
    void begin(bool write) override { script(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
    void commit() override { script("COMMIT"); }
    void rollback() override { script("ROLLBACK"); }
    bool alive() override { return true; }

  private:
    static DbError::Kind kindOf(int rc) {
        switch (rc & 0xff) {
            case SQLITE_CONSTRAINT:
                return DbError::Kind::Constraint;
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                return DbError::Kind::Busy;
            default:
                return DbError::Kind::Other;
        }
    }

    sqlite3_stmt* prepare(const std::string& sql, const std::vector<Value>& params) {
        sqlite3_stmt* stmt = nullptr;
        auto it = cache_.find(sql);
        if (it != cache_.end()) {
            stmt = it->second;
        } else {
            if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt,
                                   nullptr) != SQLITE_OK)
                throw DbError(DbError::Kind::Other,
                              std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + sql);
            if (cache_.size() > 256) {
                for (auto& [s, st] : cache_)
                    sqlite3_finalize(st);
                cache_.clear();
            }
            cache_.emplace(sql, stmt);
        }
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        int i = 1;
        for (const auto& p : params) {
            int rc = SQLITE_OK;
            if (std::holds_alternative<Null>(p))
                rc = sqlite3_bind_null(stmt, i);
            else if (auto x = std::get_if<int64_t>(&p))
                rc = sqlite3_bind_int64(stmt, i, *x);
            else if (auto d = std::get_if<double>(&p))
                rc = sqlite3_bind_double(stmt, i, *d);
            else if (auto s = std::get_if<std::string>(&p))
                rc = sqlite3_bind_text64(stmt, i, s->data(), s->size(), SQLITE_TRANSIENT,
                                         SQLITE_UTF8);
            else if (auto b = std::get_if<Blob>(&p))
                rc = sqlite3_bind_blob64(stmt, i, b->bytes.data(), b->bytes.size(),
                                         SQLITE_TRANSIENT);
            if (rc != SQLITE_OK)
                throw DbError(DbError::Kind::Other,
                              std::string("sqlite bind: ") + sqlite3_errmsg(db_));
            ++i;
        }
        return stmt;
    }

    void finish(sqlite3_stmt* stmt, int rc, const std::string& sql) {
        if (rc != SQLITE_DONE) {
            std::string msg = sqlite3_errmsg(db_);
            sqlite3_reset(stmt);
            throw DbError(kindOf(rc), "sqlite: " + msg + " in: " + sql);
        }
        sqlite3_reset(stmt);
    }

    static Value column(sqlite3_stmt* stmt, int i) {
        switch (sqlite3_column_type(stmt, i)) {
            case SQLITE_INTEGER:
                return sqlite3_column_int64(stmt, i);
            case SQLITE_FLOAT:
                return sqlite3_column_double(stmt, i);
            case SQLITE_TEXT:
                return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                                   static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
            case SQLITE_BLOB: {
                const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
                return Blob{
                    std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i)))};
            }
            default:
                return Null{};
        }
    }

    Poco::Data::Session session_;
    sqlite3* db_;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

std::unique_ptr<Connection> openSqlite(const std::string& path, int busyTimeoutMs) {
    static std::once_flag registered;
    std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
    try {
        return std::make_unique<SqliteConnection>(path, busyTimeoutMs);
    } catch (const Poco::Exception& e) {
        throw DbError(DbError::Kind::Connection,
                      "cannot open SQLite database '" + path + "': " + e.displayText());
    }
}

}  // namespace assay::db
