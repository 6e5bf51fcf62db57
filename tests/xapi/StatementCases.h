// Building blocks for statement test cases: a valid statement assembled from JSON fragments.
#pragma once

#include <string>

namespace xapitest {

inline const std::string kActor =
    R"({"objectType":"Agent","name":"Ada","mbox":"mailto:ada@example.com"})";
inline const std::string kVerb =
    R"({"id":"http://adlnet.gov/expapi/verbs/attempted","display":{"en-US":"attempted"}})";
inline const std::string kObject = R"({"id":"http://example.com/activities/a1"})";

// {"actor":..,"verb":..,"object":.., <extra>}
inline std::string statement(const std::string& actor = kActor, const std::string& verb = kVerb,
                             const std::string& object = kObject, const std::string& extra = "") {
    std::string s = "{\"actor\":" + actor + ",\"verb\":" + verb + ",\"object\":" + object;
    if (!extra.empty()) s += "," + extra;
    return s + "}";
}

// A statement with only an extra top-level member added.
inline std::string with(const std::string& extra) {
    return statement(kActor, kVerb, kObject, extra);
}
inline std::string withObject(const std::string& object, const std::string& extra = "") {
    return statement(kActor, kVerb, object, extra);
}
inline std::string withActor(const std::string& actor) {
    return statement(actor);
}
inline std::string withVerb(const std::string& verb) {
    return statement(kActor, verb);
}

}  // namespace xapitest
