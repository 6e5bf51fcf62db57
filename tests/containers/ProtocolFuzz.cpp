// Fuzz target: a request payload must be accepted or refused with a ProtocolError, never
// crash or throw anything else; accepted requests survive an encode/parse round trip.
#include <assay/containers/protocol.h>

#include "frame_io.h"  // containers/src: the framing the runner reads with

#include <sys/socket.h>
#include <unistd.h>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace assay::containers;
    const std::string payload(reinterpret_cast<const char*>(data), size);
    try {
        const Request r = parseRequest(payload);
        const Request again = parseRequest(encodeRequest(r));
        if (again.type != r.type || again.job.argv != r.job.argv ||
            again.job.files.size() != r.job.files.size() ||
            again.job.stdinData != r.job.stdinData) {
            std::abort();
        }
    } catch (const ProtocolError&) {
    }
    // The same bytes as a stream: a frame is read whole, refused, or found cut short.
    if (size <= 65536) {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
            if (size > 0) (void)!::write(sv[0], data, size);
            ::shutdown(sv[0], SHUT_WR);
            try {
                while (auto frame = readFrame(sv[1], 4096, std::chrono::milliseconds(100))) {
                    if (frame->size() > 4096) std::abort();
                }
            } catch (const ProtocolError&) {
            }
            ::close(sv[0]);
            ::close(sv[1]);
        }
    }
    try {
        (void)parseRunReply(payload);
    } catch (const ProtocolError&) {
    }
    return 0;
}
