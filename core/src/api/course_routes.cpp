#include "assay/core/error.h"
#include "assay/core/host.h"
#include "host/routes.h"
#include "views.h"

namespace assay::routes {

void courses(Host& host) {
    auto& r = host.router();
    Store& store = host.store();
    r.get("/api/v1/courses", http::Access::Authenticated,
          [&store](http::Request& req, http::Response& res) {
              const User& u = req.principal->user;
              auto arr = views::array();
              for (const auto& c :
                   u.role == Role::Admin ? store.listCourses() : store.listCoursesOf(u.id)) {
                  auto o = views::course(c);
                  if (u.role != Role::Admin)
                      o->set("my_role",
                             roleName(store.enrollmentRole(c.id, u.id).value_or(Role::Student)));
                  arr->add(o);
              }
              auto out = views::object();
              out->set("courses", arr);
              res.json(out);
          });
    r.post("/api/v1/courses", http::Access::Instructor,
           [&host, &store](http::Request& req, http::Response& res) {
               auto body = req.json();
               json::rejectUnknown(body, {"code", "title"});
               const std::string code = json::requireString(body, "code"),
                                 title = json::requireString(body, "title");
               if (code.empty() || code.size() > 64)
                   throw ApiError::badRequest("invalid_field",
                                              "'code' must have 1 to 64 characters");
               if (title.empty() || title.size() > 300)
                   throw ApiError::badRequest("invalid_field",
                                              "'title' must have 1 to 300 characters");
               Course c = store.createCourse(code, title);
               // The creator teaches the course.
               store.enroll(c.id, req.principal->user.id, Role::Instructor);
               host.audit(&req, req.principal->user.id, "course.created", std::to_string(c.id));
               res.json(views::course(c), 201);
           });
    r.get("/api/v1/courses/{id}", http::Access::Authenticated,
          [&store](http::Request& req, http::Response& res) {
              const int64_t id = req.idParam("id");
              requireViewCourse(store, req.principal->user, id);
              auto out = views::course(*store.findCourse(id));
              auto pace = store.setting("course." + std::to_string(id) + ".exam_pace");
              out->set("exam_pace",
                       json::parseObject("{\"p\":" + pace.value_or("[]") + "}")->getArray("p"));
              res.json(out);
          });
    r.put("/api/v1/courses/{id}", http::Access::Authenticated,
          [&host, &store](http::Request& req, http::Response& res) {
              const int64_t id = req.idParam("id");
              requireManageCourse(store, req.principal->user, id);
              auto body = req.json();
              json::rejectUnknown(body, {"title", "exam_pace"});
              Course c = *store.findCourse(id);
              if (auto t = json::optString(body, "title")) {
                  c.title = *t;
                  if (c.title.empty() || c.title.size() > 300)
                      throw ApiError::badRequest("invalid_field",
                                                 "'title' must have 1 to 300 characters");
                  store.updateCourse(c);
              }
              if (body->has("exam_pace")) {
                  // Seconds to wait before the n-th practice run across all of the course's
                  // assignments.
                  auto pace = json::optArray(body, "exam_pace");
                  if (pace) {
                      if (pace->size() > 1000)
                          throw ApiError::badRequest("invalid_field",
                                                     "'exam_pace' may list at most 1000 values");
                      for (size_t i = 0; i < pace->size(); ++i) {
                          auto v = pace->get(static_cast<unsigned>(i));
                          if (!v.isInteger() || v.convert<int64_t>() < 0 ||
                              v.convert<int64_t>() > 86400)
                              throw ApiError::badRequest(
                                  "invalid_field",
                                  "'exam_pace' must list whole seconds from 0 to 86400");
                      }
                  }
                  store.setSetting("course." + std::to_string(id) + ".exam_pace",
                                   pace ? json::stringify(pace) : "[]");
              }
              host.audit(&req, req.principal->user.id, "course.updated", std::to_string(id));
              res.json(views::course(c));
          });
    r.get("/api/v1/courses/{id}/members", http::Access::Authenticated,
          [&store](http::Request& req, http::Response& res) {
              const int64_t id = req.idParam("id");
              requireManageCourse(store, req.principal->user, id);
              auto arr = views::array();
              for (const auto& [u, role] : store.listEnrollments(id)) {
                  auto o = views::user(u);
                  o->set("course_role", roleName(role));
                  arr->add(o);
              }
              auto out = views::object();
              out->set("members", arr);
              res.json(out);
          });
    r.put("/api/v1/courses/{id}/members/{user}", http::Access::Authenticated,
          [&host, &store](http::Request& req, http::Response& res) {
              const int64_t id = req.idParam("id");
              requireManageCourse(store, req.principal->user, id);
              auto u = store.findUser(req.idParam("user"));
              if (!u) throw ApiError::notFound("user");
              auto body = req.json();
              json::rejectUnknown(body, {"role"});
              auto role = parseRole(json::requireString(body, "role"));
              if (!role || *role == Role::Admin)
                  throw ApiError::badRequest("invalid_field",
                                             "'role' must be instructor or student");
              store.enroll(id, u->id, *role);
              auto details = views::object();
              details->set("user_id", u->id);
              details->set("role", roleName(*role));
              host.audit(&req, req.principal->user.id, "enrollment.changed", std::to_string(id),
                         details);
              details->set("course_id", id);
              host.publish("enrollment.changed", details);
              res.json(details);
          });
    r.del("/api/v1/courses/{id}/members/{user}", http::Access::Authenticated,
          [&host, &store](http::Request& req, http::Response& res) {
              const int64_t id = req.idParam("id");
              requireManageCourse(store, req.principal->user, id);
              if (!store.unenroll(id, req.idParam("user"))) throw ApiError::notFound("enrollment");
              host.audit(&req, req.principal->user.id, "enrollment.removed", std::to_string(id));
              res.json(views::object());
          });
}

}  // namespace assay::routes
