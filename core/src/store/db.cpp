#include "assay/core/store/db.h"

#include <charconv>

namespace assay::db {

int64_t Row::integer(size_t i) const {
    const Value& v = cols_.at(i);
    if (auto p = std::get_if<int64_t>(&v)) return *p;
    if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
    if (auto p = std::get_if<std::string>(&v)) {
        int64_t out = 0;
        std::from_chars(p->data(), p->data() + p->size(), out);
        return out;
    }
    return 0;
}

double Row::number(size_t i) const {
    const Value& v = cols_.at(i);
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
    if (auto p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
    return 0;
}

std::string Row::text(size_t i) const {
    const Value& v = cols_.at(i);
    if (auto p = std::get_if<std::string>(&v)) return *p;
    if (auto p = std::get_if<Blob>(&v)) return p->bytes;
    if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
    if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
    return "";
}

Handle::~Handle() {
    if (owner_ && conn_) owner_->release(std::move(conn_), broken_);
}

Database::Database(Dialect dialect, int poolSize, Factory factory, std::string description)
    : dialect_(dialect),
      poolSize_(poolSize),
      factory_(std::move(factory)),
      description_(std::move(description)) {
    // Open one connection now so a bad URL or password fails at start-up, not on first use.
    idle_.push_back(factory_());
    open_ = 1;
}

Database::~Database() = default;

Handle Database::acquire(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (idle_.empty() && open_ >= poolSize_) {
        ++waits_;
        if (!freed_.wait_for(lock, timeout, [&] { return !idle_.empty() || open_ < poolSize_; }))
            throw DbError(DbError::Kind::Busy, "no database connection became free in time");
    }
    ++inUse_;
    if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Handle(this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    try {
        return Handle(this, factory_());
    } catch (...) {
        std::lock_guard relock(mutex_);
        --open_;
        --inUse_;
        freed_.notify_one();
        throw;
    }
}

void Database::release(std::unique_ptr<Connection> conn, bool broken) {
    std::lock_guard lock(mutex_);
    --inUse_;
    if (broken) {
        --open_;
    } else {
        idle_.push_back(std::move(conn));
    }
    freed_.notify_one();
}

PoolStats Database::stats() const {
    std::lock_guard lock(mutex_);
    return PoolStats{open_, inUse_, waits_};
}

}  // namespace assay::db
