#pragma once
// One line per event: time, level, component, request id, message.
//   2026-11-22T02:10:00.123Z info    http  req=9f2c41d0 GET /api/v1/courses -> 200 (3 ms)
#include <Poco/Logger.h>

#include <string>

namespace assay::log {

// Installs the formatter and channel on Poco's root logger. `file` empty means standard error.
void setup(const std::string& level, const std::string& file = "");

// The logger of one component ("http", "store", "auth", ...).
Poco::Logger& get(const std::string& component);

// The request id of the current thread, shown on every line logged while it is set.
const std::string& requestId();
class RequestScope {
  public:
    explicit RequestScope(std::string id);
    ~RequestScope();
    RequestScope(const RequestScope&) = delete;
    RequestScope& operator=(const RequestScope&) = delete;

  private:
    std::string previous_;
};

// Hides the password of a URL such as mysql://user:secret@host/db before it is logged.
std::string redactUrl(const std::string& url);

}  // namespace assay::log
