#include "LtiTestHost.h"

#include <filesystem>

#include <cppunit/extensions/HelperMacros.h>

#include "assay/lti/LtiModule.h"

namespace assay::lti::test {

LtiTestHost::LtiTestHost(const std::string& engine) {
    db_ = std::make_unique<assay::test::TestDatabase>(engine);
    Config c = assay::test::testConfig(dir_.path(), db_->url());
    c.set("lti.allow_http", "true");
    // A grader that passes every test after a short pause, so a real submission can go through
    // the grading pipeline without a sandbox.
    const char* bin = std::getenv("ASSAY_BINARY_DIR");
    const std::filesystem::path sleepy = std::string(bin ? bin : ".") + "/tests/core/plugin_fixtures/sleepy";
    if (std::filesystem::exists(sleepy)) {
        std::filesystem::create_directories(dir_.path() + "/plugins");
        for (const auto& e : std::filesystem::directory_iterator(sleepy))
            std::filesystem::copy_file(e.path(), dir_.path() + "/plugins/" + e.path().filename().string());
        c.set("plugin.test.sleepy.delay_ms", "10");
    }
    host_ = std::make_unique<Host>(c);
    host_->addModule(std::make_unique<LtiModule>());
    host_->open();
    auto admin = host_->store().findUserByName("admin");
    host_->store().setPassword(admin->id, host_->auth().hashPassword("admin-password-1"), false);
    host_->start();
}

LtiTestHost::~LtiTestHost() {
    host_->stop(1000);
}

assay::test::HttpClient LtiTestHost::adminClient() {
    assay::test::HttpClient c(host_->port());
    c.login("admin", "admin-password-1");
    return c;
}

std::int64_t LtiTestHost::count(const std::string& table) {
    return host_->database().acquire()->query("SELECT COUNT(*) FROM " + table).at(0).integer(0);
}

}  // namespace assay::lti::test

#include <Poco/JSON/Array.h>

#include <ctime>

#include "assay/lti/Claims.h"

namespace assay::lti::test {

void registerByApi(LtiTestHost& host, FakeLms& lms) {
    auto admin = host.adminClient();
    const auto& p = lms.platform();
    const std::string body = "{\"name\":\"Test LMS\",\"issuer\":\"" + p.issuer +
                             "\",\"client_id\":\"" + p.clientId + "\",\"auth_login_url\":\"" +
                             lms.url("/auth") + "\",\"token_url\":\"" + lms.url("/token") +
                             "\",\"jwks_url\":\"" + lms.url("/jwks") + "\",\"deployment_ids\":[\"" +
                             p.deploymentId + "\"]}";
    auto r = admin.post("/api/v1/lti/platforms", body);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
}

Poco::JSON::Object::Ptr studentClaims(LtiTestHost& host, FakeLms& lms, const std::string& nonce,
                                      const std::string& assignmentId) {
    auto c = lms.platform().resourceLinkClaims(nonce, std::time(nullptr));
    c->set(claim::kTargetLinkUri, host.base() + "/lti/launch");
    auto ags = c->getObject(claim::kAgsEndpoint);
    ags->set("lineitems", lms.url("/mod/lti/services.php/2/lineitems?type_id=4"));
    ags->set("lineitem", lms.url("/mod/lti/services.php/2/lineitems/7/lineitem?type_id=4"));
    c->getObject(claim::kNrps)->set("context_memberships_url", lms.url("/memberships"));
    if (!assignmentId.empty()) c->getObject(claim::kCustom)->set("assignment_id", assignmentId);
    return c;
}

Page launch(Browser& browser, LtiTestHost& host, FakeLms& lms,
            const std::map<std::string, std::string>& extraLoginParams) {
    std::map<std::string, std::string> params{
        {"iss", lms.platform().issuer},
        {"login_hint", "17"},
        {"target_link_uri", host.base() + "/lti/launch"},
        {"client_id", lms.platform().clientId},
        {"lti_deployment_id", lms.platform().deploymentId},
        {"lti_message_hint", "{\"cmid\":5,\"launchid\":\"ltilaunch1_1\"}"}};
    for (const auto& [k, v] : extraLoginParams)
        params[k] = v;
    Page login = browser.get(host.base() + "/lti/login?" + formEncode(params));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(login.body, 302, login.status);
    CPPUNIT_ASSERT(login.location().rfind(lms.url("/auth?"), 0) == 0);
    Page form = browser.follow(login);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(form.body, 200, form.status);
    return browser.submitForm(form);
}

}  // namespace assay::lti::test
