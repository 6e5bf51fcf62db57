// Blocking frame I/O on a stream socket, with a deadline for each call.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace assay::containers {

// Reads one frame. Returns nullopt on a clean EOF before the first byte; throws ProtocolError
// (TruncatedFrame on EOF/timeout inside a frame, OversizedMessage above maxBytes).
std::optional<std::string> readFrame(int fd, std::size_t maxBytes,
                                     std::chrono::milliseconds timeout);

// Writes a whole frame (length + payload). Throws ProtocolError(Internal) on failure.
void writeFrame(int fd, const std::string& payload, std::chrono::milliseconds timeout);

}  // namespace assay::containers
