#include "assay/xapi/Error.h"

namespace assay::xapi {

std::string_view codeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidJson:
            return "xapi.invalid_json";
        case ErrorCode::WrongType:
            return "xapi.wrong_type";
        case ErrorCode::NullValue:
            return "xapi.null_value";
        case ErrorCode::MissingProperty:
            return "xapi.missing_property";
        case ErrorCode::UnknownProperty:
            return "xapi.unknown_property";
        case ErrorCode::InvalidIri:
            return "xapi.invalid_iri";
        case ErrorCode::InvalidUuid:
            return "xapi.invalid_uuid";
        case ErrorCode::InvalidMbox:
            return "xapi.invalid_mbox";
        case ErrorCode::InvalidSha1:
            return "xapi.invalid_sha1";
        case ErrorCode::InvalidLanguageTag:
            return "xapi.invalid_language_tag";
        case ErrorCode::InvalidTimestamp:
            return "xapi.invalid_timestamp";
        case ErrorCode::InvalidDuration:
            return "xapi.invalid_duration";
        case ErrorCode::InvalidVersion:
            return "xapi.invalid_version";
        case ErrorCode::IfiMissing:
            return "xapi.ifi_missing";
        case ErrorCode::IfiMultiple:
            return "xapi.ifi_multiple";
        case ErrorCode::InvalidGroup:
            return "xapi.invalid_group";
        case ErrorCode::InvalidObjectType:
            return "xapi.invalid_object_type";
        case ErrorCode::NestedSubStatement:
            return "xapi.nested_substatement";
        case ErrorCode::SubStatementProperty:
            return "xapi.substatement_property";
        case ErrorCode::ScoreOutOfRange:
            return "xapi.score_out_of_range";
        case ErrorCode::InvalidInteraction:
            return "xapi.invalid_interaction";
        case ErrorCode::ContextNotActivity:
            return "xapi.context_not_activity";
        case ErrorCode::InvalidAuthority:
            return "xapi.invalid_authority";
        case ErrorCode::InvalidAttachment:
            return "xapi.invalid_attachment";
        case ErrorCode::VoidingTarget:
            return "xapi.voiding_target";
        case ErrorCode::MissingVersionHeader:
            return "xapi.missing_version_header";
        case ErrorCode::UnsupportedVersion:
            return "xapi.unsupported_version";
        case ErrorCode::InvalidParameter:
            return "xapi.invalid_parameter";
        case ErrorCode::UnknownParameter:
            return "xapi.unknown_parameter";
        case ErrorCode::ConflictingParameters:
            return "xapi.conflicting_parameters";
        case ErrorCode::InvalidMoreToken:
            return "xapi.invalid_more_token";
        case ErrorCode::MultipartMalformed:
            return "xapi.multipart_malformed";
        case ErrorCode::AttachmentMissing:
            return "xapi.attachment_missing";
        case ErrorCode::AttachmentUnexpected:
            return "xapi.attachment_unexpected";
        case ErrorCode::AttachmentHashMismatch:
            return "xapi.attachment_hash_mismatch";
        case ErrorCode::PayloadTooLarge:
            return "xapi.payload_too_large";
        case ErrorCode::SignatureMalformed:
            return "xapi.signature_malformed";
        case ErrorCode::SignatureAlgorithm:
            return "xapi.signature_algorithm";
        case ErrorCode::SignatureMismatch:
            return "xapi.signature_mismatch";
        case ErrorCode::SignatureInvalid:
            return "xapi.signature_invalid";
        case ErrorCode::DuplicateStatementId:
            return "xapi.duplicate_statement_id";
        case ErrorCode::UnsupportedContentType:
            return "xapi.unsupported_content_type";
    }
    return "xapi.unknown";
}

int httpStatusFor(ErrorCode code) {
    return code == ErrorCode::PayloadTooLarge ? 413 : 400;
}

std::string XapiError::describe() const {
    std::string out(name());
    if (!path.empty()) {
        out += " at ";
        out += path;
    }
    out += ": ";
    out += message;
    return out;
}

XapiError makeError(ErrorCode code, std::string message, std::string path) {
    return XapiError{code, std::move(message), std::move(path), httpStatusFor(code)};
}

XapiException::XapiException(XapiError error)
    : std::runtime_error(error.describe()), error_(std::move(error)) {}

}  // namespace assay::xapi
