#include "assay/core/grading/grading_service.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

#include "assay/core/json.h"

namespace assay::grading {
namespace {

std::vector<plugin::File> toFiles(const FileMap& m) {
    std::vector<plugin::File> out;
    out.reserve(m.size());
    for (const auto& [p, c] : m)
        out.push_back({p, c});
    return out;
}

std::string testJson(const std::string& manifestJson, size_t index) {
    auto o = json::parseObject(manifestJson);
    auto tests = o->getArray("tests");
    if (!tests || index >= tests->size()) return "{}";
    return json::stringify(tests->getObject(static_cast<unsigned>(index)));
}

}  // namespace

GradeOutput GradingService::grade(const GradeInput& in) {
    GradeOutput out;
    // Group the tests by type, keeping manifest order inside each group.
    std::map<std::string, std::vector<plugin::TestSpec>> byType;
    for (size_t i = 0; i < in.manifest.tests.size(); ++i) {
        const auto& t = in.manifest.tests[i];
        const std::string type = t.type == bundle::TestType::Io ? "io" : "unittest";
        byType[type].push_back({t.name, type, testJson(in.manifestJson, i), t.weight, t.hidden});
    }
    auto graders = plugins_.withKind(plugin::kGrader);
    // Built-in graders (assay.*) come after vendors' so a vendor may take over a test type.
    std::stable_sort(graders.begin(), graders.end(), [](const auto& a, const auto& b) {
        return (a->name().rfind("assay.", 0) == 0) < (b->name().rfind("assay.", 0) == 0);
    });
    for (const auto& [type, specs] : byType) {
        std::shared_ptr<LoadedPlugin> grader;
        for (const auto& g : graders) {
            std::vector<std::string> types;
            if (!plugins_.call(g, "testTypes",
                               [&](plugin::Plugin& p) { types = p.grader()->testTypes(); }))
                continue;
            if (std::find(types.begin(), types.end(), type) != types.end()) {
                grader = g;
                break;
            }
        }
        if (!grader) {
            out.systemError = true;
            out.error = "no grader plugin handles tests of type '" + type + "'";
            continue;
        }
        plugin::GradeRequest req;
        req.submissionId = in.submissionId;
        req.kind = in.kind;
        req.studentFiles = toFiles(in.studentFiles);
        req.assignmentFiles = toFiles(in.assignmentFiles);
        req.manifestJson = in.manifestJson;
        req.tests = specs;
        plugin::GradeResult result;
        std::string error;
        if (!plugins_.call(
                grader, "grade", [&](plugin::Plugin& p) { result = p.grader()->grade(req); },
                &error)) {
            out.systemError = true;
            out.error = error;
            continue;
        }
        for (auto& o : result.tests) {
            // Only outcomes for tests this grader was asked about count.
            bool asked = false;
            for (const auto& s : specs)
                asked = asked || s.name == o.name;
            if (!asked) continue;
            if (o.status == "error") {
                out.systemError = true;
                if (out.error.empty())
                    out.error = "test '" + o.name + "' could not run: " + o.feedback;
            }
            out.outcomes[o.name] = std::move(o);
        }
        for (const auto& s : specs)
            if (!out.outcomes.count(s.name)) {
                out.systemError = true;
                if (out.error.empty())
                    out.error = grader->name() + " returned no outcome for '" + s.name + "'";
            }
    }
    out.scored = applyRubric(in.manifest, out.outcomes);
    return out;
}

}  // namespace assay::grading
