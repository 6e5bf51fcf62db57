#include "assay/xapi/Multipart.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "JsonAccess.h"
#include "assay/xapi/Identity.h"

namespace assay::xapi {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

XapiError malformed(std::string message) {
    return makeError(ErrorCode::MultipartMalformed, std::move(message), "body");
}

struct RawPart {
    std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
    std::string_view body;
    const std::string* header(std::string_view name) const {
        for (const auto& [k, v] : headers) {
            if (k == name) return &v;
        }
        return nullptr;
    }
};

// The media type of a Content-Type value, lower case, without parameters.
std::string mediaType(std::string_view contentType) {
    return lower(trim(contentType.substr(0, contentType.find(';'))));
}

}  // namespace

std::optional<std::string> multipartBoundary(std::string_view contentType) {
    size_t pos = contentType.find(';');
    while (pos != std::string_view::npos) {
        std::string_view rest = contentType.substr(pos + 1);
        const size_t next = rest.find(';');
        std::string_view param = trim(rest.substr(0, next));
        const size_t eq = param.find('=');
        if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == "boundary") {
            std::string_view value = trim(param.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            if (value.empty() || value.size() > 70) return std::nullopt;
            return std::string(value);
        }
        pos = next == std::string_view::npos ? next : pos + 1 + next;
    }
    return std::nullopt;
}

std::optional<std::string> sha2Hex(std::string_view data, size_t hexDigits) {
    const EVP_MD* md = nullptr;
    switch (hexDigits) {
        case 56:
            md = EVP_sha224();
            break;
        case 64:
            md = EVP_sha256();
            break;
        case 96:
            md = EVP_sha384();
            break;
        case 128:
            md = EVP_sha512();
            break;
        default:
            return std::nullopt;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1) return std::nullopt;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size_t{len} * 2);
    for (unsigned i = 0; i < len; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xf];
    }
    return out;
}

std::string sha256Hex(std::string_view data) {
    return *sha2Hex(data, 64);
}

std::variant<MultipartStatements, XapiError> parseStatementsMultipart(
    std::string_view contentType, std::string_view body, const MultipartLimits& limits) {
    if (body.size() > limits.maxBodyBytes) {
        return makeError(ErrorCode::PayloadTooLarge, "the request body exceeds the size limit",
                         "body");
    }
    if (mediaType(contentType) != "multipart/mixed") {
        return malformed("Content-Type must be multipart/mixed");
    }
    const auto boundary = multipartBoundary(contentType);
    if (!boundary) return malformed("multipart/mixed needs a boundary parameter");
    const std::string delimiter = "--" + *boundary;

    // The first delimiter may start the body; later ones follow a line break.
    size_t pos;
    if (body.substr(0, delimiter.size()) == delimiter) {
        pos = 0;
    } else {
        pos = body.find("\n" + delimiter);
        if (pos == std::string_view::npos) return malformed("no boundary delimiter found");
        ++pos;
    }
    std::vector<RawPart> parts;
    bool closed = false;
    while (!closed) {
        size_t cursor = pos + delimiter.size();
        if (body.substr(cursor, 2) == "--") {
            closed = true;
            break;
        }
        // Rest of the delimiter line (transport padding) up to LF.
        const size_t eol = body.find('\n', cursor);
        if (eol == std::string_view::npos) return malformed("truncated multipart body");
        if (!trim(body.substr(cursor, eol - cursor)).empty()) {
            return malformed("garbage after a boundary delimiter");
        }
        cursor = eol + 1;
        if (parts.size() >= limits.maxParts) {
            return makeError(ErrorCode::PayloadTooLarge, "too many parts", "body");
        }
        RawPart part;
        // Headers until an empty line.
        size_t headerBytes = 0;
        for (;;) {
            const size_t end = body.find('\n', cursor);
            if (end == std::string_view::npos) return malformed("truncated part headers");
            std::string_view line = body.substr(cursor, end - cursor);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            cursor = end + 1;
            headerBytes += line.size();
            if (headerBytes > limits.maxHeaderBytes) {
                return makeError(ErrorCode::PayloadTooLarge, "part headers too large", "body");
            }
            if (line.empty()) break;
            const size_t colon = line.find(':');
            if (colon == std::string_view::npos || colon == 0) {
                return malformed("a part header line has no name");
            }
            part.headers.emplace_back(lower(trim(line.substr(0, colon))),
                                      std::string(trim(line.substr(colon + 1))));
        }
        const size_t next = body.find("\n" + delimiter, cursor > 0 ? cursor - 1 : 0);
        if (next == std::string_view::npos) return malformed("part without a closing delimiter");
        size_t contentEnd = next;
        if (contentEnd > cursor && body[contentEnd - 1] == '\r') --contentEnd;
        part.body =
            contentEnd >= cursor ? body.substr(cursor, contentEnd - cursor) : std::string_view{};
        parts.push_back(std::move(part));
        pos = next + 1;
    }
    if (parts.empty()) return malformed("the multipart body has no parts");

    MultipartStatements out;
    const std::string* firstType = parts[0].header("content-type");
    if (!firstType || mediaType(*firstType) != "application/json") {
        return malformed("the first part must be application/json");
    }
    out.statementsJson.assign(parts[0].body);
    for (size_t i = 1; i < parts.size(); ++i) {
        const RawPart& p = parts[i];
        const std::string path = "part " + std::to_string(i);
        const std::string* hash = p.header("x-experience-api-hash");
        if (!hash) {
            return makeError(ErrorCode::MultipartMalformed,
                             "attachment parts need an X-Experience-API-Hash header", path);
        }
        const std::string* encoding = p.header("content-transfer-encoding");
        if (!encoding || lower(*encoding) != "binary") {
            return makeError(ErrorCode::MultipartMalformed,
                             "attachment parts need Content-Transfer-Encoding: binary", path);
        }
        const std::string expected = lower(*hash);
        const auto actual = sha2Hex(p.body, expected.size());
        if (!actual || *actual != expected) {
            return makeError(ErrorCode::AttachmentHashMismatch,
                             "the part's content does not match its X-Experience-API-Hash", path);
        }
        const std::string* type = p.header("content-type");
        out.attachments.push_back(AttachmentPart{
            expected, type ? *type : "application/octet-stream", std::string(p.body)});
    }
    return out;
}

