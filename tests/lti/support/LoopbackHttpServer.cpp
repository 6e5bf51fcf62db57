#include "LoopbackHttpServer.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>
#include <Poco/URI.h>

namespace assay::lti::test {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit Handler(LoopbackHttpServer& server) : server_(server) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& resp) override {
        LoopbackHttpServer::Recorded rec;
        rec.method = req.getMethod();
        rec.uri = req.getURI();
        Poco::StreamCopier::copyToString(req.stream(), rec.body);
        const auto route = server_.lookup(Poco::URI(req.getURI()).getPath(), rec);
        if (route.delayMs > 0) Poco::Thread::sleep(route.delayMs);
        resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(route.status));
        resp.setContentType(route.contentType);
        for (const auto& [name, value] : route.headers)
            resp.add(name, value);
        resp.setContentLength(static_cast<std::streamsize>(route.body.size()));
        resp.send() << route.body;
    }

  private:
    LoopbackHttpServer& server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit Factory(LoopbackHttpServer& server) : server_(server) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler(server_);
    }

  private:
    LoopbackHttpServer& server_;
};

}  // namespace

LoopbackHttpServer::LoopbackHttpServer() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool_, socket, params);
    server_->start();
}

LoopbackHttpServer::LoopbackHttpServer(const std::string& certPath, const std::string& keyPath)
    : tls_(true) {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, keyPath, certPath, "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool_, socket, params);
    server_->start();
}

LoopbackHttpServer::~LoopbackHttpServer() {
    server_->stopAll(true);
}

void LoopbackHttpServer::setRoute(const std::string& path, Route route) {
    std::lock_guard lock(mutex_);
    routes_[path] = std::move(route);
}

std::string LoopbackHttpServer::url(const std::string& path) const {
    return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_) + path;
}

std::size_t LoopbackHttpServer::hits(const std::string& path) const {
    std::lock_guard lock(mutex_);
    const auto it = hits_.find(path);
    return it == hits_.end() ? 0 : it->second;
}

std::vector<LoopbackHttpServer::Recorded> LoopbackHttpServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

LoopbackHttpServer::Route LoopbackHttpServer::lookup(const std::string& path,
                                                     const Recorded& request) {
    std::lock_guard lock(mutex_);
    ++hits_[path];
    requests_.push_back(request);
    const auto it = routes_.find(path);
    if (it == routes_.end()) return Route{404, "text/plain", "not found", 0};
    return it->second;
}

}  // namespace assay::lti::test
