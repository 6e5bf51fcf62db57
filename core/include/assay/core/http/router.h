#pragma once
// Routing of HTTP requests to handlers by method and path pattern ("/api/v1/courses/{id}").
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assay/core/json.h"
#include "assay/core/model.h"

namespace assay::http {

// Who is calling, once authenticated.
struct Principal {
    User user;
    bool viaSession = false;  // cookie session (needs CSRF on writes) or API token
    std::string csrfToken;
};

class Request {
  public:
    Request(Poco::Net::HTTPServerRequest& raw, size_t maxBody);
    const std::string& method() const { return method_; }
    const std::string& path() const { return path_; }
    std::string header(const std::string& name) const;
    std::string cookie(const std::string& name) const;
    std::string query(const std::string& name, const std::string& fallback = "") const;
    bool hasQuery(const std::string& name) const { return query_.count(name) > 0; }
    const std::string& param(const std::string& name) const;  // from the route pattern
    int64_t idParam(const std::string& name) const;           // a positive integer or 404
    const std::string& body();                                // read once, size-limited (413)
    json::Object json();  // body as a JSON object (400 otherwise)
    const std::string& clientIp() const { return clientIp_; }
    bool secure() const { return secure_; }
    Poco::Net::HTTPServerRequest& raw() { return raw_; }

    std::optional<Principal> principal;
    std::map<std::string, std::string> params;
    // For handlers that take over the connection (WebSocket upgrades); set by the dispatcher.
    Poco::Net::HTTPServerResponse* rawResponse = nullptr;

  private:
    Poco::Net::HTTPServerRequest& raw_;
    std::string method_, path_, clientIp_;
    std::multimap<std::string, std::string> query_;
    size_t maxBody_;
    bool bodyRead_ = false;
    bool secure_ = false;
    std::string body_;
};

class Response {
  public:
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Set when the handler streamed the response itself (e.g. a WebSocket upgrade).
    bool handled = false;

    void json(const json::Object& obj, int code = 200);
    void json(const json::Array& arr, int code = 200);
    void text(const std::string& text, const std::string& type = "text/plain; charset=utf-8",
              int code = 200);
    void header(const std::string& name, const std::string& value) {
        headers.emplace_back(name, value);
    }
};

enum class Access {
    Public,         // anyone
    Authenticated,  // any signed-in user
    Instructor,     // global role instructor or admin (course-level checks are the handler's)
    Admin,
};

using Handler = std::function<void(Request&, Response&)>;

struct Route {
    std::string method;
    std::string pattern;
    Access access;
    Handler handler;
    std::vector<std::string> segments;
};

class Router {
  public:
    void add(const std::string& method, const std::string& pattern, Access access, Handler handler);
    void get(const std::string& p, Access a, Handler h) { add("GET", p, a, std::move(h)); }
    void post(const std::string& p, Access a, Handler h) { add("POST", p, a, std::move(h)); }
    void put(const std::string& p, Access a, Handler h) { add("PUT", p, a, std::move(h)); }
    void del(const std::string& p, Access a, Handler h) { add("DELETE", p, a, std::move(h)); }

    struct Match {
        const Route* route = nullptr;
        bool pathMatched = false;  // some route has this path, but not this method (405)
        std::map<std::string, std::string> params;
    };
    Match match(const std::string& method, const std::string& path) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
};

}  // namespace assay::http
