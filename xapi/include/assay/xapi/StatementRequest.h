// The whole body of a statements POST / PUT, as the Statement resource receives it:
// content type, JSON or multipart/mixed, validation, attachment parts and signatures.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <Poco/JSON/Object.h>

#include "assay/xapi/Error.h"
#include "assay/xapi/Multipart.h"
#include "assay/xapi/Version.h"

namespace assay::xapi {

struct StatementRequestOptions {
    MultipartLimits limits;       // also bounds application/json bodies (maxBodyBytes)
    size_t maxStatements = 1000;  // statements per request; more gives PayloadTooLarge
    std::string signingKeyPem;    // optional key (PEM public key or certificate) that
                                  // signatures must verify against
};

struct StatementRequest {
    std::vector<Poco::JSON::Object::Ptr> statements;  // validated, in request order
    bool batch = false;                               // the JSON was an array
    std::vector<AttachmentPart> attachments;          // raw parts, each declared by a statement
};

// Reads a statements request body. Content types: application/json (any parameters) or
// multipart/mixed; anything else (or none) is UnsupportedContentType. Then: every statement
// valid under `version`, no id twice in a batch, every attachment without fileUrl present
// as a part and no undeclared part, every signed statement's JWS checked.
std::variant<StatementRequest, XapiError> readStatementRequest(
    std::string_view contentType, std::string_view body, Version version,
    const StatementRequestOptions& options = {});

// PUT /statements?statementId=...: the body must be one statement (not an array) whose id,
// when present, equals the parameter; a missing id is set from it. InvalidParameter or
// ConflictingParameters otherwise.
std::optional<XapiError> applyStatementIdParameter(StatementRequest& request,
                                                   std::string_view statementId);

}  // namespace assay::xapi
