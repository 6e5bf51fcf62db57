// Internal: cheap classification of Poco JSON values.
#pragma once

#include <string>
#include <string_view>
#include <typeinfo>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace assay::xapi::detail {

enum class Kind { Null, Bool, Number, String, Object, Array, Other };

inline Kind kindOf(const Poco::Dynamic::Var& v) {
    if (v.isEmpty()) return Kind::Null;
    const std::type_info& t = v.type();
    // Type names are unique strings in practice: compare their addresses before falling back
    // to std::type_info equality (which compares the names character by character).
    static const char* const kObject = typeid(Poco::JSON::Object::Ptr).name();
    static const char* const kArray = typeid(Poco::JSON::Array::Ptr).name();
    static const char* const kString = typeid(std::string).name();
    static const char* const kBool = typeid(bool).name();
    const char* name = t.name();
    if (name == kString) return Kind::String;
    if (name == kObject) return Kind::Object;
    if (name == kArray) return Kind::Array;
    if (name == kBool) return Kind::Bool;
    if (t == typeid(std::string)) return Kind::String;
    if (t == typeid(Poco::JSON::Object::Ptr)) return Kind::Object;
    if (t == typeid(Poco::JSON::Array::Ptr)) return Kind::Array;
    if (t == typeid(bool)) return Kind::Bool;
    if (v.isNumeric()) return Kind::Number;
    return Kind::Other;
}

inline const Poco::JSON::Object& asObject(const Poco::Dynamic::Var& v) {
    return *v.extract<Poco::JSON::Object::Ptr>();
}
inline const Poco::JSON::Array& asArray(const Poco::Dynamic::Var& v) {
    return *v.extract<Poco::JSON::Array::Ptr>();
}
inline const std::string& asString(const Poco::Dynamic::Var& v) {
    return v.extract<std::string>();
}

// Pointer to the member value or nullptr, without copying the Var.
inline const Poco::Dynamic::Var* member(const Poco::JSON::Object& o, std::string_view key) {
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it->first == key) return &it->second;
    }
    return nullptr;
}

// Member as string, or nullptr when absent or not a string.
inline const std::string* memberString(const Poco::JSON::Object& o, std::string_view key) {
    const auto* v = member(o, key);
    return v && kindOf(*v) == Kind::String ? &asString(*v) : nullptr;
}

// Member as object pointer, or null Ptr.
inline Poco::JSON::Object::Ptr memberObject(const Poco::JSON::Object& o, std::string_view key) {
    const auto* v = member(o, key);
    return v && kindOf(*v) == Kind::Object ? v->extract<Poco::JSON::Object::Ptr>()
                                           : Poco::JSON::Object::Ptr();
}

}  // namespace assay::xapi::detail
