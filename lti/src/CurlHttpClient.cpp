#include "assay/lti/HttpClient.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

#include "assay/lti/Error.h"

namespace assay::lti {
namespace {

struct Sink {
    std::string body;
    std::size_t limit = 0;
    bool overflow = false;
};

size_t onData(char* ptr, size_t size, size_t nmemb, void* userdata) {
    auto* sink = static_cast<Sink*>(userdata);
    const size_t n = size * nmemb;
    if (sink->body.size() + n > sink->limit) {
        sink->overflow = true;
        return 0;  // aborts the transfer
    }
    sink->body.append(ptr, n);
    return n;
}

size_t onHeader(char* ptr, size_t size, size_t nmemb, void* userdata) {
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(userdata);
    const size_t n = size * nmemb;
    std::string line(ptr, n);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
        line.pop_back();
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new response (after a redirect or 100-continue)
    } else if (const auto colon = line.find(':');
               colon != std::string::npos && headers->size() < 200) {
        auto value = line.substr(colon + 1);
        const auto start = value.find_first_not_of(" \t");
        value = start == std::string::npos ? std::string() : value.substr(start);
        headers->emplace_back(line.substr(0, colon), value);
    }
    return n;
}

struct CurlFree {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

[[noreturn]] void transportFail(const std::string& url, const std::string& why) {
    throw LtiError(ErrorCode::HttpFailed, "request to " + url + " failed: " + why);
}

}  // namespace

CurlHttpClient::CurlHttpClient(CurlHttpOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse CurlHttpClient::send(const HttpRequest& request) {
    const bool isHttps = request.url.rfind("https://", 0) == 0;
    const bool isHttp = request.url.rfind("http://", 0) == 0;
    if (!isHttps && !(isHttp && options_.allowPlainHttp))
        transportFail(request.url, "only https URLs are allowed");

    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) transportFail(request.url, "curl_easy_init");
    CURL* c = curl.get();
    Sink sink;
    sink.limit = options_.maxResponseBytes;
    const char* protocols = options_.allowPlainHttp ? "http,https" : "https";

    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, options_.maxRedirects > 0 ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, options_.maxRedirects);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options_.connectTimeoutMs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.totalTimeoutMs);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.caFile.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.caFile.c_str());
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options_.maxResponseBytes));
    curl_easy_setopt(c, CURLOPT_USERAGENT, options_.userAgent.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onData);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    std::vector<std::pair<std::string, std::string>> responseHeaders;
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &responseHeaders);

    std::unique_ptr<curl_slist, SlistFree> headers;
    for (const auto& [name, value] : request.headers) {
        const std::string line = name + ": " + value;
        curl_slist* next = curl_slist_append(headers.get(), line.c_str());
        if (next == nullptr) transportFail(request.url, "header allocation");
        headers.release();
        headers.reset(next);
    }
    if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

    if (request.method == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    } else if (request.method != "GET") {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        if (!request.body.empty()) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size()));
        }
    }

    const CURLcode rc = curl_easy_perform(c);
    if (sink.overflow || rc == CURLE_FILESIZE_EXCEEDED)
        transportFail(request.url, "response larger than " +
                                       std::to_string(options_.maxResponseBytes) + " bytes");
    if (rc != CURLE_OK) transportFail(request.url, curl_easy_strerror(rc));

    HttpResponse response;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    char* ct = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != nullptr)
        response.contentType = ct;
    response.body = std::move(sink.body);
    response.headers = std::move(responseHeaders);
    return response;
}

std::string HttpResponse::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (key.size() != name.size()) continue;
        bool same = true;
        for (size_t i = 0; i < key.size() && same; ++i)
            same = std::tolower(static_cast<unsigned char>(key[i])) ==
                   std::tolower(static_cast<unsigned char>(name[i]));
        if (same) return value;
    }
    return {};
}

}  // namespace assay::lti
