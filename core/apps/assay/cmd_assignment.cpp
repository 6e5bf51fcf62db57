// assay assignment import|export|list
#include <fstream>
#include <iostream>

#include "assay/core/bundle/bundle.h"
#include "cli.h"

namespace assay::cli {
namespace {

Course courseByCode(Context& ctx, const std::string& code) {
    auto c = ctx.store().findCourseByCode(code);
    if (!c)
        throw std::runtime_error("no course with code '" + code +
                                 "' (create it with --create-course TITLE)");
    return *c;
}

}  // namespace

void registerAssignment(std::vector<Command>& cmds) {
    cmds.push_back({{"assignment", "import"},
                    "PATH --course CODE [--create-course TITLE] [--publish]",
                    "validate a bundle (directory or .zip) and import it all-or-nothing; a bundle "
                    "whose id exists "
                    "becomes a new version",
                    [](Context& ctx) {
                        const std::string code = ctx.option("course");
                        if (code.empty()) throw UsageError("--course CODE is required");
                        const std::string createTitle = ctx.option("create-course");
                        const bool publish = ctx.flag("publish");
                        const std::string path = ctx.positional(0, "PATH");
                        // Validate everything before touching the database.
                        auto b = bundle::load(path);
                        auto& store = ctx.store();
                        auto c = store.findCourseByCode(code);
                        if (!c && !createTitle.empty()) c = store.createCourse(code, createTitle);
                        if (!c) c = courseByCode(ctx, code);
                        int version = 1;
                        int64_t id = 0;
                        if (auto existing = store.findAssignmentBySlug(c->id, b.manifest.id)) {
                            id = existing->id;
                            version = store.addVersion(id, b.manifest.title, b.manifestJson,
                                                       b.files, std::nullopt);
                        } else {
                            id = store
                                     .createAssignment(c->id, b.manifest.id, b.manifest.title,
                                                       b.manifestJson, b.files, std::nullopt)
                                     .id;
                        }
                        if (publish) store.publish(id, version);
                        store.logEvent(Event{0, 0, std::nullopt, "assignment.imported",
                                             std::to_string(id), "cli", "", "{}"});
                        std::cout << "imported '" << b.manifest.title << "' as assignment " << id
                                  << " version " << version
                                  << (publish ? " (published)" : " (draft)") << " in course "
                                  << code << "\n";
                        return 0;
                    }});
    cmds.push_back({{"assignment", "export"},
                    "ID --output FILE.zip [--version N]",
                    "write an assignment (latest version unless --version) as a bundle zip",
                    [](Context& ctx) {
                        const std::string out = ctx.option("output");
                        const std::string ver = ctx.option("version");
                        if (out.empty()) throw UsageError("--output FILE.zip is required");
                        const int64_t id = std::stoll(ctx.positional(0, "ID"));
                        auto a = ctx.store().findAssignment(id);
                        if (!a)
                            throw std::runtime_error("no assignment with id " + std::to_string(id));
                        auto v = ctx.store().findVersion(
                            id, ver.empty() ? a->latestVersion : std::stoi(ver));
                        if (!v) throw std::runtime_error("no such version");
                        std::ofstream f(out, std::ios::binary);
                        const std::string zip = bundle::toZip(v->manifestJson, v->files);
                        f.write(zip.data(), static_cast<std::streamsize>(zip.size()));
                        if (!f) throw std::runtime_error("cannot write '" + out + "'");
                        std::cout << "wrote " << out << " (" << zip.size() << " bytes, version "
                                  << v->version << ")\n";
                        return 0;
                    }});
    cmds.push_back({{"assignment", "list"},
                    "[--course CODE]",
                    "list assignments with their versions",
                    [](Context& ctx) {
                        const std::string code = ctx.option("course");
                        ctx.noMoreArgs();
                        auto& store = ctx.store();
                        std::vector<Course> courses;
                        if (code.empty())
                            courses = store.listCourses();
                        else
                            courses.push_back(courseByCode(ctx, code));
                        for (const auto& c : courses) {
                            std::cout << c.code << "  " << c.title << "\n";
                            for (const auto& a : store.listAssignments(c.id))
                                std::cout
                                    << "  " << a.id << "\t" << a.slug << "\t" << a.title << "\tv"
                                    << a.latestVersion
                                    << (a.publishedVersion
                                            ? "  published v" + std::to_string(*a.publishedVersion)
                                            : "  draft")
                                    << "\n";
                        }
                        return 0;
                    }});
}

}  // namespace assay::cli
