#include "LrsStub.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

namespace assay::test {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit Handler(std::shared_ptr<LrsStub::State> s) : s_(std::move(s)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& res) override {
        std::string body;
        Poco::StreamCopier::copyToString(req.stream(), body);
        std::lock_guard lock(s_->mutex);
        ++s_->requests;
        auto answer = [&](Poco::Net::HTTPResponse::HTTPStatus st, const std::string& text = "") {
            res.setStatus(st);
            res.setContentLength64(static_cast<int64_t>(text.size()));
            res.send() << text;
        };
        if (req.get("Authorization", "") != s_->expectedAuth)
            return answer(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
        if (req.get("X-Experience-API-Version", "").empty())
            return answer(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
        Poco::URI uri(req.getURI());
        if (uri.getPath() != "/xapi/statements")
            return answer(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
        Poco::JSON::Parser p;
        std::vector<Poco::JSON::Object::Ptr> batch;
        auto v = p.parse(body);
        if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
            auto arr = v.extract<Poco::JSON::Array::Ptr>();
            for (size_t i = 0; i < arr->size(); ++i)
                batch.push_back(arr->getObject(static_cast<unsigned>(i)));
        } else {
            batch.push_back(v.extract<Poco::JSON::Object::Ptr>());
        }
        if (req.getMethod() == "PUT") {
            const std::string id = batch[0]->getValue<std::string>("id");
            if (s_->stored.count(id)) return answer(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
            s_->stored[id] = 1;
            s_->verbs[id] = batch[0]->getObject("verb")->getValue<std::string>("id");
            return answer(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
        }
        for (const auto& s : batch)
            if (s_->stored.count(s->getValue<std::string>("id")))
                return answer(Poco::Net::HTTPResponse::HTTP_CONFLICT);
        for (const auto& s : batch) {
            const std::string id = s->getValue<std::string>("id");
            ++s_->stored[id];
            s_->verbs[id] = s->getObject("verb")->getValue<std::string>("id");
        }
        if (s_->loseAnswers > 0) {
            --s_->loseAnswers;
            return answer(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
        }
        answer(Poco::Net::HTTPResponse::HTTP_OK, "[]");
    }

  private:
    std::shared_ptr<LrsStub::State> s_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit Factory(std::shared_ptr<LrsStub::State> s) : s_(std::move(s)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler(s_);
    }

  private:
    std::shared_ptr<LrsStub::State> s_;
};

}  // namespace

LrsStub::LrsStub(std::string user, std::string password) : state_(std::make_shared<State>()) {
    std::ostringstream os;
    Poco::Base64Encoder enc(os);
    enc.rdbuf()->setLineLength(0);
    enc << user << ':' << password;
    enc.close();
    state_->expectedAuth = "Basic " + os.str();
    listen(0);
}

LrsStub::~LrsStub() {
    down();
}

void LrsStub::listen(int port) {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), true);
    socket.listen();
    port_ = socket.address().port();
    auto params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
    server_->start();
}

void LrsStub::down() {
    if (!server_) return;
    server_->stopAll(true);
    server_.reset();
}

void LrsStub::up() {
    if (!server_) listen(port_);
}

std::map<std::string, int> LrsStub::stored() {
    std::lock_guard lock(state_->mutex);
    return state_->stored;
}

std::map<std::string, std::string> LrsStub::verbs() {
    std::lock_guard lock(state_->mutex);
    return state_->verbs;
}

void LrsStub::loseAnswers(int n) {
    std::lock_guard lock(state_->mutex);
    state_->loseAnswers = n;
}

int LrsStub::requests() {
    std::lock_guard lock(state_->mutex);
    return state_->requests;
}

}  // namespace assay::test
