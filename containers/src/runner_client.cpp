#include <assay/containers/runner_client.h>

#include "frame_io.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace assay::containers {
namespace {

// Closes the socket when the call ends.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

Poco::JSON::Object::Ptr okObject(const std::string& reply) {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr o;
    try {
        o = parser.parse(reply).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        throw ProtocolError(ProtocolErrorCode::BadJson, "runner sent invalid JSON");
    }
    if (!o->optValue("ok", false)) {
        parseRunReply(reply);  // throws the runner's error with its code
        throw ProtocolError(ProtocolErrorCode::Internal, "runner refused the request");
    }
    return o;
}

}  // namespace

RunnerClient::RunnerClient(std::string socketPath, std::chrono::milliseconds ioTimeout)
    : socketPath_(std::move(socketPath)), ioTimeout_(ioTimeout) {}

std::string RunnerClient::roundTrip(const std::string& payload) const {
    Fd s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (s.fd < 0)
        throw ProtocolError(ProtocolErrorCode::Internal,
                            std::string("socket: ") + std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socketPath_.size() >= sizeof addr.sun_path) {
        throw ProtocolError(ProtocolErrorCode::Internal,
                            "runner socket path too long: " + socketPath_);
    }
    std::memcpy(addr.sun_path, socketPath_.c_str(), socketPath_.size() + 1);
    if (::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw ProtocolError(
            ProtocolErrorCode::Internal,
            "cannot reach the runner at " + socketPath_ + ": " + std::strerror(errno));
    }
    writeFrame(s.fd, payload, ioTimeout_);
    auto reply = readFrame(s.fd, kDefaultMaxMessageBytes * 2, ioTimeout_);
    if (!reply)
        throw ProtocolError(ProtocolErrorCode::TruncatedFrame, "runner closed the connection");
    return *reply;
}

RunResult RunnerClient::run(const Job& job) const {
    Request r;
    r.type = RequestType::Run;
    r.job = job;
    return parseRunReply(roundTrip(encodeRequest(r)));
}

std::string RunnerClient::statusJson() const {
    Request r;
    r.type = RequestType::Status;
    const auto o = okObject(roundTrip(encodeRequest(r)));
    std::ostringstream out;
    o->getObject("status")->stringify(out);
    return out.str();
}

std::string RunnerClient::metricsText() const {
    Request r;
    r.type = RequestType::Metrics;
    const auto o = okObject(roundTrip(encodeRequest(r)));
    return o->getValue<std::string>("metrics");
}

}  // namespace assay::containers
