// JSON encoding and validation of runner protocol messages (see docs/sandbox.md).
#include <assay/containers/protocol.h>

#include "base64.h"
#include "utf8.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace assay::containers {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

[[noreturn]] void bad(const std::string& message) {
    throw ProtocolError(ProtocolErrorCode::BadRequest, message);
}

Object::Ptr parseObject(const std::string& payload) {
    try {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var v = parser.parse(payload);
        if (v.type() != typeid(Object::Ptr)) {
            throw ProtocolError(ProtocolErrorCode::BadJson, "message is not a JSON object");
        }
        return v.extract<Object::Ptr>();
    } catch (const ProtocolError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw ProtocolError(ProtocolErrorCode::BadJson, "invalid JSON: " + e.displayText());
    } catch (const std::exception& e) {
        throw ProtocolError(ProtocolErrorCode::BadJson, std::string("invalid JSON: ") + e.what());
    }
}

std::string stringField(const Object::Ptr& o, const std::string& key, bool required) {
    if (!o->has(key)) {
        if (required) bad("missing field '" + key + "'");
        return {};
    }
    const auto& v = o->get(key);
    if (!v.isString()) bad("field '" + key + "' must be a string");
    return v.extract<std::string>();
}

std::uint64_t uintField(const Object::Ptr& o, const std::string& key) {
    if (!o->has(key)) return 0;
    const auto& v = o->get(key);
    if (!v.isInteger()) bad("field '" + key + "' must be a non-negative integer");
    try {
        return v.convert<Poco::UInt64>();
    } catch (const Poco::Exception&) {
        bad("field '" + key + "' must be a non-negative integer");
    }
}

bool boolField(const Object::Ptr& o, const std::string& key) {
    if (!o->has(key)) return false;
    const auto& v = o->get(key);
    if (!v.isBoolean()) bad("field '" + key + "' must be a boolean");
    return v.extract<bool>();
}

std::string decodeBase64(const std::string& text) {
    auto bytes = base64Decode(text);
    if (!bytes) bad("invalid base64 content");
    return std::move(*bytes);
}

// A job file path must be relative and stay inside the work dir.
void checkPath(const std::string& path) {
    if (path.empty() || path.size() > 255) bad("file path must have 1..255 bytes");
    if (path.front() == '/') bad("file path must be relative: " + path);
    if (path.find('\0') != std::string::npos) bad("file path contains NUL");
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        const std::string part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") bad("invalid file path: " + path);
        start = end + 1;
    }
}

Limits parseLimits(const Object::Ptr& o) {
    Limits l;
    l.cpuMs = uintField(o, "cpu_ms");
    l.wallMs = uintField(o, "wall_ms");
    l.memoryBytes = uintField(o, "memory_bytes");
    l.outputBytes = uintField(o, "output_bytes");
    l.pids = uintField(o, "pids");
    l.fileSizeBytes = uintField(o, "file_size_bytes");
    l.tmpfsBytes = uintField(o, "tmpfs_bytes");
    return l;
}

Job parseJob(const Object::Ptr& o) {
    Job job;
    if (!o->has("argv") || o->get("argv").type() != typeid(Array::Ptr)) bad("missing array 'argv'");
    const auto argv = o->getArray("argv");
    if (argv->size() == 0 || argv->size() > kMaxArgs) bad("argv must have 1..256 entries");
    for (std::size_t i = 0; i < argv->size(); ++i) {
        const auto& v = argv->get(static_cast<unsigned>(i));
        if (!v.isString()) bad("argv entries must be strings");
        std::string arg = v.extract<std::string>();
        if (arg.find('\0') != std::string::npos) bad("argv entry contains NUL");
        job.argv.push_back(std::move(arg));
    }
    if (job.argv.front().empty()) bad("argv[0] is empty");
    if (o->has("files")) {
        if (o->get("files").type() != typeid(Array::Ptr)) bad("'files' must be an array");
        const auto files = o->getArray("files");
        if (files->size() > kMaxFiles) bad("too many files");
        for (std::size_t i = 0; i < files->size(); ++i) {
            const auto& v = files->get(static_cast<unsigned>(i));
            if (v.type() != typeid(Object::Ptr)) bad("files entries must be objects");
            const auto f = v.extract<Object::Ptr>();
            JobFile file;
            file.path = stringField(f, "path", true);
            checkPath(file.path);
            if (f->has("content_b64")) {
                file.content = decodeBase64(stringField(f, "content_b64", true));
            } else {
                file.content = stringField(f, "content", true);
            }
            file.executable = boolField(f, "executable");
            job.files.push_back(std::move(file));
        }
    }
    job.stdinData = stringField(o, "stdin", false);
    if (o->has("limits")) {
        if (o->get("limits").type() != typeid(Object::Ptr)) bad("'limits' must be an object");
        job.limits = parseLimits(o->getObject("limits"));
    }
    return job;
}

