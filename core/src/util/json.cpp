#include "assay/core/json.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "assay/core/error.h"

namespace assay::json {
namespace {

// Poco's parser recurses without a bound; measure nesting first so hostile input cannot
// exhaust the stack.
void checkDepth(std::string_view text, int maxDepth) {
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' || c == '[') {
            if (++depth > maxDepth)
                throw ApiError::badRequest("invalid_json", "JSON nested too deeply");
        } else if (c == '}' || c == ']')
            --depth;
    }
}

std::string typeError(const std::string& where, const std::string& key, const char* expected) {
    return "field '" + where + key + "' must be " + expected;
}

}  // namespace

Object parseObject(std::string_view text, int maxDepth) {
    checkDepth(text, maxDepth);
    Poco::Dynamic::Var v;
    try {
        Poco::JSON::Parser parser;
        v = parser.parse(std::string(text));
    } catch (const Poco::Exception& e) {
        throw ApiError::badRequest("invalid_json",
                                   "request body is not valid JSON: " + e.message());
    } catch (const std::exception& e) {
        throw ApiError::badRequest("invalid_json",
                                   std::string("request body is not valid JSON: ") + e.what());
    }
    if (v.type() != typeid(Poco::JSON::Object::Ptr))
        throw ApiError::badRequest("invalid_json", "expected a JSON object");
    return v.extract<Poco::JSON::Object::Ptr>();
}

std::string stringify(const Object& obj) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(obj, out);
    return out.str();
}

std::string stringify(const Array& arr) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(arr, out);
    return out.str();
}

void rejectUnknown(const Object& obj, std::initializer_list<std::string_view> allowed,
                   const std::string& where) {
    for (const auto& [key, value] : *obj) {
        bool ok = false;
        for (auto a : allowed)
            ok = ok || key == a;
        if (!ok) throw ApiError::badRequest("unknown_field", "unknown field '" + where + key + "'");
    }
}

std::optional<std::string> optString(const Object& obj, const std::string& key,
                                     const std::string& where) {
    if (!obj->has(key) || obj->isNull(key)) return std::nullopt;
    auto v = obj->get(key);
    if (!v.isString())
        throw ApiError::badRequest("invalid_field", typeError(where, key, "a string"));
    return v.extract<std::string>();
}

std::string requireString(const Object& obj, const std::string& key, const std::string& where) {
    auto s = optString(obj, key, where);
    if (!s) throw ApiError::badRequest("missing_field", "field '" + where + key + "' is required");
    return *s;
}

std::optional<int64_t> optInt(const Object& obj, const std::string& key, const std::string& where) {
    if (!obj->has(key) || obj->isNull(key)) return std::nullopt;
    auto v = obj->get(key);
    if (!v.isInteger()) {
        // Accept integral doubles (e.g. 10.0) but nothing else.
        if (v.isNumeric()) {
            double d = v.convert<double>();
            if (d == static_cast<double>(static_cast<int64_t>(d)) && d > -9.0e15 && d < 9.0e15)
                return static_cast<int64_t>(d);
        }
        throw ApiError::badRequest("invalid_field", typeError(where, key, "an integer"));
    }
    try {
        return v.convert<int64_t>();
    } catch (const Poco::Exception&) {
        throw ApiError::badRequest("invalid_field", typeError(where, key, "an integer in range"));
    }
}

int64_t requireInt(const Object& obj, const std::string& key, const std::string& where) {
    auto i = optInt(obj, key, where);
    if (!i) throw ApiError::badRequest("missing_field", "field '" + where + key + "' is required");
    return *i;
}

std::optional<double> optNumber(const Object& obj, const std::string& key,
                                const std::string& where) {
    if (!obj->has(key) || obj->isNull(key)) return std::nullopt;
    auto v = obj->get(key);
    if (!v.isNumeric())
        throw ApiError::badRequest("invalid_field", typeError(where, key, "a number"));
    return v.convert<double>();
}

std::optional<bool> optBool(const Object& obj, const std::string& key, const std::string& where) {
    if (!obj->has(key) || obj->isNull(key)) return std::nullopt;
    auto v = obj->get(key);
    if (!v.isBoolean())
        throw ApiError::badRequest("invalid_field", typeError(where, key, "true or false"));
    return v.extract<bool>();
}

Object optObject(const Object& obj, const std::string& key, const std::string& where) {
    if (!obj->has(key) || obj->isNull(key)) return nullptr;
    auto o = obj->getObject(key);
    if (!o) throw ApiError::badRequest("invalid_field", typeError(where, key, "an object"));
    return o;
}

Array optArray(const Object& obj, const std::string& key, const std::string& where) {
    if (!obj->has(key) || obj->isNull(key)) return nullptr;
    auto a = obj->getArray(key);
    if (!a) throw ApiError::badRequest("invalid_field", typeError(where, key, "an array"));
    return a;
}

}  // namespace assay::json
