#include "dispatcher.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>

#include "assay/core/auth/crypto.h"
#include "assay/core/error.h"
#include "assay/core/host.h"
#include "assay/core/log.h"
#include "assay/core/store/db.h"

namespace assay {
namespace {

void sendError(http::Response& res, int status, const std::string& code,
               const std::string& message) {
    Poco::JSON::Object::Ptr inner = new Poco::JSON::Object;
    inner->set("code", code);
    inner->set("message", message);
    Poco::JSON::Object::Ptr outer = new Poco::JSON::Object;
    outer->set("error", inner);
    // Keep only headers that still apply to an error (Retry-After, Connection).
    std::vector<std::pair<std::string, std::string>> keep;
    for (auto& h : res.headers)
        if (h.first == "Connection" || h.first == "Retry-After") keep.push_back(h);
    res.headers = std::move(keep);
    res.json(outer, status);
}

void checkAccess(http::Access access, const std::optional<http::Principal>& p) {
    if (access == http::Access::Public) return;
    if (!p) throw ApiError::unauthorized();
    if (access == http::Access::Admin && p->user.role != Role::Admin)
        throw ApiError::forbidden("this needs an administrator");
    if (access == http::Access::Instructor && p->user.role == Role::Student)
        throw ApiError::forbidden("this needs an instructor or administrator");
}

class Dispatcher : public Poco::Net::HTTPRequestHandler {
  public:
    explicit Dispatcher(Host& host) : host_(host) {}

    void handleRequest(Poco::Net::HTTPServerRequest& raw,
                       Poco::Net::HTTPServerResponse& out) override {
        const auto started = std::chrono::steady_clock::now();
        log::RequestScope scope(crypto::sha256Hex(crypto::randomBytes(8)).substr(0, 12));
        http::Response res;
        std::string route = "unmatched";
        std::string path = raw.getURI();
        try {
            const int64_t maxBody = host_.config().bytes("http.max_body");
            if (raw.hasContentLength() && raw.getContentLength64() > maxBody) {
                res.header("Connection", "close");
                throw ApiError(413, "body_too_large",
                               "request body exceeds " + std::to_string(maxBody) + " bytes");
            }
            http::Request req(raw, static_cast<size_t>(maxBody));
            path = req.path();
            auto m = host_.router().match(req.method(), req.path());
            if (!m.route) {
                if (m.pathMatched)
                    throw ApiError(405, "method_not_allowed",
                                   "this resource does not accept " + req.method());
                throw ApiError::notFound("resource");
            }
            route = m.route->pattern;
            req.params = std::move(m.params);
            req.rawResponse = &out;
            if (m.route->access == http::Access::Public) {
                // Public routes (LTI launches posted by an LMS, login, health) ignore a stale or
                // foreign session and need no CSRF token: they change nothing on its behalf.
                try {
                    req.principal = host_.auth().authenticate(req);
                } catch (const ApiError&) {
                }
            } else {
                req.principal = host_.auth().authenticate(req);
                checkAccess(m.route->access, req.principal);
                if (req.principal) host_.auth().checkCsrf(req, *req.principal);
            }
            m.route->handler(req, res);
        } catch (const ApiError& e) {
            sendError(res, e.status(), e.code(), e.what());
        } catch (const db::DbError& e) {
            log::get("http").error(std::string("database error: ") + e.what());
            if (e.kind() == db::DbError::Kind::Busy || e.kind() == db::DbError::Kind::Connection) {
                sendError(res, 503, "unavailable", "the database is busy; try again shortly");
                res.header("Retry-After", "2");
            } else {
                sendError(res, 500, "internal_error",
                          "internal error; reference " + log::requestId());
            }
        } catch (const std::exception& e) {
            log::get("http").error(std::string("unhandled: ") + e.what());
            sendError(res, 500, "internal_error", "internal error; reference " + log::requestId());
        }
        if (res.handled) return;
        write(raw, out, res);
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        host_.metrics().observeRequest(route, raw.getMethod(), res.status, secs);
        auto& lg = log::get("http");
        const std::string line = raw.getMethod() + " " + path + " -> " +
                                 std::to_string(res.status) + " (" +
                                 std::to_string(static_cast<int>(secs * 1000)) + " ms)";
        if (res.status >= 500 && res.status != 503)
            lg.error(line);
        else if (res.status == 503)
            lg.warning(line);
        else if (lg.debug() || res.status >= 400)
            lg.information(line);
    }

  private:
    void write(Poco::Net::HTTPServerRequest& raw, Poco::Net::HTTPServerResponse& out,
               http::Response& res) {
        try {
            out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
            out.setContentType(res.contentType);
            out.set("X-Request-Id", log::requestId());
            out.set("X-Content-Type-Options", "nosniff");
            out.set("Referrer-Policy", "same-origin");
            if (out.has("Cache-Control") == false) out.set("Cache-Control", "no-store");
            for (auto& [k, v] : res.headers) {
                if (k == "Connection" && v == "close")
                    out.setKeepAlive(false);
                else if (k == "Set-Cookie")
                    out.add(k, v);
                else
                    out.set(k, v);
            }
            out.setContentLength64(static_cast<int64_t>(res.body.size()));
            std::ostream& os = out.send();
            if (raw.getMethod() != "HEAD")
                os.write(res.body.data(), static_cast<std::streamsize>(res.body.size()));
        } catch (const std::exception& e) {
            log::get("http").warning(std::string("could not send response: ") + e.what());
        }
    }

    Host& host_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* DispatchFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
    return new Dispatcher(host_);
}

}  // namespace assay
