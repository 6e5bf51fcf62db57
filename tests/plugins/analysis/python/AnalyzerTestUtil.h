// Runs the analyzers over snippets and reads the SARIF run back.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

#include "Engine.h"

namespace assay::analysis::test {

struct Hit {
    std::string ruleId, level, kind, message;
    int line = 0, column = 0;
    Poco::JSON::Object::Ptr properties;
};

inline Engine& engine() {
    static Engine e;
    return e;
}

inline std::vector<Hit> hits(const std::string& sarifRun) {
    auto run = Poco::JSON::Parser().parse(sarifRun).extract<Poco::JSON::Object::Ptr>();
    std::vector<Hit> out;
    auto results = run->getArray("results");
    for (size_t i = 0; i < results->size(); ++i) {
        auto r = results->getObject(i);
        auto region = r->getArray("locations")
                          ->getObject(0)
                          ->getObject("physicalLocation")
                          ->getObject("region");
        out.push_back({r->getValue<std::string>("ruleId"), r->getValue<std::string>("level"),
                       r->getValue<std::string>("kind"),
                       r->getObject("message")->getValue<std::string>("text"),
                       region->getValue<int>("startLine"), region->getValue<int>("startColumn"),
                       r->getObject("properties")});
    }
    return out;
}

// Findings of one analyzer for one file.
inline std::vector<Hit> analyze(const std::string& analyzer, const std::string& source,
                                const std::string& extraOptions = "") {
    const std::string options = "{\"analyzers\":[\"" + analyzer + "\"]" +
                                (extraOptions.empty() ? "" : "," + extraOptions) + "}";
    return hits(engine().analyze({{"main.py", source}}, options, 0).sarifRunJson);
}

inline int count(const std::vector<Hit>& hs, const std::string& rule) {
    int n = 0;
    for (const auto& h : hs)
        n += h.ruleId == rule;
    return n;
}

inline const Hit* first(const std::vector<Hit>& hs, const std::string& rule) {
    for (const auto& h : hs)
        if (h.ruleId == rule) return &h;
    return nullptr;
}

}  // namespace assay::analysis::test