std::string stringify(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace

const char* protocolErrorCodeName(ProtocolErrorCode c) {
    switch (c) {
        case ProtocolErrorCode::OversizedMessage:
            return "oversized_message";
        case ProtocolErrorCode::TruncatedFrame:
            return "truncated_frame";
        case ProtocolErrorCode::BadJson:
            return "bad_json";
        case ProtocolErrorCode::BadRequest:
            return "bad_request";
        case ProtocolErrorCode::UnknownType:
            return "unknown_type";
        case ProtocolErrorCode::Busy:
            return "busy";
        case ProtocolErrorCode::Internal:
            return "internal";
    }
    return "internal";
}

std::string encodeFrame(const std::string& payload) {
    const auto n = static_cast<std::uint32_t>(payload.size());
    std::string out;
    out.reserve(payload.size() + 4);
    out.push_back(static_cast<char>((n >> 24) & 0xFF));
    out.push_back(static_cast<char>((n >> 16) & 0xFF));
    out.push_back(static_cast<char>((n >> 8) & 0xFF));
    out.push_back(static_cast<char>(n & 0xFF));
    out += payload;
    return out;
}

std::uint32_t frameLength(const unsigned char header[4]) {
    return (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
           (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
}

std::string encodeRequest(const Request& request) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    switch (request.type) {
        case RequestType::Status:
            o.set("type", "status");
            return stringify(o);
        case RequestType::Metrics:
            o.set("type", "metrics");
            return stringify(o);
        case RequestType::Run:
            break;
    }
    o.set("type", "run");
    const Job& job = request.job;
    Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Array::Ptr files = new Array;
    for (const auto& f : job.files) {
        Object::Ptr fo = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        fo->set("path", f.path);
        if (isValidUtf8(f.content) && f.content.find('\0') == std::string::npos) {
            fo->set("content", f.content);
        } else {
            fo->set("content_b64", base64Encode(f.content));
        }
        if (f.executable) fo->set("executable", true);
        files->add(fo);
    }
    j->set("files", files);
    Array::Ptr argv = new Array;
    for (const auto& a : job.argv)
        argv->add(a);
    j->set("argv", argv);
    j->set("stdin", job.stdinData);
    Object::Ptr l = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    const Limits& lim = job.limits;
    const std::pair<const char*, std::uint64_t> fields[] = {{"cpu_ms", lim.cpuMs},
                                                            {"wall_ms", lim.wallMs},
                                                            {"memory_bytes", lim.memoryBytes},
                                                            {"output_bytes", lim.outputBytes},
                                                            {"pids", lim.pids},
                                                            {"file_size_bytes", lim.fileSizeBytes},
                                                            {"tmpfs_bytes", lim.tmpfsBytes}};
    for (const auto& [key, value] : fields) {
        if (value != 0) l->set(key, static_cast<Poco::UInt64>(value));
    }
    j->set("limits", l);
    o.set("job", j);
    return stringify(o);
}

Request parseRequest(const std::string& payload) {
    const auto o = parseObject(payload);
    const std::string type = stringField(o, "type", true);
    Request r;
    if (type == "status") {
        r.type = RequestType::Status;
    } else if (type == "metrics") {
        r.type = RequestType::Metrics;
    } else if (type == "run") {
        r.type = RequestType::Run;
        if (!o->has("job") || o->get("job").type() != typeid(Object::Ptr))
            bad("missing object 'job'");
        r.job = parseJob(o->getObject("job"));
    } else {
        throw ProtocolError(ProtocolErrorCode::UnknownType, "unknown request type '" + type + "'");
    }
    return r;
}

namespace {

Object::Ptr resultObject(const RunResult& r) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("verdict", verdictName(r.verdict));
    if (r.exitCode >= 0) {
        o->set("exit_code", r.exitCode);
    } else {
        o->set("exit_code", Poco::Dynamic::Var());
    }
    if (r.signal != 0) {
        o->set("signal", r.signal);
    } else {
        o->set("signal", Poco::Dynamic::Var());
    }
    o->set("stdout", sanitizeUtf8(r.stdoutData));
    o->set("stderr", sanitizeUtf8(r.stderrData));
    o->set("truncated", r.truncated);
    o->set("wall_ms", static_cast<Poco::UInt64>(r.wallMs));
    o->set("cpu_ms", static_cast<Poco::UInt64>(r.cpuMs));
    o->set("memory_kb", static_cast<Poco::UInt64>(r.memoryKb));
    if (!r.errorMessage.empty()) o->set("error", r.errorMessage);
    return o;
}

}  // namespace

std::string resultToJson(const RunResult& result) {
    return stringify(*resultObject(result));
}

std::string encodeResult(const RunResult& result) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("ok", true);
    o.set("result", resultObject(result));
    return stringify(o);
}

