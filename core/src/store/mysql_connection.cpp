// MySQL/MariaDB engine through MySQL Connector/C++ (the JDBC-style 1.1 API Debian ships).
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <Poco/URI.h>

#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "engines.h"

namespace assay::db {
namespace {

DbError translate(const sql::SQLException& e, const std::string& context) {
    DbError::Kind kind = DbError::Kind::Other;
    switch (e.getErrorCode()) {
        case 1062:  // duplicate entry
        case 1451:  // foreign key (parent)
        case 1452:  // foreign key (child)
        case 1048:  // column cannot be null
            kind = DbError::Kind::Constraint;
            break;
        case 1205:  // lock wait timeout
        case 1213:  // deadlock
            kind = DbError::Kind::Busy;
            break;
        case 2002:
        case 2003:
        case 2006:
        case 2013:
            kind = DbError::Kind::Connection;
            break;
        default:
            break;
    }
    return DbError(kind, "mysql: " + std::string(e.what()) + " (" +
                             std::to_string(e.getErrorCode()) + ") " + context);
}

class MysqlConnection : public Connection {
  public:
    explicit MysqlConnection(const MysqlTarget& t) {
        sql::ConnectOptionsMap opts;
        if (!t.socket.empty())
            opts["socket"] = sql::SQLString(t.socket);
        else
            opts["hostName"] = sql::SQLString("tcp://" + t.host + ":" + std::to_string(t.port));
        opts["userName"] = sql::SQLString(t.user);
        opts["password"] = sql::SQLString(t.password);
        opts["schema"] = sql::SQLString(t.database);
        opts["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
        opts["OPT_RECONNECT"] = false;
        // Report matched rather than changed rows, as SQLite does, so callers see the same counts.
        opts["CLIENT_FOUND_ROWS"] = true;
        opts["OPT_CONNECT_TIMEOUT"] = 10;
        try {
            conn_.reset(sql::mysql::get_mysql_driver_instance()->connect(opts));
            std::unique_ptr<sql::Statement> st(conn_->createStatement());
            st->execute(
                "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ONLY_FULL_GROUP_BY'");
            st->execute("SET SESSION time_zone = '+00:00'");
        } catch (const sql::SQLException& e) {
            throw translate(
                e, "connecting to " + t.host + ":" + std::to_string(t.port) + "/" + t.database);
        }
    }

    std::vector<Row> query(const std::string& sql, const std::vector<Value>& params) override {
        try {
            auto* ps = prepare(sql, params);
            std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
            sql::ResultSetMetaData* meta = rs->getMetaData();
            const unsigned n = meta->getColumnCount();
            std::vector<int> kinds(n);
            for (unsigned i = 0; i < n; ++i)
                kinds[i] = meta->getColumnType(i + 1);
            std::vector<Row> rows;
            while (rs->next()) {
                std::vector<Value> cols;
                cols.reserve(n);
                for (unsigned i = 1; i <= n; ++i) {
                    if (rs->isNull(i)) {
                        cols.emplace_back(Null{});
                        continue;
                    }
                    switch (kinds[i - 1]) {
                        case sql::DataType::BIT:
                        case sql::DataType::TINYINT:
                        case sql::DataType::SMALLINT:
                        case sql::DataType::MEDIUMINT:
                        case sql::DataType::INTEGER:
                        case sql::DataType::BIGINT:
                            cols.emplace_back(static_cast<int64_t>(rs->getInt64(i)));
                            break;
                        case sql::DataType::REAL:
                        case sql::DataType::DOUBLE:
                        case sql::DataType::DECIMAL:
                        case sql::DataType::NUMERIC:
                            cols.emplace_back(static_cast<double>(rs->getDouble(i)));
                            break;
                        default:
                            cols.emplace_back(rs->getString(i).asStdString());
                            break;
                    }
                }
                rows.emplace_back(std::move(cols));
            }
            return rows;
        } catch (const sql::SQLException& e) {
            throw translate(e, "in: " + sql);
        }
    }

    int64_t execute(const std::string& sql, const std::vector<Value>& params) override {
        try {
            return prepare(sql, params)->executeUpdate();
        } catch (const sql::SQLException& e) {
            throw translate(e, "in: " + sql);
        }
    }

    int64_t insert(const std::string& sql, const std::vector<Value>& params) override {
        execute(sql, params);
        auto rows = query("SELECT LAST_INSERT_ID()", {});
        return rows.empty() ? 0 : rows[0].integer(0);
    }

    void script(const std::string& sqlText) override {
        std::unique_ptr<sql::Statement> st(conn_->createStatement());
        std::stringstream in(sqlText);
        std::string stmt;
        while (std::getline(in, stmt, ';')) {
            if (stmt.find_first_not_of(" \t\r\n") == std::string::npos) continue;
            try {
                st->execute(stmt);
            } catch (const sql::SQLException& e) {
                throw translate(e, "in: " + stmt);
            }
        }
    }

    void begin(bool) override { script("START TRANSACTION"); }
    void commit() override { script("COMMIT"); }
    void rollback() override { script("ROLLBACK"); }
    bool alive() override {
        try {
            return conn_->isValid();
        } catch (...) {
            return false;
        }
    }

  private:
    sql::PreparedStatement* prepare(const std::string& sql, const std::vector<Value>& params) {
        auto it = cache_.find(sql);
        if (it == cache_.end()) {
            if (cache_.size() > 256) cache_.clear();
            it = cache_
                     .emplace(sql,
                              std::unique_ptr<sql::PreparedStatement>(conn_->prepareStatement(sql)))
                     .first;
        }
        sql::PreparedStatement* ps = it->second.get();
        blobs_.clear();
        unsigned i = 1;
        for (const auto& p : params) {
            if (std::holds_alternative<Null>(p))
                ps->setNull(i, sql::DataType::VARCHAR);
            else if (auto x = std::get_if<int64_t>(&p))
                ps->setInt64(i, *x);
            else if (auto d = std::get_if<double>(&p))
                ps->setDouble(i, *d);
            else if (auto s = std::get_if<std::string>(&p))
                ps->setString(i, sql::SQLString(*s));
            else if (auto b = std::get_if<Blob>(&p)) {
                blobs_.push_back(std::make_unique<std::istringstream>(b->bytes));
                ps->setBlob(i, blobs_.back().get());
            }
            ++i;
        }
        return ps;
    }

    std::unique_ptr<sql::Connection> conn_;
    std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> cache_;
    std::vector<std::unique_ptr<std::istringstream>> blobs_;  // must outlive execute()
};

}  // namespace

MysqlTarget parseMysqlUrl(const std::string& url) {
    Poco::URI uri(url);
    if (uri.getScheme() != "mysql" && uri.getScheme() != "mariadb")
        throw DbError(DbError::Kind::Connection, "database URL must start with mysql://");
    MysqlTarget t;
    t.host = uri.getHost().empty() ? "127.0.0.1" : uri.getHost();
    t.port = uri.getPort() ? uri.getPort() : 3306;
    std::string info = uri.getUserInfo();
    auto colon = info.find(':');
    std::string user = colon == std::string::npos ? info : info.substr(0, colon);
    std::string pass = colon == std::string::npos ? "" : info.substr(colon + 1);
    Poco::URI::decode(user, t.user);
    Poco::URI::decode(pass, t.password);
    t.database = uri.getPath();
    while (!t.database.empty() && t.database.front() == '/')
        t.database.erase(0, 1);
    if (t.database.empty())
        throw DbError(DbError::Kind::Connection, "database URL names no database");
    for (const auto& [k, val] : uri.getQueryParameters())
        if (k == "socket") t.socket = val;
    return t;
}

std::unique_ptr<Connection> openMysql(const MysqlTarget& target) {
    return std::make_unique<MysqlConnection>(target);
}

std::unique_ptr<Database> open(const std::string& url, int poolSize, int busyTimeoutMs) {
    if (url.rfind("sqlite:", 0) == 0) {
        std::string path = url.substr(7);
        // SQLite allows one writer; a small pool of readers is enough.
        return std::make_unique<Database>(
            Dialect::SQLite, std::min(poolSize, 8),
            [path, busyTimeoutMs] { return openSqlite(path, busyTimeoutMs); }, "sqlite:" + path);
    }
    MysqlTarget t = parseMysqlUrl(url);
    return std::make_unique<Database>(
        Dialect::MySQL, poolSize, [t] { return openMysql(t); },
        "mysql://" + t.user + "@" +
            (t.socket.empty() ? t.host + ":" + std::to_string(t.port) : t.socket) + "/" +
            t.database);
}

}  // namespace assay::db
