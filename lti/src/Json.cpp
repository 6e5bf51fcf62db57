#include "assay/lti/Json.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <sstream>

#include "assay/lti/Error.h"

namespace assay::lti::json {
namespace {
// Enough for every LTI claim; deep nesting is only ever an attack on the parser.
constexpr std::size_t kMaxDepth = 32;
}  // namespace

Poco::JSON::Object::Ptr parseObject(const std::string& text, ErrorCode code) {
    Poco::Dynamic::Var value;
    try {
        Poco::JSON::Parser parser;
        parser.setAllowComments(false);
        parser.setAllowNullByte(false);
        parser.setDepth(kMaxDepth);
        value = parser.parse(text);
    } catch (const std::exception& e) {
        throw LtiError(code, std::string("not valid JSON: ") + e.what());
    }
    if (value.type() != typeid(Poco::JSON::Object::Ptr))
        throw LtiError(code, "JSON value is not an object");
    auto obj = value.extract<Poco::JSON::Object::Ptr>();
    if (obj.isNull()) throw LtiError(code, "JSON value is not an object");
    return obj;
}

std::optional<std::string> getString(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key)) return std::nullopt;
    const auto& v = o.get(key);
    if (!v.isString()) return std::nullopt;
    return v.extract<std::string>();
}

std::optional<long long> getInteger(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key)) return std::nullopt;
    const auto& v = o.get(key);
    if (v.isEmpty() || v.isString() || v.isBoolean() || v.isArray() || v.isStruct())
        return std::nullopt;
    if (v.isInteger()) {
        try {
            return v.convert<long long>();
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    if (v.isNumeric()) {
        // NumericDate may carry a fraction; keep the whole seconds.
        double d = 0;
        try {
            d = v.convert<double>();
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (!std::isfinite(d) || std::fabs(d) > 1e15) return std::nullopt;
        return static_cast<long long>(std::floor(d));
    }
    return std::nullopt;
}

std::optional<bool> getBool(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key)) return std::nullopt;
    const auto& v = o.get(key);
    if (!v.isBoolean()) return std::nullopt;
    return v.extract<bool>();
}

Poco::JSON::Object::Ptr getObject(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || !o.isObject(key)) return nullptr;
    return o.getObject(key);
}

Poco::JSON::Array::Ptr getArray(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || !o.isArray(key)) return nullptr;
    return o.getArray(key);
}

std::optional<std::vector<std::string>> getStringArray(const Poco::JSON::Object& o,
                                                       const std::string& key) {
    auto arr = getArray(o, key);
    if (arr.isNull()) return std::nullopt;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto v = arr->get(static_cast<unsigned>(i));
        if (!v.isString()) return std::nullopt;
        out.push_back(v.extract<std::string>());
    }
    return out;
}

std::string stringify(const Poco::JSON::Object& o) {
    std::ostringstream out;
    o.stringify(out, 0);
    return out.str();
}

}  // namespace assay::lti::json
