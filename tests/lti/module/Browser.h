#pragma once
// A small browser for the LTI tests: real HTTP to any loopback URL, a cookie jar per origin
// (which can be switched off to act like a browser that blocks third-party cookies), and
// redirects followed on request.
#include <map>
#include <string>

namespace assay::lti::test {

struct Page {
    int status = 0;
    std::string url;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names; Set-Cookie joined by "\n"
    std::string location() const;
};

class Browser {
  public:
    bool acceptCookies = true;

    Page get(const std::string& url);
    Page postForm(const std::string& url, const std::map<std::string, std::string>& fields);
    Page postRaw(const std::string& url, const std::string& body, const std::string& contentType);
    // Follows Location headers (GET) until a non-redirect answer.
    Page follow(Page page, int maxHops = 5);
    // Submits the first form of an HTML page with its hidden fields.
    Page submitForm(const Page& page);
    std::string cookie(const std::string& url, const std::string& name) const;

  private:
    Page send(const std::string& method, const std::string& url, const std::string& body,
              const std::string& contentType);
    std::map<std::string, std::map<std::string, std::string>> jar_;  // origin -> name -> value
};

std::string formEncode(const std::map<std::string, std::string>& fields);

}  // namespace assay::lti::test
