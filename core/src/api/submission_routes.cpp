#include <Poco/Net/WebSocket.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "assay/core/bundle/manifest.h"
#include "assay/core/error.h"
#include "assay/core/grading/pace.h"
#include "assay/core/host.h"
#include "assay/core/log.h"
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

namespace {

json::Array paceArray(Store& store, int64_t courseId) {
    auto v = store.setting("course." + std::to_string(courseId) + ".exam_pace");
    if (!v) return nullptr;
    return json::parseObject("{\"p\":" + *v + "}")->getArray("p");
}

std::vector<int64_t> toSeconds(const json::Array& a) {
    std::vector<int64_t> out;
    if (!a) return out;
    for (size_t i = 0; i < a->size(); ++i)
        out.push_back(a->getElement<int64_t>(static_cast<unsigned>(i)));
    return out;
}

grading::PaceState paceState(Store& store, int64_t userId, const Assignment& a) {
    auto q = store.countRuns(userId, a.id);
    auto e = store.countCourseRuns(userId, a.courseId);
    return grading::PaceState{q.count, e.count, q.lastAt, e.lastAt};
}

// The submission with its results; hidden tests are left out for students.
json::Object submissionWithResults(Store& store, const Submission& s, bool manager) {
    auto out = views::submission(s, true);
    auto results = views::array();
    int hidden = 0;
    for (const auto& t : store.results(s.id)) {
        if (t.hidden && !manager) {
            ++hidden;
            continue;
        }
        auto r = views::result(t);
        if (!t.detailsJson.empty()) {
            try {
                r->set("details", json::parseObject(t.detailsJson));
            } catch (...) {
            }
        }
        results->add(r);
    }
    out->set("results", results);
    out->set("hidden_results", hidden);
    return out;
}

int waitSeconds(http::Request& req) {
    if (!req.hasQuery("wait")) return 0;
    try {
        return std::clamp(std::stoi(req.query("wait")), 0, 60);
    } catch (const std::exception&) {
        throw ApiError::badRequest("invalid_query", "'wait' must be a number of seconds (0 to 60)");
    }
}

// Admits a stored submission and answers: 202 queued/started, 200 with results when the
// client asked to wait and grading finished, 503 when the waiting room timed out.
void admitAndAnswer(Host& host, http::Request& req, http::Response& res, const Submission& s,
                    int priority, bool mayBeRefused, bool manager, const json::Object& extra) {
    auto& q = host.grading();
    auto admission = q.admit(s.id, priority, mayBeRefused);
    if (admission == grading::GradingQueue::Admission::Refused) {
        const int64_t after = q.retryAfterSeconds();
        res.header("Retry-After", std::to_string(after));
        throw ApiError(503, "busy",
                       "the graders are busy; your code was not run. Try again in " +
                           std::to_string(after) + " seconds.");
    }
    const int wait = waitSeconds(req);
    if (wait > 0 && q.waitUntilDone(s.id, wait * 1000LL)) {
        auto out = submissionWithResults(host.store(), *host.store().findSubmission(s.id), manager);
        for (const auto& [k, v] : *extra)
            out->set(k, v);
        res.json(out, 200);
        return;
    }
    auto out = views::submission(*host.store().findSubmission(s.id), false);
    for (const auto& [k, v] : *extra)
        out->set(k, v);
    res.json(out, 202);
}

void liveUpdates(Host& host, http::Request& req, http::Response& res, int64_t id, bool manager) {
    Poco::Net::WebSocket ws(req.raw(), *req.rawResponse);
    res.handled = true;
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::string> statuses;
    auto& q = host.grading();
    const int64_t handle = q.subscribe(id, [&](const std::string& status) {
        std::lock_guard lock(m);
        statuses.push_back(status);
        cv.notify_all();
    });
    auto send = [&](const json::Object& o) {
        const std::string text = json::stringify(o);
        ws.sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
    };
    auto isTerminal = [](const std::string& st) {
        return st == "graded" || st == "failed" || st == "rejected";
    };
    try {
        auto current = host.store().findSubmission(id);
        std::string last = current->status;
        auto first = views::object();
        first->set("type", "status");
        first->set("status", last);
        send(first);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
        while (!isTerminal(last) && std::chrono::steady_clock::now() < deadline) {
            std::unique_lock lock(m);
            cv.wait_for(lock, std::chrono::seconds(15), [&] { return !statuses.empty(); });
            if (statuses.empty()) {
                lock.unlock();
                ws.sendFrame("", 0, Poco::Net::WebSocket::FRAME_OP_PING);
                continue;
            }
            last = statuses.front();
            statuses.pop_front();
            lock.unlock();
            auto msg = views::object();
            msg->set("type", "status");
            msg->set("status", last);
            send(msg);
        }
        if (isTerminal(last)) {
            auto done = views::object();
            done->set("type", "result");
            done->set("submission", submissionWithResults(
                                        host.store(), *host.store().findSubmission(id), manager));
            send(done);
        }
        ws.shutdown();
    } catch (const std::exception& e) {
        log::get("http").information(std::string("live updates ended: ") + e.what());
    }
    q.unsubscribe(handle);
}

FileMap solutionFiles(const bundle::Manifest& m, const AssignmentVersion& v) {
    FileMap files;
    for (const auto& p : m.solution) {
        std::string name = p.rfind("solution/", 0) == 0 ? p.substr(9) : p;
        files[name] = v.files.at(p);
    }
    return files;
}

}  // namespace

