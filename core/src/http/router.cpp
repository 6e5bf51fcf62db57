#include "assay/core/http/router.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/URI.h>

#include <charconv>
#include <istream>

#include "assay/core/error.h"

namespace assay::http {
namespace {

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    size_t start = 1;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    if (!out.empty() && out.back().empty()) out.pop_back();  // trailing slash
    return out;
}

}  // namespace

Request::Request(Poco::Net::HTTPServerRequest& raw, size_t maxBody) : raw_(raw), maxBody_(maxBody) {
    method_ = raw.getMethod();
    Poco::URI uri;
    try {
        uri = Poco::URI(raw.getURI());
        path_ = uri.getPath();
        for (auto& [k, v] : uri.getQueryParameters())
            query_.emplace(k, v);
    } catch (const Poco::Exception&) {
        throw ApiError::badRequest("bad_uri", "the request URI is malformed");
    }
    if (path_.empty() || path_[0] != '/')
        throw ApiError::badRequest("bad_uri", "the request path must start with /");
    clientIp_ = raw.clientAddress().host().toString();
    secure_ = raw.secure();
}

std::string Request::header(const std::string& name) const {
    return raw_.get(name, "");
}

std::string Request::cookie(const std::string& name) const {
    Poco::Net::NameValueCollection cookies;
    raw_.getCookies(cookies);
    return cookies.get(name, "");
}

std::string Request::query(const std::string& name, const std::string& fallback) const {
    auto it = query_.find(name);
    return it == query_.end() ? fallback : it->second;
}

const std::string& Request::param(const std::string& name) const {
    static const std::string empty;
    auto it = params.find(name);
    return it == params.end() ? empty : it->second;
}

int64_t Request::idParam(const std::string& name) const {
    const std::string& s = param(name);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) throw ApiError::notFound(name);
    return v;
}

const std::string& Request::body() {
    if (bodyRead_) return body_;
    bodyRead_ = true;
    if (raw_.hasContentLength() && raw_.getContentLength64() > static_cast<int64_t>(maxBody_))
        throw ApiError(413, "body_too_large",
                       "request body exceeds " + std::to_string(maxBody_) + " bytes");
    std::istream& in = raw_.stream();
    char buf[16384];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        body_.append(buf, static_cast<size_t>(in.gcount()));
        if (body_.size() > maxBody_)
            throw ApiError(413, "body_too_large",
                           "request body exceeds " + std::to_string(maxBody_) + " bytes");
    }
    return body_;
}

json::Object Request::json() {
    const std::string ct = header("Content-Type");
    if (ct.rfind("application/json", 0) != 0)
        throw ApiError(415, "unsupported_media_type", "send the body as application/json");
    return json::parseObject(body());
}

void Response::json(const json::Object& obj, int code) {
    status = code;
    contentType = "application/json";
    body = json::stringify(obj);
}

void Response::json(const json::Array& arr, int code) {
    status = code;
    contentType = "application/json";
    body = json::stringify(arr);
}

void Response::text(const std::string& t, const std::string& type, int code) {
    status = code;
    contentType = type;
    body = t;
}

void Router::add(const std::string& method, const std::string& pattern, Access access,
                 Handler handler) {
    routes_.push_back(Route{method, pattern, access, std::move(handler), split(pattern)});
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
    Match m;
    const auto segs = split(path);
    for (const auto& r : routes_) {
        // A last segment "{*name}" takes the rest of the path (possibly empty).
        const bool rest = !r.segments.empty() && r.segments.back().rfind("{*", 0) == 0;
        const size_t fixed = rest ? r.segments.size() - 1 : r.segments.size();
        if (rest ? segs.size() < fixed : segs.size() != fixed) continue;
        std::map<std::string, std::string> params;
        bool ok = true;
        if (rest) {
            std::string tail;
            for (size_t i = fixed; i < segs.size(); ++i) {
                std::string decoded;
                Poco::URI::decode(segs[i], decoded);
                if (decoded == ".." || decoded == "." || decoded.find('/') != std::string::npos ||
                    decoded.find('\\') != std::string::npos)
                    ok = false;
                tail += (tail.empty() ? "" : "/") + decoded;
            }
            const auto& name = r.segments.back();
            params[name.substr(2, name.size() - 3)] = tail;
        }
        for (size_t i = 0; i < fixed && ok; ++i) {
            const auto& s = r.segments[i];
            if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
                if (segs[i].empty())
                    ok = false;
                else {
                    std::string decoded;
                    Poco::URI::decode(segs[i], decoded);
                    params[s.substr(1, s.size() - 2)] = decoded;
                }
            } else if (s != segs[i]) {
                ok = false;
            }
        }
        if (!ok) continue;
        if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
            m.pathMatched = true;
            continue;
        }
        m.route = &r;
        m.params = std::move(params);
        return m;
    }
    return m;
}

}  // namespace assay::http