std::string encodeError(ProtocolErrorCode code, const std::string& message) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("ok", false);
    Object::Ptr e = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    e->set("code", protocolErrorCodeName(code));
    e->set("message", sanitizeUtf8(message));
    o.set("error", e);
    return stringify(o);
}

RunResult parseRunReply(const std::string& payload) {
    const auto o = parseObject(payload);
    if (!boolField(o, "ok")) {
        ProtocolErrorCode code = ProtocolErrorCode::Internal;
        std::string message = "runner refused the request";
        if (o->has("error") && o->get("error").type() == typeid(Object::Ptr)) {
            const auto e = o->getObject("error");
            const std::string name = stringField(e, "code", false);
            message = stringField(e, "message", false);
            for (auto c : {ProtocolErrorCode::OversizedMessage, ProtocolErrorCode::TruncatedFrame,
                           ProtocolErrorCode::BadJson, ProtocolErrorCode::BadRequest,
                           ProtocolErrorCode::UnknownType, ProtocolErrorCode::Busy}) {
                if (name == protocolErrorCodeName(c)) code = c;
            }
        }
        throw ProtocolError(code, message);
    }
    if (!o->has("result") || o->get("result").type() != typeid(Object::Ptr))
        bad("reply has no result");
    const auto r = o->getObject("result");
    RunResult result;
    const auto verdict = verdictFromName(stringField(r, "verdict", true));
    if (!verdict) bad("unknown verdict in reply");
    result.verdict = *verdict;
    result.exitCode =
        r->has("exit_code") && r->get("exit_code").isInteger() ? r->getValue<int>("exit_code") : -1;
    result.signal =
        r->has("signal") && r->get("signal").isInteger() ? r->getValue<int>("signal") : 0;
    result.stdoutData = stringField(r, "stdout", false);
    result.stderrData = stringField(r, "stderr", false);
    result.truncated = boolField(r, "truncated");
    result.wallMs = uintField(r, "wall_ms");
    result.cpuMs = uintField(r, "cpu_ms");
    result.memoryKb = uintField(r, "memory_kb");
    result.errorMessage = stringField(r, "error", false);
    return result;
}

}  // namespace assay::containers
