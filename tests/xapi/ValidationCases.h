// The validation case tables shared by the validator suite: malformed statements with the
// error each must produce, and well-formed ones under the version they are valid for.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "StatementCases.h"
#include "assay/xapi/Validator.h"

namespace xapitest {

using assay::xapi::ErrorCode;
using assay::xapi::Version;

inline constexpr Version V1 = Version::V1_0_3;
inline constexpr Version V2 = Version::V2_0_0;

struct BadCase {
    const char* name;
    std::string json;
    ErrorCode code;
    const char* path;
    Version version = V1;
    bool bothVersions = true;  // refused the same way under the other version too
};

struct GoodCase {
    std::string json;
    Version version = V1;
    bool bothVersions = true;  // valid under the other version too
};

inline const std::string kStmtRef =
    R"({"objectType":"StatementRef","id":"9e13cefd-53d3-4eac-b5ed-2cf6693903bb"})";
inline const std::string kGroupMembers =
    R"([{"mbox":"mailto:a@example.com"},{"openid":"http://openid.example.org/b"}])";

inline std::string interaction(const std::string& body) {
    return withObject(R"({"id":"http://example.com/q1","definition":)" + body + "}");
}
inline std::string ctx(const std::string& body, const std::string& object = kObject) {
    return withObject(object, "\"context\":" + body);
}
inline std::string res(const std::string& body) {
    return with("\"result\":" + body);
}
inline std::string att(const std::string& body) {
    return with("\"attachments\":[" + body + "]");
}
inline const std::string kAtt =
    R"("usageType":"http://example.com/usage","display":{"en":"a"},"contentType":"text/plain")";
inline const std::string kSha =
    R"("sha2":"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a")";

std::vector<BadCase> badCases();
std::vector<GoodCase> goodCases();

}  // namespace xapitest
