#pragma once
// Outbound HTTP for talking to platforms (JWKS, later token, AGS, NRPS, registration).
// An interface, so callers can be handed another transport; the real one is CurlHttpClient.
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace assay::lti {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct HttpResponse {
    long status = 0;
    std::string contentType;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // of the final response

    // First header with this name (case-insensitive), empty when absent.
    std::string header(const std::string& name) const;
};

class HttpClient {
  public:
    virtual ~HttpClient() = default;
    // Throws LtiError(http_failed) on transport failure (DNS, connect, TLS, timeout,
    // response over the size cap). Any HTTP status is returned, not thrown.
    virtual HttpResponse send(const HttpRequest& request) = 0;
};

struct CurlHttpOptions {
    long connectTimeoutMs = 5000;
    long totalTimeoutMs = 10000;
    std::size_t maxResponseBytes = 512 * 1024;
    long maxRedirects = 3;
    // Plain http:// is refused unless allowed (tests on loopback, lab setups). TLS peer and
    // host verification are always on.
    bool allowPlainHttp = false;
    std::string caFile;  // extra CA bundle; empty uses the system store
    std::string userAgent = "Assay-LTI/1";
};

class CurlHttpClient final : public HttpClient {
  public:
    explicit CurlHttpClient(CurlHttpOptions options = {});
    HttpResponse send(const HttpRequest& request) override;

  private:
    CurlHttpOptions options_;
};

}  // namespace assay::lti
