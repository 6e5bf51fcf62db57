// assay grade BUNDLE SUBMISSION_DIR: grades offline with the same graders and rubric as
// assayd, so instructors can check a bundle before publishing it.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "assay/core/bundle/bundle.h"
#include "assay/core/events/outbox.h"
#include "assay/core/grading/grading_service.h"
#include "assay/core/store/migrations.h"
#include "cli.h"
#include "sandbox_adapter.h"

namespace assay::cli {
namespace fs = std::filesystem;
namespace {

FileMap readDir(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw UsageError("'" + dir + "' is not a directory");
    FileMap files;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file() || it->is_symlink()) continue;
        const std::string rel = fs::relative(it->path(), dir).generic_string();
        if (rel.find("__pycache__") != std::string::npos) continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        files[rel] = ss.str();
    }
    return files;
}

}  // namespace

void registerGrade(std::vector<Command>& cmds) {
    cmds.push_back({{"grade"},
                    "BUNDLE SUBMISSION_DIR [--plugins DIR] [--kind run|submit]",
                    "grade the files in SUBMISSION_DIR against a bundle (directory or .zip) and "
                    "print one JSON object; "
                    "uses the graders in the plugin directory and assay-runner",
                    [](Context& ctx) {
                        const std::string pluginDir = ctx.option("plugins");
                        const std::string kind = ctx.option("kind", "submit");
                        const std::string bundlePath = ctx.positional(0, "BUNDLE");
                        const std::string subDir = ctx.positional(1, "SUBMISSION_DIR");
                        if (!pluginDir.empty()) ctx.config.set("plugins.dir", pluginDir);
                        auto b = bundle::load(bundlePath);
                        // Plugins need a database for their storage: a private, in-memory one.
                        auto db = db::open("sqlite::memory:", 1, 1000);
                        db::migrate(*db);
                        Metrics metrics;
                        Outbox outbox(*db, metrics);
                        PluginManager plugins(ctx.config, *db, metrics, outbox);
                        plugins.setSandbox(app::runnerAt(ctx.config.str("runner.socket")));
                        plugins.scan();
                        grading::GradingService service(plugins);
                        grading::GradeInput in;
                        in.kind = kind;
                        in.manifest = b.manifest;
                        in.manifestJson = b.manifestJson;
                        in.assignmentFiles = b.files;
                        in.studentFiles = readDir(subDir);
                        auto out = service.grade(in);

                        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                        o->set("score", out.scored.score);
                        o->set("max_score", out.scored.maxScore);
                        Poco::JSON::Array::Ptr tests = new Poco::JSON::Array;
                        for (const auto& r : out.scored.results) {
                            Poco::JSON::Object::Ptr t = new Poco::JSON::Object;
                            t->set("name", r.testName);
                            t->set("passed", r.passed);
                            t->set("points", r.points);
                            t->set("max_points", r.maxPoints);
                            t->set("hidden", r.hidden);
                            t->set("feedback", r.feedback);
                            t->set("details",
                                   json::parseObject(r.detailsJson.empty() ? "{}" : r.detailsJson));
                            tests->add(t);
                        }
                        o->set("tests", tests);
                        if (out.systemError) o->set("error", out.error);
                        Poco::JSON::Stringifier::stringify(o, std::cout, 2);
                        std::cout << "\n";
                        if (out.systemError) {
                            std::cerr << "assay: grading did not complete: " << out.error << "\n";
                            return 1;
                        }
                        return 0;
                    }});
}

}  // namespace assay::cli
