// Signed statements: a JWS (RS256/384/512) carried as an attachment with usageType
// http://adlnet.gov/expapi/attachments/signature.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

#include "assay/xapi/Error.h"
#include "assay/xapi/Multipart.h"

namespace assay::xapi {

inline constexpr std::string_view kSignatureUsageType =
    "http://adlnet.gov/expapi/attachments/signature";

// Whether the statement declares a signature attachment.
bool isSignedStatement(const Poco::JSON::Object& statement);

// Checks a signed statement as an LRS must before storing it: the signature part exists and
// is a compact JWS with alg RS256/384/512, its payload is a statement equivalent to the
// received one without the signature attachment, and - when the JWS header carries an x5c
// certificate or `publicKeyPem` is given - the signature verifies. nullopt for unsigned
// statements, valid signatures, and signatures only referenced by fileUrl (sent without
// their part, so there is nothing to check beyond the content type). Codes: SignatureMalformed,
// SignatureAlgorithm, SignatureMismatch, SignatureInvalid, AttachmentMissing (all 400).
std::optional<XapiError> verifyStatementSignature(const Poco::JSON::Object& statement,
                                                  const std::vector<AttachmentPart>& parts,
                                                  const std::string& publicKeyPem = {});

// Signs `statement` (as it is now) with a PEM RSA private key, adds the signature attachment
// header to it and returns the part to send with it. `certificatePem` (optional) goes into
// the JWS header as x5c. `alg` is RS256, RS384 or RS512. Throws std::invalid_argument on a
// bad key or algorithm.
AttachmentPart signStatement(Poco::JSON::Object& statement, const std::string& privateKeyPem,
                             std::string_view alg = "RS256",
                             const std::string& certificatePem = {});

}  // namespace assay::xapi
