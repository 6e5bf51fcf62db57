// An external LRS for the forwarder tests: a Poco HTTP server on loopback that accepts
// statement batches (all or nothing, 409 for an id it has), checks Basic auth, can go down
// and come back on the same port, and can lose its answers after storing.
#pragma once

#include <Poco/Net/HTTPServer.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace assay::test {

class LrsStub {
  public:
    LrsStub(std::string user, std::string password);
    ~LrsStub();
    void down();  // stops listening: connections are refused
    void up();    // listens again on the same port
    int port() const { return port_; }
    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/xapi/"; }

    // Times each statement id was stored (more than 1 would be a duplicate).
    std::map<std::string, int> stored();
    std::map<std::string, std::string> verbs();  // id → verb IRI
    void loseAnswers(int n);                     // the next n successful batches answer 500
    int requests();

    struct State {
        std::mutex mutex;
        std::map<std::string, int> stored;
        std::map<std::string, std::string> verbs;
        int loseAnswers = 0;
        int requests = 0;
        std::string expectedAuth;
    };

  private:
    void listen(int port);
    std::shared_ptr<State> state_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    int port_ = 0;
};

}  // namespace assay::test
