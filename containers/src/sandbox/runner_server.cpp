#include <assay/containers/sandbox/runner_server.h>

#include <assay/containers/protocol.h>

#include "../frame_io.h"
#include "cgroup.h"

#include <Poco/JSON/Object.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace assay::containers {
namespace {

constexpr auto kIoTimeout = std::chrono::seconds(30);

std::string okReply(const std::string& key, const std::string& rawJson, bool isString) {
    // Splice a pre-rendered JSON value (or a string) into {"ok":true,"<key>":...}.
    if (isString) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("ok", true);
        o.set(key, rawJson);
        std::ostringstream out;
        o.stringify(out);
        return out.str();
    }
    return "{\"ok\":true,\"" + key + "\":" + rawJson + "}";
}

}  // namespace

RunnerServer::RunnerServer(SandboxPool& pool, RunnerServerOptions options)
    : pool_(pool), options_(std::move(options)) {}

RunnerServer::~RunnerServer() {
    stop();
}

std::string RunnerServer::handle(const std::string& payload) {
    try {
        const Request request = parseRequest(payload);
        switch (request.type) {
            case RequestType::Run:
                return encodeResult(pool_.run(request.job));
            case RequestType::Status:
                return okReply(
                    "status",
                    RunnerMetrics::toJson(pool_.metrics(),
                                          hostCgroupVersion() == CgroupVersion::V2 ? "v2" : "v1",
                                          pool_.containerNames()),
                    false);
            case RequestType::Metrics:
                return okReply("metrics", RunnerMetrics::toPrometheus(pool_.metrics()), true);
        }
        return encodeError(ProtocolErrorCode::UnknownType, "unknown request type");
    } catch (const ProtocolError& e) {
        return encodeError(e.code(), e.what());
    } catch (const std::exception& e) {
        return encodeError(ProtocolErrorCode::Internal, e.what());
    }
}

void RunnerServer::start() {
    if (options_.socketPath.size() >= sizeof(sockaddr_un::sun_path)) {
        throw std::runtime_error("socket path too long: " + options_.socketPath);
    }
    listenFd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listenFd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, options_.socketPath.c_str(), options_.socketPath.size() + 1);
    // A socket file a live runner answers on is not stale: refuse rather than steal it.
    {
        const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const bool live =
            probe >= 0 && ::connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        if (probe >= 0) ::close(probe);
        if (live)
            throw std::runtime_error("another process already listens on " + options_.socketPath);
    }
    ::unlink(options_.socketPath.c_str());
    if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw std::runtime_error("bind " + options_.socketPath + ": " + std::strerror(errno));
    }
    bound_ = true;
    ::chmod(options_.socketPath.c_str(), static_cast<mode_t>(options_.socketMode));
    if (options_.socketGroup != static_cast<gid_t>(-1)) {
        if (::chown(options_.socketPath.c_str(), 0, options_.socketGroup) != 0) {
            throw std::runtime_error("chown " + options_.socketPath + ": " + std::strerror(errno));
        }
    }
    if (::listen(listenFd_, 128) != 0)
        throw std::runtime_error(std::string("listen: ") + std::strerror(errno));
    if (::pipe2(wakeFd_, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    acceptThread_ = std::thread([this] { acceptLoop(); });
}

void RunnerServer::stop() {
    if (stopping_.exchange(true)) return;
    if (wakeFd_[1] >= 0) (void)!::write(wakeFd_[1], "x", 1);
    if (acceptThread_.joinable()) acceptThread_.join();
    // Connection threads are detached; wait for them to finish their current request (idle
    // ones see the wake-up pipe and end at once).
    for (int i = 0; i < 3000 && connections_.load() > 0; ++i)
        ::usleep(10000);
    for (int& fd : {std::ref(listenFd_), std::ref(wakeFd_[0]), std::ref(wakeFd_[1])}) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    if (bound_) ::unlink(options_.socketPath.c_str());  // only a socket this server made
}

void RunnerServer::acceptLoop() {
    while (!stopping_) {
        pollfd fds[2] = {{listenFd_, POLLIN, 0}, {wakeFd_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents) break;
        if (!(fds[0].revents & POLLIN)) continue;
        const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        if (connections_.load() >= options_.maxConnections) {
            try {
                writeFrame(fd, encodeError(ProtocolErrorCode::Busy, "too many connections"),
                           std::chrono::seconds(1));
            } catch (const std::exception&) {
            }
            ::close(fd);
            continue;
        }
        ++connections_;
        std::thread([this, fd] {
            serveConnection(fd);
            ::close(fd);
            --connections_;
        }).detach();
    }
}

void RunnerServer::serveConnection(int fd) {
    while (!stopping_) {
        // Clients keep connections open between requests: wait for the next one, for at most
        // the I/O timeout, and give up at once when the server stops.
        pollfd p[2] = {{fd, POLLIN, 0}, {wakeFd_[0], POLLIN, 0}};
        const int ready =
            ::poll(p, 2, static_cast<int>(std::chrono::milliseconds(kIoTimeout).count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0 || p[1].revents != 0) return;
        std::string reply;
        try {
            auto payload = readFrame(fd, options_.maxMessageBytes, kIoTimeout);
            if (!payload) return;
            reply = handle(*payload);
        } catch (const ProtocolError& e) {
            // A frame that cannot be read leaves the stream out of sync: answer and close.
            try {
                writeFrame(fd, encodeError(e.code(), e.what()), std::chrono::seconds(5));
            } catch (const std::exception&) {
            }
            return;
        }
        try {
            writeFrame(fd, reply, kIoTimeout);
        } catch (const std::exception&) {
            return;
        }
    }
}

}  // namespace assay::containers
