// Typed errors of the xAPI module: a stable code, a human message, the JSON path of the
// offending value and the HTTP status an LRS answers with.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace assay::xapi {

// Stable error codes. The names returned by codeName() are part of the public contract
// (they appear in LRS error bodies and logs); never renumber or rename them.
enum class ErrorCode {
    InvalidJson,             // body is not JSON
    WrongType,               // a value has the wrong JSON type (e.g. string where number)
    NullValue,               // null outside of extensions
    MissingProperty,         // a required property is absent
    UnknownProperty,         // a property the specification does not allow here
    InvalidIri,              // not an absolute IRI
    InvalidUuid,             // not a UUID in standard string form
    InvalidMbox,             // mbox is not a mailto IRI
    InvalidSha1,             // mbox_sha1sum is not 40 hex digits
    InvalidLanguageTag,      // a language map key / context.language is not RFC 5646
    InvalidTimestamp,        // not an ISO 8601 timestamp (or lacks a zone where required)
    InvalidDuration,         // not an ISO 8601 duration
    InvalidVersion,          // statement "version" not allowed for the request's version
    IfiMissing,              // agent / identified group without an inverse functional identifier
    IfiMultiple,             // more than one inverse functional identifier
    InvalidGroup,            // anonymous group without members, group inside members
    InvalidObjectType,       // objectType value not allowed here
    NestedSubStatement,      // a SubStatement inside a SubStatement
    SubStatementProperty,    // id / stored / version / authority inside a SubStatement
    ScoreOutOfRange,         // scaled outside [-1,1], raw outside [min,max], min >= max
    InvalidInteraction,      // interaction type / component rules broken
    ContextNotActivity,      // context.revision / platform with a non-Activity object
    InvalidAuthority,        // authority that is neither an Agent nor a two-member anonymous Group
    InvalidAttachment,       // attachment header value broken (length, sha2, contentType)
    VoidingTarget,           // voiding statement whose object is not a StatementRef
    MissingVersionHeader,    // X-Experience-API-Version absent
    UnsupportedVersion,      // X-Experience-API-Version not supported
    InvalidParameter,        // query parameter with a bad value
    UnknownParameter,        // query parameter the resource does not know
    ConflictingParameters,   // e.g. statementId together with filters
    InvalidMoreToken,        // paging token forged, damaged or from another query
    MultipartMalformed,      // multipart/mixed body cannot be parsed
    AttachmentMissing,       // statement declares an attachment whose part is absent
    AttachmentUnexpected,    // a part that no statement declares
    AttachmentHashMismatch,  // part content does not match its X-Experience-API-Hash
    PayloadTooLarge,         // a size limit was exceeded
    SignatureMalformed,      // JWS cannot be decoded or is not compact serialisation
    SignatureAlgorithm,      // JWS alg is not RS256 / RS384 / RS512
    SignatureMismatch,       // JWS payload differs from the statement
    SignatureInvalid,        // cryptographic verification failed
    DuplicateStatementId,    // two statements of one batch share an id
    UnsupportedContentType,  // a statements request neither JSON nor multipart/mixed
};

// The stable name of a code, e.g. "xapi.unknown_property".
std::string_view codeName(ErrorCode code);

// HTTP status an LRS answers a request failing with this code (400 or 413).
int httpStatusFor(ErrorCode code);

struct XapiError {
    ErrorCode code;
    std::string message;  // for people; may change between releases
    std::string path;     // JSON path of the offending value ("$.actor.mbox"), or a parameter name
    int httpStatus = 400;

    std::string_view name() const { return codeName(code); }
    // "xapi.invalid_iri at $.verb.id: ..." for logs and error bodies.
    std::string describe() const;
};

XapiError makeError(ErrorCode code, std::string message, std::string path = {});

// Thrown inside the module; public functions return XapiError instead where noted.
class XapiException : public std::runtime_error {
  public:
    explicit XapiException(XapiError error);
    const XapiError& error() const noexcept { return error_; }

  private:
    XapiError error_;
};

}  // namespace assay::xapi
