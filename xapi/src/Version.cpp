#include "assay/xapi/Version.h"

#include <string>

namespace assay::xapi {

std::string_view versionHeaderValue(Version v) {
    return v == Version::V2_0_0 ? "2.0.0" : "1.0.3";
}

std::string_view defaultStatementVersion(Version v) {
    return v == Version::V2_0_0 ? "2.0.0" : "1.0.0";
}

std::variant<Version, XapiError> versionFromHeader(std::optional<std::string_view> header) {
    if (!header) {
        return makeError(ErrorCode::MissingVersionHeader,
                         "the X-Experience-API-Version header is required",
                         "X-Experience-API-Version");
    }
    const std::string_view h = *header;
    if (h == "1.0" || h == "1.0.0" || h == "1.0.1" || h == "1.0.2" || h == "1.0.3") {
        return Version::V1_0_3;
    }
    if (h == "2.0" || h == "2.0.0") return Version::V2_0_0;
    return makeError(
        ErrorCode::UnsupportedVersion,
        "xAPI version '" + std::string(h.substr(0, 32)) + "' is not supported; use 1.0.3 or 2.0.0",
        "X-Experience-API-Version");
}

const std::vector<std::string_view>& supportedVersions() {
    static const std::vector<std::string_view> versions = {"1.0.0", "1.0.1", "1.0.2", "1.0.3",
                                                           "2.0.0"};
    return versions;
}

namespace {
// "<major>.0" or "<major>.0.<digits>" with the given major digit.
bool isPatchOf(std::string_view s, char major) {
    if (s.size() == 3) return s[0] == major && s.substr(1) == ".0";
    if (s.size() < 5 || s[0] != major || s.substr(1, 3) != ".0.") return false;
    for (size_t i = 4; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    return s.size() <= 8;
}
}  // namespace

bool statementVersionAllowed(std::string_view statementVersion, Version requestVersion) {
    if (isPatchOf(statementVersion, '1')) return true;
    return requestVersion == Version::V2_0_0 && isPatchOf(statementVersion, '2');
}

}  // namespace assay::xapi
