#include "assay/xapi/StatementRequest.h"

#include <cctype>

#include "JsonAccess.h"
#include "assay/xapi/Signature.h"
#include "assay/xapi/Syntax.h"
#include "assay/xapi/Validator.h"

namespace assay::xapi {

namespace {

std::string mediaTypeOf(std::string_view contentType) {
    std::string_view type = contentType.substr(0, contentType.find(';'));
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t'))
        type.remove_prefix(1);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
        type.remove_suffix(1);
    std::string out(type);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool sameUuid(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::variant<StatementRequest, XapiError> readStatementRequest(
    std::string_view contentType, std::string_view body, Version version,
    const StatementRequestOptions& options) {
    if (body.size() > options.limits.maxBodyBytes) {
        return makeError(ErrorCode::PayloadTooLarge, "the request body exceeds the size limit",
                         "body");
    }
    const std::string type = mediaTypeOf(contentType);
    StatementRequest out;
    std::variant<ParsedStatements, XapiError> parsed;
    if (type == "application/json") {
        parsed = parseStatements(body, version);
    } else if (type == "multipart/mixed") {
        auto multipart = parseStatementsMultipart(contentType, body, options.limits);
        if (auto* err = std::get_if<XapiError>(&multipart)) return *err;
        auto& parts = std::get<MultipartStatements>(multipart);
        out.attachments = std::move(parts.attachments);
        parsed = parseStatements(parts.statementsJson, version);
    } else {
        return makeError(ErrorCode::UnsupportedContentType,
                         "statements are sent as application/json or multipart/mixed",
                         "Content-Type");
    }
    if (auto* err = std::get_if<XapiError>(&parsed)) return *err;
    auto& statements = std::get<ParsedStatements>(parsed);
    if (statements.statements.size() > options.maxStatements) {
        return makeError(
            ErrorCode::PayloadTooLarge,
            "at most " + std::to_string(options.maxStatements) + " statements per request", "body");
    }
    out.statements = std::move(statements.statements);
    out.batch = statements.batch;
    if (auto err = matchAttachments(out.statements, out.attachments)) return *err;
    for (size_t i = 0; i < out.statements.size(); ++i) {
        if (auto err = verifyStatementSignature(*out.statements[i], out.attachments,
                                                options.signingKeyPem)) {
            err->path = (out.batch ? "$[" + std::to_string(i) + "]." : "$.") + err->path;
            return *err;
        }
    }
    return out;
}

std::optional<XapiError> applyStatementIdParameter(StatementRequest& request,
                                                   std::string_view statementId) {
    if (!isUuid(statementId)) {
        return makeError(ErrorCode::InvalidParameter, "statementId must be a UUID", "statementId");
    }
    if (request.batch || request.statements.size() != 1) {
        return makeError(ErrorCode::InvalidParameter,
                         "PUT takes exactly one statement, not an array", "$");
    }
    auto& statement = *request.statements.front();
    if (const auto* id = detail::memberString(statement, "id")) {
        if (!sameUuid(*id, statementId)) {
            return makeError(ErrorCode::ConflictingParameters,
                             "the statement's id differs from the statementId parameter", "$.id");
        }
        return std::nullopt;
    }
    statement.set("id", std::string(statementId));
    return std::nullopt;
}

}  // namespace assay::xapi
