// Fuzz target: a request payload must be accepted or refused with a ProtocolError, never
// crash or throw anything else; accepted requests survive an encode/parse round trip.
#include <assay/containers/protocol.h>

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
    if (size >= 4) {
        (void)frameLength(data);
    }
    try {
        (void)parseRunReply(payload);
    } catch (const ProtocolError&) {
    }
    return 0;
}
