#include "test_host.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "assay/core/log.h"
#include "assay/core/store/db.h"

namespace assay::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "assay-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
    // The host may drop to the service account only when run as root; keep the dir usable.
    fs::permissions(path_, fs::perms::all, fs::perm_options::replace);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

TestDatabase::TestDatabase(const std::string& engine) : engine_(engine) {
    if (engine == "sqlite") {
        dir_ = std::make_unique<TempDir>();
        url_ = "sqlite:" + dir_->file("test.db");
        return;
    }
    if (engine != "mariadb") throw std::runtime_error("unknown test database engine " + engine);
    const char* base = std::getenv("ASSAY_TEST_MYSQL_URL");
    if (!base || !*base)
        throw std::runtime_error(
            "ASSAY_TEST_MYSQL_URL is not set: run the suite with packaging/test.sh, which starts a "
            "private MariaDB");
    adminUrl_ = base;
    static std::atomic<int> counter{0};
    name_ = "assay_t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    auto admin = db::open(adminUrl_, 1, 1000);
    admin->acquire()->script("DROP DATABASE IF EXISTS " + name_ + "; CREATE DATABASE " + name_ +
                             " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    url_ = adminUrl_.substr(0, adminUrl_.rfind('/') + 1) + name_;
}

TestDatabase::~TestDatabase() {
    if (engine_ != "mariadb") return;
    try {
        db::open(adminUrl_, 1, 1000)->acquire()->script("DROP DATABASE IF EXISTS " + name_);
    } catch (...) {
    }
}

Config testConfig(const std::string& dataDir, const std::string& dbUrl) {
    static bool logged = [] {
        log::setup(std::getenv("ASSAY_TEST_LOG") ? "debug" : "error");
        return true;
    }();
    (void)logged;
    Config c;
    c.set("listen", "127.0.0.1:0");
    c.set("data_dir", dataDir);
    c.set("auth.pbkdf2_iterations", "1000");
    c.set("runner.socket", dataDir + "/no-runner.sock");
    c.set("shutdown.grace", "2s");
    if (!dbUrl.empty()) c.set("db.url", dbUrl);
    return c;
}

json::Object HttpResult::json() const {
    try {
        return json::parseObject(body);
    } catch (const std::exception& e) {
        CPPUNIT_FAIL("response is not a JSON object (status " + std::to_string(status) +
                     "): " + body.substr(0, 300));
    }
    return nullptr;
}

std::string HttpResult::errorCode() const {
    try {
        auto o = json::parseObject(body);
        auto e = o->getObject("error");
        return e ? e->getValue<std::string>("code") : "";
    } catch (...) {
        return "";
    }
}

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::string& body, const std::string& contentType,
                               const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession session(host_, static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!cookie_.empty()) req.set("Cookie", cookie_);
    if (!bearer_.empty()) req.set("Authorization", "Bearer " + bearer_);
    if (sendCsrf_ && !csrf_.empty()) req.set("X-CSRF-Token", csrf_);
    for (const auto& [k, v] : headers)
        req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PUT") {
        req.setContentType(contentType);
        req.setContentLength64(static_cast<int64_t>(body.size()));
    }
    std::ostream& os = session.sendRequest(req);
    os << body;
    Poco::Net::HTTPResponse resp;
    std::istream& is = session.receiveResponse(resp);
    HttpResult r;
    r.status = resp.getStatus();
    std::stringstream ss;
    ss << is.rdbuf();
    r.body = ss.str();
    for (const auto& [k, v] : resp) {
        auto key = Poco::toLower(k);
        if (r.headers.count(key))
            r.headers[key] += "\n" + v;
        else
            r.headers[key] = v;
    }
    // Keep the session cookie.
    std::vector<Poco::Net::HTTPCookie> cookies;
    resp.getCookies(cookies);
    for (const auto& c : cookies)
        if (c.getName() == "assay_session")
            cookie_ = c.getValue().empty() ? "" : "assay_session=" + c.getValue();
    return r;
}

HttpResult HttpClient::login(const std::string& user, const std::string& password) {
    auto r = post("/api/v1/auth/login",
                  "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    if (r.status == 200) csrf_ = r.json()->getValue<std::string>("csrf_token");
    return r;
}

TestHost::TestHost(const std::string& engine) {
    db_ = std::make_unique<TestDatabase>(engine);
    Config c = testConfig(dir_.path(), db_->url());
    host_ = std::make_unique<Host>(c);
    host_->open();
    // Known admin password for tests.
    auto admin = host_->store().findUserByName("admin");
    host_->store().setPassword(admin->id, host_->auth().hashPassword("admin-password-1"), false);
    host_->start();
}

TestHost::~TestHost() {
    host_->stop(1000);
}

HttpClient TestHost::adminClient() {
    HttpClient c = client();
    auto r = c.login("admin", "admin-password-1");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    return c;
}

HttpClient TestHost::userClient(const std::string& username, Role role, int64_t* id) {
    NewUser n{username, username, "", role, host_->auth().hashPassword(username + "-password"),
              false};
    User u = host_->store().createUser(n);
    if (id) *id = u.id;
    HttpClient c = client();
    auto r = c.login(username, username + "-password");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    return c;
}

std::string sourceDir() {
    const char* s = std::getenv("ASSAY_SOURCE_DIR");
    return s ? s : ".";
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace assay::test
