#include "assay/xapi/Serialise.h"

#include <sstream>

#include <Poco/JSON/Stringifier.h>
#include <Poco/JSONString.h>

namespace assay::xapi {

std::string toJson(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

std::string statementResultJson(const std::vector<Poco::JSON::Object::Ptr>& statements,
                                std::string_view moreUrl) {
    std::ostringstream out;
    out << "{\"statements\":[";
    bool first = true;
    for (const auto& s : statements) {
        if (!s) continue;
        if (!first) out << ',';
        first = false;
        s->stringify(out);
    }
    out << "],\"more\":" << Poco::toJSON(std::string(moreUrl)) << '}';
    return out.str();
}

std::string statementIdsJson(const std::vector<std::string>& ids) {
    std::string out = "[";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += Poco::toJSON(ids[i]);
    }
    out += ']';
    return out;
}

}  // namespace assay::xapi
