#include "assay/core/bundle/bundle.h"
#include "assay/core/error.h"
#include "assay/core/host.h"
#include "host/routes.h"
#include "views.h"

namespace assay::routes {
namespace {

// A bundle arrives as a zip (Content-Type application/zip) or as JSON {"manifest": {...},
// "files": {"path": "text", ...}}.
bundle::Bundle bundleFromRequest(http::Request& req) {
    const std::string ct = req.header("Content-Type");
    if (ct.rfind("application/zip", 0) == 0 || ct.rfind("application/x-zip-compressed", 0) == 0)
        return bundle::loadZipBytes(req.body());
    auto body = req.json();
    json::rejectUnknown(body, {"manifest", "files"});
    auto manifest = json::optObject(body, "manifest");
    if (!manifest) throw ApiError::badRequest("missing_field", "field 'manifest' is required");
    FileMap files;
    if (auto f = json::optObject(body, "files")) {
        for (const auto& [path, value] : *f) {
            if (!value.isString())
                throw ApiError::badRequest("invalid_field",
                                           "'files." + path + "' must be a string");
            files[path] = value.extract<std::string>();
        }
    }
    return bundle::fromParts(json::stringify(manifest), std::move(files));
}

// Loads the assignment and checks that the caller may see it. Students see published
// assignments of their courses only; anything else is "not found" to them.
Assignment visibleAssignment(Store& store, const User& u, int64_t id, bool& manager) {
    auto a = store.findAssignment(id);
    if (!a || !canViewCourse(store, u, a->courseId)) throw ApiError::notFound("assignment");
    manager = canManageCourse(store, u, a->courseId);
    if (!manager && !a->publishedVersion) throw ApiError::notFound("assignment");
    return *a;
}

}  // namespace

void assignments(Host& host) {
    auto& r = host.router();
    Store& store = host.store();
    r.get("/api/v1/courses/{id}/assignments", http::Access::Authenticated,
          [&store](http::Request& req, http::Response& res) {
              const int64_t id = req.idParam("id");
              requireViewCourse(store, req.principal->user, id);
              const bool manager = canManageCourse(store, req.principal->user, id);
              auto arr = views::array();
              for (const auto& a : store.listAssignments(id))
                  if (manager || a.publishedVersion) arr->add(views::assignment(a));
              auto out = views::object();
              out->set("assignments", arr);
              res.json(out);
          });
    r.post("/api/v1/courses/{id}/assignments", http::Access::Authenticated,
           [&host, &store](http::Request& req, http::Response& res) {
               const int64_t id = req.idParam("id");
               requireManageCourse(store, req.principal->user, id);
               auto b = bundleFromRequest(req);
               auto a = store.createAssignment(id, b.manifest.id, b.manifest.title, b.manifestJson,
                                               b.files, req.principal->user.id);
               host.audit(&req, req.principal->user.id, "assignment.created", std::to_string(a.id));
               res.json(views::assignment(a), 201);
           });
    r.get("/api/v1/assignments/{id}", http::Access::Authenticated,
          [&store](http::Request& req, http::Response& res) {
              bool manager = false;
              Assignment a =
                  visibleAssignment(store, req.principal->user, req.idParam("id"), manager);
              auto out = views::assignment(a);
              if (manager) {
                  int version = a.latestVersion;
                  if (req.hasQuery("version")) {
                      try {
                          version = std::stoi(req.query("version"));
                      } catch (const std::exception&) {
                          throw ApiError::badRequest("invalid_query",
                                                     "'version' must be an integer");
                      }
                  }
                  auto v = store.findVersion(a.id, version);
                  if (!v) throw ApiError::notFound("assignment version");
                  out->set("content", views::fullVersion(*v));
              } else {
                  auto v = store.findVersion(a.id, *a.publishedVersion);
                  out->set("content",
                           views::studentVersion(*v, bundle::parseManifest(v->manifestJson)));
              }
              res.json(out);
          });
    r.put(
        "/api/v1/assignments/{id}", http::Access::Authenticated,
        [&host, &store](http::Request& req, http::Response& res) {
            bool manager = false;
            Assignment a =
                visibleAssignment(store, req.principal->user, req.idParam("id"), manager);
            if (!manager)
                throw ApiError::forbidden("only the course's instructors may change an assignment");
            auto b = bundleFromRequest(req);
            if (b.manifest.id != a.slug)
                throw ApiError::badRequest(
                    "invalid_manifest", "the manifest id '" + b.manifest.id +
                                            "' differs from this assignment's id '" + a.slug + "'");
            const int version = store.addVersion(a.id, b.manifest.title, b.manifestJson, b.files,
                                                 req.principal->user.id);
            host.audit(&req, req.principal->user.id, "assignment.updated", std::to_string(a.id));
            res.json(views::assignment(*store.findAssignment(a.id)), version > 0 ? 200 : 500);
        });
    r.post("/api/v1/assignments/{id}/publish", http::Access::Authenticated,
           [&host, &store](http::Request& req, http::Response& res) {
               bool manager = false;
               Assignment a =
                   visibleAssignment(store, req.principal->user, req.idParam("id"), manager);
               if (!manager) throw ApiError::forbidden("only the course's instructors may publish");
               int version = a.latestVersion;
               if (!req.body().empty()) {
                   auto body = req.json();
                   json::rejectUnknown(body, {"version"});
                   version =
                       static_cast<int>(json::optInt(body, "version").value_or(a.latestVersion));
               }
               store.publish(a.id, version);
               auto details = views::object();
               details->set("version", version);
               host.audit(&req, req.principal->user.id, "assignment.published",
                          std::to_string(a.id), details);
               auto event = views::assignment(*store.findAssignment(a.id));
               host.publish("assignment.published", event);
               res.json(views::assignment(*store.findAssignment(a.id)));
           });
    r.get("/api/v1/assignments/{id}/export", http::Access::Authenticated,
          [&store](http::Request& req, http::Response& res) {
              bool manager = false;
              Assignment a =
                  visibleAssignment(store, req.principal->user, req.idParam("id"), manager);
              if (!manager) throw ApiError::forbidden("only the course's instructors may export");
              auto v = store.findVersion(a.id, a.latestVersion);
              res.text(bundle::toZip(v->manifestJson, v->files), "application/zip");
              res.header("Content-Disposition", "attachment; filename=\"" + a.slug + ".zip\"");
          });
    r.del("/api/v1/assignments/{id}", http::Access::Authenticated,
          [&host, &store](http::Request& req, http::Response& res) {
              bool manager = false;
              Assignment a =
                  visibleAssignment(store, req.principal->user, req.idParam("id"), manager);
              if (!manager) throw ApiError::forbidden("only the course's instructors may delete");
              if (!store.deleteAssignment(a.id))
                  throw ApiError::conflict(
                      "has_submissions",
                      "students have submitted to this assignment; it cannot be deleted");
              host.audit(&req, req.principal->user.id, "assignment.deleted", std::to_string(a.id));
              res.json(views::object());
          });
}

}  // namespace assay::routes