namespace {

void declaredHashes(const Poco::JSON::Object& statement, std::vector<std::string>& needed,
                    std::set<std::string>& declared) {
    const auto* list = detail::member(statement, "attachments");
    if (list && detail::kindOf(*list) == detail::Kind::Array) {
        for (const auto& item : detail::asArray(*list)) {
            if (detail::kindOf(item) != detail::Kind::Object) continue;
            const auto& a = detail::asObject(item);
            const auto* sha = detail::memberString(a, "sha2");
            if (!sha) continue;
            declared.insert(lower(*sha));
            if (!detail::member(a, "fileUrl")) needed.push_back(lower(*sha));
        }
    }
    if (auto object = detail::memberObject(statement, "object")) {
        const auto* type = detail::memberString(*object, "objectType");
        if (type && *type == "SubStatement") declaredHashes(*object, needed, declared);
    }
}

}  // namespace

std::optional<XapiError> matchAttachments(const std::vector<Poco::JSON::Object::Ptr>& statements,
                                          const std::vector<AttachmentPart>& parts) {
    std::vector<std::string> needed;
    std::set<std::string> declared;
    for (const auto& s : statements) {
        if (s) declaredHashes(*s, needed, declared);
    }
    std::set<std::string> present;
    for (const auto& p : parts)
        present.insert(lower(p.sha2));
    for (const auto& sha : needed) {
        if (!present.count(sha)) {
            return makeError(ErrorCode::AttachmentMissing,
                             "no part carries the attachment with sha2 " + sha, "attachments");
        }
    }
    for (const auto& sha : present) {
        if (!declared.count(sha)) {
            return makeError(ErrorCode::AttachmentUnexpected,
                             "a part with hash " + sha + " matches no attachment header",
                             "attachments");
        }
    }
    return std::nullopt;
}

std::string chooseBoundary(const std::vector<AttachmentPart>& parts, std::string_view json) {
    for (;;) {
        std::string candidate = "assay-" + randomUuid();
        bool clash = json.find(candidate) != std::string_view::npos;
        for (const auto& p : parts)
            clash = clash || p.content.find(candidate) != std::string::npos;
        if (!clash) return candidate;
    }
}

std::string buildStatementsMultipart(std::string_view boundary, std::string_view json,
                                     const std::vector<AttachmentPart>& parts) {
    std::string out;
    size_t total = json.size() + 256;
    for (const auto& p : parts)
        total += p.content.size() + 256;
    out.reserve(total);
    out.append("--").append(boundary).append("\r\n");
    out.append("Content-Type: application/json\r\n\r\n");
    out.append(json).append("\r\n");
    for (const auto& p : parts) {
        out.append("--").append(boundary).append("\r\n");
        out.append("Content-Type: ").append(p.contentType).append("\r\n");
        out.append("Content-Transfer-Encoding: binary\r\n");
        out.append("X-Experience-API-Hash: ").append(p.sha2).append("\r\n\r\n");
        out.append(p.content).append("\r\n");
    }
    out.append("--").append(boundary).append("--\r\n");
    return out;
}

}  // namespace assay::xapi
