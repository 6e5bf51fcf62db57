// multipart/mixed statement requests and responses with attachments (xAPI "Attachments").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <Poco/JSON/Object.h>

#include "assay/xapi/Error.h"

namespace assay::xapi {

// One attachment's raw content, identified by its SHA-2 hash (hex, lower case).
struct AttachmentPart {
    std::string sha2;
    std::string contentType;
    std::string content;
};

// Limits applied while parsing; exceeding one gives PayloadTooLarge (413).
struct MultipartLimits {
    size_t maxBodyBytes = 64u << 20;   // whole request body
    size_t maxParts = 101;             // statement part + attachments
    size_t maxHeaderBytes = 8u << 10;  // headers of one part
};

// A parsed statements request: the JSON of the first part and the attachment parts.
struct MultipartStatements {
    std::string statementsJson;
    std::vector<AttachmentPart> attachments;
};

// The boundary parameter of a multipart Content-Type, unquoted; nullopt when absent.
std::optional<std::string> multipartBoundary(std::string_view contentType);

// Parses a multipart/mixed body. The first part must be application/json; every other part
// must carry X-Experience-API-Hash and Content-Transfer-Encoding: binary, and its content
// must hash (SHA-2 of the hash's length) to that header. Errors: MultipartMalformed,
// AttachmentHashMismatch, PayloadTooLarge.
std::variant<MultipartStatements, XapiError> parseStatementsMultipart(
    std::string_view contentType, std::string_view body, const MultipartLimits& limits = {});

// After the statements are validated: every attachment header without fileUrl needs a part
// (AttachmentMissing) and every part must be declared by some statement
// (AttachmentUnexpected). Signature parts are declared like any other attachment.
std::optional<XapiError> matchAttachments(const std::vector<Poco::JSON::Object::Ptr>& statements,
                                          const std::vector<AttachmentPart>& parts);

// Builds a multipart/mixed body (JSON part first, then the parts in order). The matching
// Content-Type is "multipart/mixed; boundary=<boundary>".
std::string buildStatementsMultipart(std::string_view boundary, std::string_view json,
                                     const std::vector<AttachmentPart>& parts);

// A boundary that does not occur in any of the given contents.
std::string chooseBoundary(const std::vector<AttachmentPart>& parts, std::string_view json);

// Hex SHA-2 digests: sha2Hex picks SHA-224/256/384/512 by the length of `likeHex` (default 256).
std::string sha256Hex(std::string_view data);
std::optional<std::string> sha2Hex(std::string_view data, size_t hexDigits);

}  // namespace assay::xapi
