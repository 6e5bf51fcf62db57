#include "assay/core/bundle/manifest.h"
#include "assay/core/error.h"
#include "assay/core/host.h"
#include "host/routes.h"
#include "views.h"

namespace assay::routes {
namespace {

bool validUtf8(const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (n < 0 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
        for (int k = 1; k <= n; ++k)
            if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
        i += n + 1;
    }
    return true;
}

}  // namespace

void submissions(Host& host) {
    auto& r = host.router();
    Store& store = host.store();
    // A practice run or a final submission. It is stored before anything else happens.
    r.post("/api/v1/assignments/{id}/submissions", http::Access::Authenticated,
           [&host, &store](http::Request& req, http::Response& res) {
               const User& u = req.principal->user;
               auto a = store.findAssignment(req.idParam("id"));
               if (!a || !canViewCourse(store, u, a->courseId)) throw ApiError::notFound("assignment");
               const bool manager = canManageCourse(store, u, a->courseId);
               if (!a->publishedVersion && !manager) throw ApiError::notFound("assignment");
               auto body = req.json();
               json::rejectUnknown(body, {"kind", "files"});
               const std::string kind = json::optString(body, "kind").value_or("run");
               if (kind != "run" && kind != "submit")
                   throw ApiError::badRequest("invalid_field", "'kind' must be \"run\" or \"submit\"");
               auto filesObj = json::optObject(body, "files");
               if (!filesObj || filesObj->size() == 0) throw ApiError::badRequest("missing_field", "field 'files' is required");
               if (filesObj->size() > 50) throw ApiError::badRequest("invalid_field", "at most 50 files per submission");
               FileMap files;
               size_t total = 0;
               for (const auto& [path, value] : *filesObj) {
                   if (!bundle::isSafePath(path)) throw ApiError::badRequest("unsafe_path", "unsafe file name '" + path + "'");
                   if (!value.isString()) throw ApiError::badRequest("invalid_field", "'files." + path + "' must be a string");
                   std::string text = value.extract<std::string>();
                   if (!validUtf8(text)) throw ApiError::badRequest("invalid_field", "'files." + path + "' is not UTF-8 text");
                   total += text.size();
                   files[path] = std::move(text);
               }
               if (total > 1u << 20) throw ApiError(413, "body_too_large", "submitted files exceed 1 MiB");
               const int version = a->publishedVersion.value_or(a->latestVersion);
               auto v = store.findVersion(a->id, version);
               Submission s = store.createSubmission(a->id, v->id, u.id, kind, files, req.clientIp());
               auto details = views::object();
               details->set("submission_id", s.id);
               details->set("kind", kind);
               host.audit(&req, u.id, "submission.created", std::to_string(a->id), details);
               auto event = views::submission(s, false);
               event->set("course_id", a->courseId);
               host.publish("submission.created", event);
               res.json(views::submission(s, false), 202);
           });
    r.get("/api/v1/assignments/{id}/submissions", http::Access::Authenticated, [&store](http::Request& req, http::Response& res) {
        const User& u = req.principal->user;
        auto a = store.findAssignment(req.idParam("id"));
        if (!a || !canViewCourse(store, u, a->courseId)) throw ApiError::notFound("assignment");
        std::optional<int64_t> who = u.id;
        if (canManageCourse(store, u, a->courseId)) {
            who.reset();
            if (req.hasQuery("user_id")) {
                try {
                    who = std::stoll(req.query("user_id"));
                } catch (const std::exception&) {
                    throw ApiError::badRequest("invalid_query", "'user_id' must be an integer");
                }
            }
        }
        auto arr = views::array();
        for (const auto& s : store.listSubmissions(a->id, who)) arr->add(views::submission(s, false));
        auto out = views::object();
        out->set("submissions", arr);
        res.json(out);
    });
    r.get("/api/v1/submissions/{id}", http::Access::Authenticated, [&store](http::Request& req, http::Response& res) {
        const User& u = req.principal->user;
        auto s = store.findSubmission(req.idParam("id"));
        if (!s) throw ApiError::notFound("submission");
        auto a = store.findAssignment(s->assignmentId);
        const bool manager = a && canManageCourse(store, u, a->courseId);
        if (!manager && s->userId != u.id) throw ApiError::notFound("submission");
        auto out = views::submission(*s, true);
        auto results = views::array();
        int hidden = 0;
        for (const auto& t : store.results(s->id)) {
            // Students never see hidden tests' names or output; they count toward the score.
            if (t.hidden && !manager) {
                ++hidden;
                continue;
            }
            results->add(views::result(t));
        }
        out->set("results", results);
        out->set("hidden_results", hidden);
        res.json(out);
    });
}

}  // namespace assay::routes
