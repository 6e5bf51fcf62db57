#include "Sarif.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <map>
#include <sstream>

#ifndef ASSAY_PLUGIN_VERSION
#define ASSAY_PLUGIN_VERSION "0.0.0"
#endif

namespace assay::analysis {

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Object::Ptr text(const std::string& s) {
    Object::Ptr o = new Object;
    o->set("text", s);
    return o;
}

}  // namespace

std::string sarifRun(const std::vector<Finding>& findings, const RunStatus& status) {
    Array::Ptr rules = new Array;
    std::map<std::string, int> ruleIndex;
    for (const auto& a : analyzers()) {
        for (const auto& r : a.rules()) {
            Object::Ptr rule = new Object;
            rule->set("id", r.id);
            rule->set("shortDescription", text(r.summary));
            ruleIndex[r.id] = static_cast<int>(rules->size());
            rules->add(rule);
        }
    }
    Object::Ptr syntaxRule = new Object;
    syntaxRule->set("id", "python/syntax-error");
    syntaxRule->set("shortDescription", text("The file is not valid Python 3.12"));
    ruleIndex["python/syntax-error"] = static_cast<int>(rules->size());
    rules->add(syntaxRule);

    Object::Ptr driver = new Object;
    driver->set("name", "assay.analyzer.python");
    driver->set("version", ASSAY_PLUGIN_VERSION);
    driver->set("rules", rules);
    Object::Ptr tool = new Object;
    tool->set("driver", driver);

    Array::Ptr results = new Array;
    Poco::JSON::Parser parser;
    for (const auto& f : findings) {
        Object::Ptr r = new Object;
        r->set("ruleId", f.ruleId);
        if (auto it = ruleIndex.find(f.ruleId); it != ruleIndex.end())
            r->set("ruleIndex", it->second);
        r->set("kind", f.kind);
        r->set("level", f.kind == "fail" ? f.level : std::string("none"));
        r->set("message", text(f.message));
        Object::Ptr region = new Object;
        region->set("startLine", std::max(1, f.line));
        region->set("startColumn", std::max(1, f.column));
        if (f.endLine > f.line) region->set("endLine", f.endLine);
        Object::Ptr artifact = new Object;
        artifact->set("uri", f.file);
        Object::Ptr physical = new Object;
        physical->set("artifactLocation", artifact);
        physical->set("region", region);
        Object::Ptr location = new Object;
        location->set("physicalLocation", physical);
        Array::Ptr locations = new Array;
        locations->add(location);
        r->set("locations", locations);
        if (!f.propertiesJson.empty()) r->set("properties", parser.parse(f.propertiesJson));
        parser.reset();
        results->add(r);
    }

    Array::Ptr notifications = new Array;
    for (const auto& name : status.unfinished) {
        Object::Ptr n = new Object;
        n->set("level", "warning");
        n->set("message", text("The " + name +
                               " analyzer did not finish: the time budget ran out or it failed."));
        notifications->add(n);
    }
    Object::Ptr invocation = new Object;
    invocation->set("executionSuccessful", status.unfinished.empty());
    invocation->set("toolExecutionNotifications", notifications);
    Array::Ptr invocations = new Array;
    invocations->add(invocation);

    Array::Ptr finished = new Array;
    for (const auto& n : status.finished)
        finished->add(n);
    Array::Ptr unfinished = new Array;
    for (const auto& n : status.unfinished)
        unfinished->add(n);
    Object::Ptr props = new Object;
    props->set("analyzersFinished", finished);
    props->set("analyzersUnfinished", unfinished);
    props->set("complete", status.unfinished.empty());

    Object::Ptr run = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    run->set("tool", tool);
    run->set("columnKind", "unicodeCodePoints");
    run->set("invocations", invocations);
    run->set("results", results);
    run->set("properties", props);
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(run, out);
    return out.str();
}

std::string sarifLog(const std::vector<std::string>& runs) {
    std::string log =
        R"({"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[)";
    for (size_t i = 0; i < runs.size(); ++i)
        log += (i ? "," : "") + runs[i];
    return log + "]}";
}

}  // namespace assay::analysis