void submissions(Host& host) {
    auto& r = host.router();
    Store& store = host.store();
    // A practice run or a final submission. It is stored before anything else happens.
    r.post(
        "/api/v1/assignments/{id}/submissions", http::Access::Authenticated,
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
            if (!filesObj || filesObj->size() == 0)
                throw ApiError::badRequest("missing_field", "field 'files' is required");
            if (filesObj->size() > 50)
                throw ApiError::badRequest("invalid_field", "at most 50 files per submission");
            FileMap files;
            size_t total = 0;
            for (const auto& [path, value] : *filesObj) {
                if (!bundle::isSafePath(path))
                    throw ApiError::badRequest("unsafe_path", "unsafe file name '" + path + "'");
                if (!value.isString())
                    throw ApiError::badRequest("invalid_field",
                                               "'files." + path + "' must be a string");
                std::string text = value.extract<std::string>();
                if (!validUtf8(text))
                    throw ApiError::badRequest("invalid_field",
                                               "'files." + path + "' is not UTF-8 text");
                total += text.size();
                files[path] = std::move(text);
            }
            if (total > 1u << 20)
                throw ApiError(413, "body_too_large", "submitted files exceed 1 MiB");
            const int version = manager ? a->latestVersion : *a->publishedVersion;
            auto v = store.findVersion(a->id, version);
            auto manifest = bundle::parseManifest(v->manifestJson);
            const auto examPace = toSeconds(paceArray(store, a->courseId));

            // Pace: a practice run asked before its time is refused with the seconds left.
            if (kind == "run" && !manager) {
                const auto state = paceState(store, u.id, *a);
                const int64_t ms = grading::msUntilAllowed(manifest.pace, examPace, state, nowMs());
                if (ms > 0) {
                    const int64_t secs = (ms + 999) / 1000;
                    host.grading().countRefusal("pace");
                    res.header("Retry-After", std::to_string(secs));
                    throw ApiError(
                        429, "pace",
                        "wait " + std::to_string(secs) + " more seconds before your next run");
                }
            }
            Submission s = store.createSubmission(a->id, v->id, u.id, kind, files, req.clientIp());
            auto details = views::object();
            details->set("submission_id", s.id);
            details->set("kind", kind);
            host.audit(&req, u.id, "submission.created", std::to_string(a->id), details);
            auto event = views::submission(s, false);
            event->set("course_id", a->courseId);
            host.publish("submission.created", event);

            // Priority: final submissions first (never refused), then by how many runs the
            // student already had; instructors' design-time runs last.
            const int priority = kind == "submit" ? grading::kFinalPriority
                                 : manager        ? grading::kDesignTimePriority
                                                  : s.ordinal;
            auto extra = views::object();
            if (kind == "run" && !manager) {
                grading::PaceState after = paceState(store, u.id, *a);
                extra->set("next_run_in_s",
                           grading::nextWaitSeconds(manifest.pace, examPace, after));
            }
            admitAndAnswer(host, req, res, s, priority, kind == "run", manager, extra);
        });
    r.get("/api/v1/assignments/{id}/submissions", http::Access::Authenticated,
          [&store](http::Request& req, http::Response& res) {
              const User& u = req.principal->user;
              auto a = store.findAssignment(req.idParam("id"));
              if (!a || !canViewCourse(store, u, a->courseId))
                  throw ApiError::notFound("assignment");
              std::optional<int64_t> who = u.id;
              if (canManageCourse(store, u, a->courseId)) {
                  who.reset();
                  if (req.hasQuery("user_id")) {
                      try {
                          who = std::stoll(req.query("user_id"));
                      } catch (const std::exception&) {
                          throw ApiError::badRequest("invalid_query",
                                                     "'user_id' must be an integer");
                      }
                  }
              }
              auto arr = views::array();
              for (const auto& s : store.listSubmissions(a->id, who))
                  arr->add(views::submission(s, false));
              auto out = views::object();
              out->set("submissions", arr);
              res.json(out);
          });
    r.get("/api/v1/submissions/{id}", http::Access::Authenticated,
          [&host, &store](http::Request& req, http::Response& res) {
              const User& u = req.principal->user;
              auto s = store.findSubmission(req.idParam("id"));
              if (!s) throw ApiError::notFound("submission");
              auto a = store.findAssignment(s->assignmentId);
              const bool manager = a && canManageCourse(store, u, a->courseId);
              if (!manager && s->userId != u.id) throw ApiError::notFound("submission");
              const int wait = waitSeconds(req);
              if (wait > 0 && (s->status == "queued" || s->status == "running")) {
                  host.grading().waitUntilDone(s->id, wait * 1000LL);
                  s = store.findSubmission(s->id);
              }
              res.json(submissionWithResults(store, *s, manager));
          });
    // Live progress of one submission over a WebSocket: "queued", "running", then the graded
    // submission with its results (or "failed"/"rejected"); the server closes it then.
    r.get(
        "/api/v1/submissions/{id}/live", http::Access::Authenticated,
        [&host, &store](http::Request& req, http::Response& res) {
            const User& u = req.principal->user;
            auto s = store.findSubmission(req.idParam("id"));
            if (!s) throw ApiError::notFound("submission");
            auto a = store.findAssignment(s->assignmentId);
            const bool manager = a && canManageCourse(store, u, a->courseId);
            if (!manager && s->userId != u.id) throw ApiError::notFound("submission");
            // Browsers send cookies with cross-site WebSocket handshakes: accept only our own
            // pages.
            const std::string origin = req.header("Origin");
            if (!origin.empty() && origin != host.config().publicUrl() &&
                origin.find("://" + req.header("Host")) == std::string::npos)
                throw ApiError::forbidden("this page may not follow submissions from another site");
            if (req.header("Upgrade").empty())
                throw ApiError(426, "upgrade_required", "connect with a WebSocket");
            liveUpdates(host, req, res, s->id, manager);
        });
    // Instructors: grade a submission again (e.g. after fixing a test); a final's new score
    // goes to the LMS again.
    r.post("/api/v1/submissions/{id}/regrade", http::Access::Authenticated,
           [&host, &store](http::Request& req, http::Response& res) {
               auto s = store.findSubmission(req.idParam("id"));
               if (!s) throw ApiError::notFound("submission");
               auto a = store.findAssignment(s->assignmentId);
               if (!a || !canManageCourse(store, req.principal->user, a->courseId))
                   throw ApiError::notFound("submission");
               if (s->status == "queued" || s->status == "running")
                   throw ApiError::conflict("already_queued",
                                            "this submission is already waiting to be graded");
               if (!store.transition(s->id, s->status, "queued"))
                   throw ApiError::conflict("already_queued",
                                            "this submission changed meanwhile; try again");
               host.audit(&req, req.principal->user.id, "submission.regraded",
                          std::to_string(s->id));
               admitAndAnswer(
                   host, req, res, *s,
                   s->kind == "submit" ? grading::kFinalPriority : grading::kDesignTimePriority,
                   false, true, views::object());
           });
    // Instructors: run the reference solution against the tests (design time).
    r.post("/api/v1/assignments/{id}/check", http::Access::Authenticated,
           [&host, &store](http::Request& req, http::Response& res) {
               auto a = store.findAssignment(req.idParam("id"));
               if (!a || !canManageCourse(store, req.principal->user, a->courseId))
                   throw ApiError::notFound("assignment");
               int version = a->latestVersion;
               if (!req.body().empty()) {
                   auto body = req.json();
                   json::rejectUnknown(body, {"version"});
                   version = static_cast<int>(json::optInt(body, "version").value_or(version));
               }
               auto v = store.findVersion(a->id, version);
               if (!v) throw ApiError::notFound("assignment version");
               auto m = bundle::parseManifest(v->manifestJson);
               if (m.solution.empty())
                   throw ApiError::badRequest("no_solution",
                                              "this assignment has no reference solution to check");
               Submission s = store.createSubmission(a->id, v->id, req.principal->user.id, "run",
                                                     solutionFiles(m, *v), req.clientIp());
               host.audit(&req, req.principal->user.id, "assignment.checked",
                          std::to_string(a->id));
               admitAndAnswer(host, req, res, s, grading::kDesignTimePriority, true, true,
                              views::object());
           });
}

}  // namespace assay::routes
