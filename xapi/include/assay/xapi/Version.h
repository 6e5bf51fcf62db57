// The xAPI version a request is processed under, chosen from X-Experience-API-Version.
#pragma once

#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "assay/xapi/Error.h"

namespace assay::xapi {

enum class Version {
    V1_0_3,  // requests announcing 1.0.0 .. 1.0.3 are processed with the 1.0.3 rules
    V2_0_0,  // IEEE 9274.1.1 (xAPI 2.0)
};

// "1.0.3" or "2.0.0": what the LRS puts into X-Experience-API-Version of its answers.
std::string_view versionHeaderValue(Version v);

// Value written into a stored statement without "version" ("1.0.0" under 1.0.3 rules).
std::string_view defaultStatementVersion(Version v);

// Parses the request header. A missing header (nullopt) gives MissingVersionHeader, anything
// other than 1.0, 1.0.0-1.0.3, 2.0, 2.0.0 gives UnsupportedVersion; both answer 400.
std::variant<Version, XapiError> versionFromHeader(std::optional<std::string_view> header);

// The versions the About resource lists: "1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0".
const std::vector<std::string_view>& supportedVersions();

// Whether a statement's own "version" property is acceptable under the request's rules:
// "1.0" or "1.0.x" always, "2.0" or "2.0.x" under the 2.0 rules.
bool statementVersionAllowed(std::string_view statementVersion, Version requestVersion);

}  // namespace assay::xapi
