#pragma once
// A real HTTP server on 127.0.0.1 (Poco::Net::HTTPServer) for the LTI tests: serves canned
// responses per path and records every request it receives.
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace assay::lti::test {

class LoopbackHttpServer {
  public:
    struct Route {
        int status = 200;
        std::string contentType = "application/json";
        std::string body;
        int delayMs = 0;
        std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
    };
    struct Recorded {
        std::string method;
        std::string uri;
        std::string body;
    };

    // Plain HTTP; or HTTPS when certPath/keyPath name a PEM certificate and key.
    LoopbackHttpServer();
    LoopbackHttpServer(const std::string& certPath, const std::string& keyPath);
    ~LoopbackHttpServer();

    void setRoute(const std::string& path, Route route);
    std::string url(const std::string& path) const;  // http(s)://127.0.0.1:<port><path>
    unsigned short port() const { return port_; }
    std::size_t hits(const std::string& path) const;
    std::vector<Recorded> requests() const;

    // Used by the handler.
    Route lookup(const std::string& path, const Recorded& request);

  private:
    mutable std::mutex mutex_;
    std::map<std::string, Route> routes_;
    std::map<std::string, std::size_t> hits_;
    std::vector<Recorded> requests_;
    // Own pool, joined on destruction: no connection thread outlives the server.
    Poco::ThreadPool pool_{1, 8};
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    unsigned short port_ = 0;
    bool tls_ = false;
};

}  // namespace assay::lti::test
