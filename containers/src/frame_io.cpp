#include "frame_io.h"

#include <assay/containers/protocol.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace assay::containers {
namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

// Reads exactly n bytes; returns the number read before EOF (short only on EOF).
std::size_t readFull(int fd, char* buf, std::size_t n, Clock::time_point deadline) {
    std::size_t got = 0;
    while (got < n) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, remainingMs(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0)
            throw ProtocolError(ProtocolErrorCode::TruncatedFrame, "timed out reading a frame");
        const ssize_t r = ::read(fd, buf + got, n - got);
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            throw ProtocolError(ProtocolErrorCode::TruncatedFrame,
                                std::string("read: ") + std::strerror(errno));
        }
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    return got;
}

}  // namespace

std::optional<std::string> readFrame(int fd, std::size_t maxBytes,
                                     std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    unsigned char header[4];
    const std::size_t h = readFull(fd, reinterpret_cast<char*>(header), 4, deadline);
    if (h == 0) return std::nullopt;
    if (h < 4)
        throw ProtocolError(ProtocolErrorCode::TruncatedFrame,
                            "connection closed inside a frame header");
    const std::uint32_t len = frameLength(header);
    if (len > maxBytes) {
        throw ProtocolError(ProtocolErrorCode::OversizedMessage,
                            "message of " + std::to_string(len) + " bytes exceeds the limit of " +
                                std::to_string(maxBytes));
    }
    std::string payload(len, '\0');
    if (readFull(fd, payload.data(), len, deadline) < len) {
        throw ProtocolError(ProtocolErrorCode::TruncatedFrame, "connection closed inside a frame");
    }
    return payload;
}

void writeFrame(int fd, const std::string& payload, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    const std::string frame = encodeFrame(payload);
    std::size_t sent = 0;
    while (sent < frame.size()) {
        pollfd p{fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, remainingMs(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0)
            throw ProtocolError(ProtocolErrorCode::Internal, "timed out writing a frame");
        const ssize_t w = ::send(fd, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            throw ProtocolError(ProtocolErrorCode::Internal,
                                std::string("write: ") + std::strerror(errno));
        }
        sent += static_cast<std::size_t>(w);
    }
}

}  // namespace assay::containers
