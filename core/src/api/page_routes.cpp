// The web pages: a single-page application built from core/web at build time and served by
// assayd itself (no CDN). Hashed assets are cached for a year; every page path serves the
// application's index.html, which asks the API for what it shows.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "assay/core/error.h"
#include "assay/core/host.h"
#include "host/routes.h"

namespace assay::routes {
namespace fs = std::filesystem;
namespace {

std::string contentType(const std::string& path) {
    static const std::pair<const char*, const char*> types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".woff2", "font/woff2"},
        {".ico", "image/x-icon"},
        {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"}};
    for (const auto& [ext, type] : types)
        if (path.size() >= std::strlen(ext) &&
            path.compare(path.size() - std::strlen(ext), std::strlen(ext), ext) == 0)
            return type;
    return "application/octet-stream";
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string webRoot(const Config& config) {
    const std::string configured = config.str("web.root");
    if (!configured.empty()) return configured;
#ifdef ASSAY_WEB_DIR
    if (fs::exists(ASSAY_WEB_DIR)) return ASSAY_WEB_DIR;
#endif
    return "/usr/share/assay/web";
}

void pageHeaders(http::Response& res, const Config& config) {
    // The pages run inside LMS iframes: no X-Frame-Options; frame-ancestors says who may frame.
    res.header("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src "
               "'self' data:; "
               "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; frame-ancestors " +
                   config.str("web.frame_ancestors"));
}

}  // namespace

void pages(Host& host) {
    auto& r = host.router();
    const Config& config = host.config();
    auto serveIndex = [&config](http::Request&, http::Response& res) {
        const fs::path index = fs::path(webRoot(config)) / "index.html";
        if (!fs::exists(index))
            throw ApiError(503, "pages_missing",
                           "the web pages are not installed (looked in " + index.string() + ")");
        res.text(readAll(index), "text/html; charset=utf-8");
        res.header("Cache-Control", "no-cache");
        pageHeaders(res, config);
    };
    r.get("/", http::Access::Public, [](http::Request&, http::Response& res) {
        res.status = 302;
        res.header("Location", "/app/");
        res.body.clear();
    });
    r.get("/app", http::Access::Public, serveIndex);
    r.get("/app/{*path}", http::Access::Public, serveIndex);
    r.get("/assets/{*path}", http::Access::Public,
          [&config](http::Request& req, http::Response& res) {
              const std::string rel = req.param("path");
              const fs::path root = fs::path(webRoot(config)) / "assets";
              const fs::path file = root / rel;
              std::error_code ec;
              if (rel.empty() || !fs::is_regular_file(file, ec)) throw ApiError::notFound("file");
              std::string etag = "\"";
              etag += std::to_string(fs::file_size(file));
              etag += '-';
              etag += std::to_string(fs::last_write_time(file).time_since_epoch().count());
              etag += '"';
              res.header("ETag", etag);
              // Asset names carry a content hash: they never change, so browsers keep them.
              res.header("Cache-Control", "public, max-age=31536000, immutable");
              if (req.header("If-None-Match") == etag) {
                  res.status = 304;
                  res.body.clear();
                  return;
              }
              res.text(readAll(file), contentType(rel));
          });
}

}  // namespace assay::routes
