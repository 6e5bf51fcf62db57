#pragma once
// JSON helpers over Poco::JSON: strict parsing of request bodies and typed field access that
// turns every mismatch into an ApiError naming the field.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace assay::json {

using Object = Poco::JSON::Object::Ptr;
using Array = Poco::JSON::Array::Ptr;

// Parses `text` as a JSON object. Throws ApiError(400, "invalid_json") with a position on failure,
// and refuses documents deeper than `maxDepth`.
Object parseObject(std::string_view text, int maxDepth = 64);

// Serialises compactly.
std::string stringify(const Object& obj);
std::string stringify(const Array& arr);

// Refuses keys of `obj` that are not in `allowed` (ApiError 400 "unknown_field").
void rejectUnknown(const Object& obj, std::initializer_list<std::string_view> allowed,
                   const std::string& where = "");

// Typed access. `where` prefixes field names in messages (e.g. "tests[2].").
std::string requireString(const Object& obj, const std::string& key, const std::string& where = "");
std::optional<std::string> optString(const Object& obj, const std::string& key,
                                     const std::string& where = "");
int64_t requireInt(const Object& obj, const std::string& key, const std::string& where = "");
std::optional<int64_t> optInt(const Object& obj, const std::string& key,
                              const std::string& where = "");
std::optional<double> optNumber(const Object& obj, const std::string& key,
                                const std::string& where = "");
std::optional<bool> optBool(const Object& obj, const std::string& key,
                            const std::string& where = "");
Object optObject(const Object& obj, const std::string& key, const std::string& where = "");
Array optArray(const Object& obj, const std::string& key, const std::string& where = "");

}  // namespace assay::json
