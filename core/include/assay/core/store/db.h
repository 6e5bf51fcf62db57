#pragma once
// A small SQL layer with two engines: SQLite (embedded default) and MySQL/MariaDB (production).
// Repositories write portable SQL with `?` placeholders once; the engine binds the values.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace assay::db {

struct Blob {
    std::string bytes;
};
struct Null {};
using Value = std::variant<Null, int64_t, double, std::string, Blob>;

// Makes `params` lists read naturally: {db::v(id), db::v(name)} or just {id, name}.
inline Value v(int64_t x) {
    return Value(x);
}
inline Value v(const std::string& s) {
    return Value(s);
}

class Row {
  public:
    explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
    size_t size() const { return cols_.size(); }
    bool isNull(size_t i) const { return std::holds_alternative<Null>(cols_.at(i)); }
    int64_t integer(size_t i) const;   // 0 for NULL
    double number(size_t i) const;     // 0 for NULL
    std::string text(size_t i) const;  // "" for NULL
    const Value& raw(size_t i) const { return cols_.at(i); }

  private:
    std::vector<Value> cols_;
};

enum class Dialect { SQLite, MySQL };

class DbError : public std::runtime_error {
  public:
    enum class Kind { Other, Constraint, Busy, Connection };
    DbError(Kind kind, const std::string& msg) : std::runtime_error(msg), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

class Connection {
  public:
    virtual ~Connection() = default;
    virtual std::vector<Row> query(const std::string& sql,
                                   const std::vector<Value>& params = {}) = 0;
    // Returns the number of rows changed.
    virtual int64_t execute(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    // Runs an INSERT and returns the generated id.
    virtual int64_t insert(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    // Several statements separated by ';' (DDL in migrations).
    virtual void script(const std::string& sql) = 0;
    virtual void begin(bool write) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual bool alive() = 0;
};

struct PoolStats {
    int size = 0;
    int inUse = 0;
    uint64_t waits = 0;  // acquisitions that had to wait for a free connection
};

class Database;

// A connection borrowed from the pool; returned when this goes out of scope.
class Handle {
  public:
    Handle(Database* owner, std::unique_ptr<Connection> conn)
        : owner_(owner), conn_(std::move(conn)) {}
    Handle(Handle&&) noexcept = default;
    Handle& operator=(Handle&&) = delete;
    ~Handle();
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }
    void discard() { broken_ = true; }

  private:
    Database* owner_;
    std::unique_ptr<Connection> conn_;
    bool broken_ = false;
};

class Database {
  public:
    using Factory = std::function<std::unique_ptr<Connection>()>;
    Database(Dialect dialect, int poolSize, Factory factory, std::string description);
    ~Database();

    Dialect dialect() const { return dialect_; }
    const std::string& description() const { return description_; }
    Handle acquire(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    PoolStats stats() const;

    // Runs `fn` inside a transaction; commits when it returns, rolls back when it throws.
    template <typename F>
    auto transaction(F&& fn, bool write = true) {
        Handle h = acquire();
        h->begin(write);
        try {
            if constexpr (std::is_void_v<decltype(fn(*h))>) {
                fn(*h);
                h->commit();
            } else {
                auto result = fn(*h);
                h->commit();
                return result;
            }
        } catch (...) {
            try {
                h->rollback();
            } catch (...) {
                h.discard();
            }
            throw;
        }
    }

  private:
    friend class Handle;
    void release(std::unique_ptr<Connection> conn, bool broken);

    Dialect dialect_;
    int poolSize_;
    Factory factory_;
    std::string description_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Connection>> idle_;
    int open_ = 0;
    int inUse_ = 0;
    uint64_t waits_ = 0;
};

// Opens "sqlite:PATH" or "mysql://USER:PASSWORD@HOST:PORT/DB". Throws DbError on failure.
std::unique_ptr<Database> open(const std::string& url, int poolSize, int busyTimeoutMs);

}  // namespace assay::db
