#pragma once
// Test helpers: temporary directories, databases for both engines, an assayd host on an
// ephemeral loopback port, and an HTTP client with a cookie jar that speaks to it over real HTTP.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "assay/core/config.h"
#include "assay/core/host.h"
#include "assay/core/json.h"

namespace assay::test {

// A directory under /tmp removed (recursively) when this goes out of scope.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

// A fresh, empty database for one test: "sqlite" (a file in a temp dir) or "mariadb" (a new
// database on the server named by ASSAY_TEST_MYSQL_URL, dropped afterwards). Requesting
// "mariadb" without that variable throws: the test command always provides it.
class TestDatabase {
  public:
    explicit TestDatabase(const std::string& engine);
    ~TestDatabase();
    const std::string& url() const { return url_; }

  private:
    std::string engine_, url_, adminUrl_, name_;
    std::unique_ptr<TempDir> dir_;
};

// Config for tests: loopback, ephemeral port, fast password hashing, quiet logs.
Config testConfig(const std::string& dataDir, const std::string& dbUrl = "");

struct HttpResult {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names; Set-Cookie joined by "\n"
    json::Object json() const;                   // body as an object (fails the test otherwise)
    std::string errorCode() const;               // error.code of a JSON error body, or ""
};

class HttpClient {
  public:
    explicit HttpClient(int port, std::string host = "127.0.0.1")
        : host_(std::move(host)), port_(port) {}
    HttpResult request(const std::string& method, const std::string& path,
                       const std::string& body = "",
                       const std::string& contentType = "application/json",
                       const std::map<std::string, std::string>& headers = {});
    HttpResult get(const std::string& path) { return request("GET", path); }
    HttpResult post(const std::string& path, const std::string& body) {
        return request("POST", path, body);
    }
    HttpResult put(const std::string& path, const std::string& body) {
        return request("PUT", path, body);
    }
    HttpResult del(const std::string& path) { return request("DELETE", path); }

    // Signs in with a password; keeps the session cookie and CSRF token for later requests.
    HttpResult login(const std::string& user, const std::string& password);
    void setBearer(const std::string& token) { bearer_ = token; }
    void setSendCsrf(bool send) { sendCsrf_ = send; }
    const std::string& csrf() const { return csrf_; }
    const std::string& cookie() const { return cookie_; }
    // Adopts a session made elsewhere (e.g. by an LTI launch in a browser).
    void setSession(const std::string& cookieHeader, const std::string& csrf) {
        cookie_ = cookieHeader;
        csrf_ = csrf;
    }
    void forgetSession() {
        cookie_.clear();
        csrf_.clear();
    }

  private:
    std::string host_;
    int port_;
    std::string cookie_, csrf_, bearer_;
    bool sendCsrf_ = true;
};

// A running host with an admin (password "admin-password-1"), on a fresh database.
class TestHost {
  public:
    explicit TestHost(const std::string& engine = "sqlite");
    ~TestHost();
    Host& host() { return *host_; }
    int port() const { return host_->port(); }
    HttpClient client() { return HttpClient(port()); }
    HttpClient adminClient();
    // Creates a user with password "<username>-password" and returns a signed-in client.
    HttpClient userClient(const std::string& username, Role role, int64_t* id = nullptr);
    const std::string& dataDir() const { return dir_.path(); }

  private:
    TempDir dir_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Host> host_;
};

std::string sourceDir();  // ASSAY_SOURCE_DIR from CTest
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& bytes);

}  // namespace assay::test
