// The runner protocol: frames of a 4-byte big-endian length followed by one UTF-8 JSON object.
// Requests: {"type":"run","job":{...}}, {"type":"status"}, {"type":"metrics"}.
// Replies:  {"ok":true,"result":{...}} / {"ok":true,"status":{...}} / {"ok":true,"metrics":"..."}
//           {"ok":false,"error":{"code":"<stable code>","message":"..."}}
// docs/sandbox.md describes every field.
#pragma once

#include <assay/containers/job.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace assay::containers {

// Stable error codes of the protocol edge.
enum class ProtocolErrorCode {
    OversizedMessage,  // frame length above the limit
    TruncatedFrame,    // connection closed inside a frame
    BadJson,           // payload is not a JSON object
    BadRequest,        // a field is missing, has the wrong type or an invalid value
    UnknownType,       // "type" is not one of run/status/metrics
    Busy,              // the runner refuses more work right now
    Internal,          // the runner failed in a way that is not the request's fault
};

const char* protocolErrorCodeName(ProtocolErrorCode c);

class ProtocolError : public std::runtime_error {
  public:
    ProtocolError(ProtocolErrorCode code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    ProtocolErrorCode code() const { return code_; }

  private:
    ProtocolErrorCode code_;
};

inline constexpr std::size_t kDefaultMaxMessageBytes = 64u << 20;
inline constexpr std::size_t kMaxFiles = 1000;
inline constexpr std::size_t kMaxArgs = 256;

enum class RequestType { Run, Status, Metrics };

struct Request {
    RequestType type = RequestType::Status;
    Job job;  // only for Run
};

// Frame helpers. encodeFrame prepends the length; frameLength reads it from 4 bytes.
std::string encodeFrame(const std::string& payload);
std::uint32_t frameLength(const unsigned char header[4]);

// JSON <-> structs. The parse functions throw ProtocolError (BadJson / BadRequest / UnknownType).
std::string encodeRequest(const Request& request);
Request parseRequest(const std::string& payload);
std::string encodeResult(const RunResult& result);
std::string encodeError(ProtocolErrorCode code, const std::string& message);
// A reply to a run request: the result, or a ProtocolError carrying the runner's error.
RunResult parseRunReply(const std::string& payload);

// A result as the single JSON object the CLI prints (verdict, exit_code, signal, ...).
std::string resultToJson(const RunResult& result);

}  // namespace assay::containers
