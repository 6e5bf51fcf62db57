#include <assay/containers/runner_client.h>

#include "frame_io.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

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

struct RunnerClient::Idle {
    static constexpr std::size_t kMax = 16;  // connections kept at most
    std::mutex mutex;
    std::vector<int> fds;
    ~Idle() {
        for (int fd : fds)
            ::close(fd);
    }
    // A kept connection that is still open and quiet (the runner has not closed it), or -1.
    int take() {
        std::lock_guard lock(mutex);
        while (!fds.empty()) {
            const int fd = fds.back();
            fds.pop_back();
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 0) == 0) return fd;
            ::close(fd);  // readable means closed (or out of step): not reusable
        }
        return -1;
    }
    void give(int fd) {
        std::lock_guard lock(mutex);
        if (fds.size() < kMax) {
            fds.push_back(fd);
        } else {
            ::close(fd);
        }
    }
};

RunnerClient::RunnerClient(std::string socketPath, std::chrono::milliseconds ioTimeout)
    : socketPath_(std::move(socketPath)), ioTimeout_(ioTimeout), idle_(std::make_shared<Idle>()) {}

std::string RunnerClient::roundTrip(const std::string& payload) const {
    // A kept connection first. Should the runner have closed it in the meantime (it never
    // read this request, then), the request goes once more on a new connection.
    if (const int fd = idle_->take(); fd >= 0) {
        Fd s{fd};
        bool sent = true;
        try {
            writeFrame(s.fd, payload, ioTimeout_);
        } catch (const ProtocolError&) {
            sent = false;  // closed by the runner
        }
        if (sent) {
            // Timeouts and broken frames reach the caller; only a close before any byte of
            // an answer (the runner's idle timeout just then) sends the request again.
            auto reply = readFrame(s.fd, kDefaultMaxMessageBytes * 2, ioTimeout_);
            if (reply) {
                idle_->give(s.fd);
                s.fd = -1;
                return *reply;
            }
        }
    }
    Fd s{connectNew()};
    writeFrame(s.fd, payload, ioTimeout_);
    auto reply = readFrame(s.fd, kDefaultMaxMessageBytes * 2, ioTimeout_);
    if (!reply)
        throw ProtocolError(ProtocolErrorCode::TruncatedFrame, "runner closed the connection");
    idle_->give(s.fd);
    s.fd = -1;
    return *reply;
}

int RunnerClient::connectNew() const {
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
    const int fd = s.fd;
    s.fd = -1;
    return fd;
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
