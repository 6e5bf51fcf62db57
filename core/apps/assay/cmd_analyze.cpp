// assay analyze FILE_OR_DIR: static analysis of Python files with the analyzer plugins
// in the plugin directory (the same plugins assayd runs), printed as one SARIF 2.1.0 log
// or as readable lines. Exits 1 when a finding has level "error".
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <tuple>

#include "assay/core/events/outbox.h"
#include "assay/core/plugins/plugin_manager.h"
#include "assay/core/store/migrations.h"
#include "cli.h"

namespace assay::cli {
namespace fs = std::filesystem;
namespace {

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<plugin::File> pythonFiles(const std::string& target) {
    std::error_code ec;
    std::vector<plugin::File> files;
    if (fs::is_regular_file(target, ec)) {
        files.push_back({fs::path(target).filename().generic_string(), readAll(target)});
        return files;
    }
    if (!fs::is_directory(target, ec))
        throw UsageError("'" + target + "' is neither a file nor a directory");
    for (auto it = fs::recursive_directory_iterator(target, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file() || it->is_symlink() || it->path().extension() != ".py") continue;
        const std::string rel = fs::relative(it->path(), target).generic_string();
        if (rel.find("__pycache__") != std::string::npos) continue;
        files.push_back({rel, readAll(it->path())});
    }
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

struct Line {
    std::string file;
    int line = 0, column = 0;
    std::string text;
};

// Readable lines "file:line:column: level rule: message", sorted by place.
int printText(const std::vector<std::string>& runs, const std::vector<std::string>& incomplete) {
    std::vector<Line> lines;
    int errors = 0;
    for (const auto& runJson : runs) {
        auto run = Poco::JSON::Parser().parse(runJson).extract<Poco::JSON::Object::Ptr>();
        auto results = run->getArray("results");
        for (size_t i = 0; results && i < results->size(); ++i) {
            auto r = results->getObject(i);
            const std::string kind = r->optValue<std::string>("kind", "fail");
            const std::string level = r->optValue<std::string>("level", "warning");
            if (kind == "informational") continue;
            Line l;
            if (auto locs = r->getArray("locations"); locs && locs->size() > 0) {
                auto phys = locs->getObject(0)->getObject("physicalLocation");
                l.file = phys->getObject("artifactLocation")->optValue<std::string>("uri", "");
                if (auto region = phys->getObject("region")) {
                    l.line = region->optValue<int>("startLine", 0);
                    l.column = region->optValue<int>("startColumn", 0);
                }
            }
            errors += level == "error" && kind == "fail";
            l.text = (kind == "fail" ? level : kind) + " " +
                     r->optValue<std::string>("ruleId", "?") + ": " +
                     r->getObject("message")->optValue<std::string>("text", "");
            lines.push_back(std::move(l));
        }
    }
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
    for (const auto& l : lines)
        std::cout << l.file << ":" << l.line << ":" << l.column << ": " << l.text << "\n";
    for (const auto& name : incomplete)
        std::cout << "incomplete: " << name << " did not finish in the time budget\n";
    std::cout << lines.size() << " finding(s)\n";
    return errors;
}

}  // namespace

void registerAnalyze(std::vector<Command>& cmds) {
    cmds.push_back(
        {{"analyze"},
         "FILE_OR_DIR [--format sarif|text] [--budget-ms N] [--options JSON] [--plugins DIR]",
         "static analysis of Python files with the analyzer plugins; prints SARIF 2.1.0 or text, "
         "exits 1 "
         "when a finding is an error",
         [](Context& ctx) {
             const std::string pluginDir = ctx.option("plugins");
             const std::string format = ctx.option("format", "sarif");
             const std::string budget = ctx.option("budget-ms", "0");
             const std::string options = ctx.option("options", "{}");
             const std::string target = ctx.positional(0, "FILE_OR_DIR");
             if (format != "sarif" && format != "text")
                 throw UsageError("--format must be sarif or text");
             plugin::AnalysisRequest request;
             try {
                 request.budgetMs = std::stoll(budget);
             } catch (const std::exception&) {
                 throw UsageError("--budget-ms must be a number of milliseconds");
             }
             request.optionsJson = options;
             request.files = pythonFiles(target);
             if (!pluginDir.empty()) ctx.config.set("plugins.dir", pluginDir);
             // Plugins need a database for their storage: a private, in-memory one.
             auto db = db::open("sqlite::memory:", 1, 1000);
             db::migrate(*db);
             Metrics metrics;
             Outbox outbox(*db, metrics);
             PluginManager plugins(ctx.config, *db, metrics, outbox);
             plugins.scan();
             auto analyzers = plugins.withKind(plugin::kAnalyzer);
             if (analyzers.empty()) {
                 std::cerr << "assay: no analyzer plugin in " << ctx.config.str("plugins.dir")
                           << "\n";
                 return 1;
             }
             std::vector<std::string> runs, incomplete;
             for (const auto& p : analyzers) {
                 plugin::AnalysisResult result;
                 std::string error;
                 if (!plugins.call(
                         p, "analyze",
                         [&](plugin::Plugin& pl) { result = pl.analyzer()->analyze(request); },
                         &error)) {
                     std::cerr << "assay: analyzer " << p->name() << " failed: " << error << "\n";
                     incomplete.push_back(p->name());
                     continue;
                 }
                 if (!result.complete) incomplete.push_back(p->name());
                 runs.push_back(result.sarifRunJson);
             }
             if (format == "text") return printText(runs, incomplete) > 0 ? 1 : 0;
             std::cout
                 << R"({"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[)";
             for (size_t i = 0; i < runs.size(); ++i)
                 std::cout << (i ? "," : "") << runs[i];
             std::cout << "]}\n";
             std::ostringstream devnull;
             std::streambuf* saved = std::cout.rdbuf(devnull.rdbuf());
             const int errors = printText(runs, incomplete);
             std::cout.rdbuf(saved);
             return errors > 0 ? 1 : 0;
         }});
}

}  // namespace assay::cli
