#pragma once
// Strict JSON helpers over Poco::JSON shared by the LTI parsers.
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "assay/lti/Error.h"

namespace assay::lti::json {

// Parses text that must be a single JSON object (bounded nesting depth); throws
// LtiError(errorCode) on anything else.
Poco::JSON::Object::Ptr parseObject(const std::string& text, ErrorCode errorCode);

// Typed member access; nullopt when absent or of another type.
std::optional<std::string> getString(const Poco::JSON::Object& o, const std::string& key);
std::optional<long long> getInteger(const Poco::JSON::Object& o, const std::string& key);
std::optional<bool> getBool(const Poco::JSON::Object& o, const std::string& key);
Poco::JSON::Object::Ptr getObject(const Poco::JSON::Object& o, const std::string& key);
Poco::JSON::Array::Ptr getArray(const Poco::JSON::Object& o, const std::string& key);
// Array of strings; nullopt when absent, not an array or an element is not a string.
std::optional<std::vector<std::string>> getStringArray(const Poco::JSON::Object& o,
                                                       const std::string& key);

// Compact serialisation without whitespace.
std::string stringify(const Poco::JSON::Object& o);

}  // namespace assay::lti::json
