#include "LrsHost.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Base64Encoder.h>

#include <cstdlib>
#include <sstream>

namespace assay::test {

std::string lrsTestEngine() {
    const char* e = std::getenv("ASSAY_XAPI_TEST_ENGINE");
    return e && *e ? e : "sqlite";
}

LrsHost::LrsHost(const std::string& engine, xapi::XapiModuleOptions options,
                 const std::string& config) {
    db_ = std::make_unique<TestDatabase>(engine);
    startHost(db_->url(), dir_.path(), options, config);
    basic = issueCredential("default");
}

LrsHost::LrsHost(const std::string& dbUrl, const std::string& dataDir,
                 xapi::XapiModuleOptions options, const std::string& config) {
    startHost(dbUrl, dataDir, options, config);
    basic = issueCredential("default-" + std::to_string(port()));
}

void LrsHost::startHost(const std::string& dbUrl, const std::string& dataDir,
                        xapi::XapiModuleOptions options, const std::string& config) {
    Config cfg = testConfig(dataDir, dbUrl);
    if (!config.empty()) cfg.loadString(config, "test");
    host_ = std::make_unique<Host>(cfg);
    auto m = std::make_unique<xapi::XapiModule>(options);
    module_ = m.get();
    host_->addModule(std::move(m));
    host_->open();
    auto admin = host_->store().findUserByName("admin");
    host_->store().setPassword(admin->id, host_->auth().hashPassword("admin-password-1"), false);
    host_->start();
}

LrsHost::~LrsHost() {
    host_->stop(1000);
}

HttpClient LrsHost::adminClient() {
    HttpClient c(port());
    auto r = c.login("admin", "admin-password-1");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    return c;
}

std::string LrsHost::issueCredential(const std::string& name, const std::string& scopesJson) {
    auto admin = adminClient();
    auto r = admin.post("/api/v1/lrs/credentials",
                        "{\"name\":\"" + name + "\",\"scopes\":" + scopesJson + "}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    auto o = r.json();
    std::ostringstream os;
    Poco::Base64Encoder enc(os);
    enc.rdbuf()->setLineLength(0);
    enc << o->getValue<std::string>("key") << ':' << o->getValue<std::string>("secret");
    enc.close();
    return "Basic " + os.str();
}

HttpResult LrsHost::lrs(const std::string& method, const std::string& path, const std::string& body,
                        std::map<std::string, std::string> headers, const std::string& version,
                        const std::string& contentType) {
    if (!headers.count(kLrsAuthHeader)) headers[kLrsAuthHeader] = basic;
    if (!version.empty()) headers["X-Experience-API-Version"] = version;
    HttpClient c(port());
    return c.request(method, path, body, contentType, headers);
}

}  // namespace assay::test
