#pragma once
// Engine constructors used by db::open(); not part of the public interface.
#include <memory>
#include <string>

#include "assay/core/store/db.h"

namespace assay::db {

std::unique_ptr<Connection> openSqlite(const std::string& path, int busyTimeoutMs);

struct MysqlTarget {
    std::string host;
    int port = 3306;
    std::string user;
    std::string password;
    std::string database;
    std::string socket;  // unix socket, when given as ?socket=PATH
};
MysqlTarget parseMysqlUrl(const std::string& url);
std::unique_ptr<Connection> openMysql(const MysqlTarget& target);

}  // namespace assay::db
