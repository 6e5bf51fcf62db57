// Launches Assay must refuse, over real HTTP, each showing the error page and creating nothing;
// and the claim shapes of Moodle and Canvas, including platform storage instead of cookies.
#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <cppunit/extensions/HelperMacros.h>

#include <ctime>
#include <functional>
#include <mutex>
#include <sstream>
#include <tuple>

#include "LtiTestHost.h"
#include "assay/lti/Base64Url.h"
#include "assay/lti/Claims.h"
#include "assay/lti/Jwt.h"

namespace assay::lti::test {
namespace {

using Poco::JSON::Object;

// Records what the "lti" logger says, to see why each launch was refused.
class RecordingChannel : public Poco::Channel {
  public:
    void log(const Poco::Message& msg) override {
        std::lock_guard lock(mutex_);
        lines_.push_back(msg.getText());
    }
    std::string last() {
        std::lock_guard lock(mutex_);
        return lines_.empty() ? "" : lines_.back();
    }

  private:
    std::mutex mutex_;
    std::vector<std::string> lines_;
};

// Attaches a recorder to the "lti" logger for the lifetime of this object.
class LogCapture {
  public:
    LogCapture()
        : logger_(Poco::Logger::get("lti")),
          old_(logger_.getChannel()),
          level_(logger_.getLevel()) {
        logger_.setChannel(recorder_);
        logger_.setLevel(Poco::Message::PRIO_INFORMATION);
    }
    ~LogCapture() {
        logger_.setChannel(old_);
        logger_.setLevel(level_);
    }
    std::string last() { return recorder_->last(); }

  private:
    Poco::Logger& logger_;
    Poco::AutoPtr<Poco::Channel> old_;
    int level_;
    Poco::AutoPtr<RecordingChannel> recorder_{new RecordingChannel};
};

struct Counts {
    std::int64_t users, courses, enrollments, links, ltiUsers;
    bool operator==(const Counts& o) const {
        return users == o.users && courses == o.courses && enrollments == o.enrollments &&
               links == o.links && ltiUsers == o.ltiUsers;
    }
};

Counts counts(LtiTestHost& h) {
    return {h.count("users"), h.count("courses"), h.count("enrollments"),
            h.count("lti_resource_links"), h.count("lti_users")};
}

Object::Ptr header(const std::string& alg, const std::string& kid) {
    Object::Ptr h = new Object;
    h->set("alg", alg);
    h->set("typ", "JWT");
    if (!kid.empty()) h->set("kid", kid);
    return h;
}

std::string segment(const std::string& token, int index) {
    const auto a = token.find('.'), b = token.find('.', a + 1);
    return index == 0   ? token.substr(0, a)
           : index == 1 ? token.substr(a + 1, b - a - 1)
                        : token.substr(b + 1);
}

}  // namespace

class LtiRefusalTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LtiRefusalTest);
    CPPUNIT_TEST(refusedLaunchesCreateNothing);
    CPPUNIT_TEST(replayedLaunchIsRefused);
    CPPUNIT_TEST(unknownPlatformOrStateIsRefused);
    CPPUNIT_TEST(moodleShapeWithCookie);
    CPPUNIT_TEST(canvasShapeThroughPlatformStorage);
    CPPUNIT_TEST(newWindowWhenNoCookieAndNoStorage);
    CPPUNIT_TEST_SUITE_END();

  public:
    void refusedLaunchesCreateNothing() {
        LtiTestHost host;
        FakeLms lms(TestPlatform::moodle());
        registerByApi(host, lms);
        auto& pf = lms.platform();
        const RsaKey& stranger = sharedKey(7);
        using Mutate = std::function<void(Object&)>;
        using Sign = std::function<std::string(const Object&)>;
        const Sign normal = [&](const Object& c) { return pf.sign(c); };
        struct Case {
            std::string name;
            std::string code;  // the reason the log must give
            Mutate mutate;
            Sign sign;
        };
        const auto now = static_cast<Poco::Int64>(std::time(nullptr));
        std::vector<Case> cases = {
            {"expired", "jwt_expired",
             [&](Object& c) {
                 c.set("iat", now - 7200);
                 c.set("exp", now - 3600);
             },
             normal},
            {"wrong aud", "jwt_wrong_audience", [](Object& c) { c.set("aud", "some-other-tool"); },
             normal},
            {"aud array without azp", "jwt_azp_mismatch",
             [&](Object& c) {
                 Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
                 aud->add(pf.clientId);
                 aud->add(std::string("another-client"));
                 c.set("aud", aud);
                 c.remove("azp");
             },
             normal},
            {"unknown kid, stranger's key", "jwt_unknown_kid", [](Object&) {},
             [&](const Object& c) { return signRs256(c, stranger, "stranger-kid"); }},
            {"alg none", "jwt_alg_not_allowed", [](Object&) {},
             [&](const Object& c) { return rawToken(*header("none", pf.kid), c, ""); }},
            {"HS256 with the public key", "jwt_alg_not_allowed", [](Object&) {},
             [&](const Object& c) {
                 const std::string pem = pf.key.publicPem();
                 const std::string unsignedToken = rawToken(*header("HS256", pf.kid), c, "");
                 const std::string input = unsignedToken.substr(0, unsignedToken.rfind('.'));
                 return input + "." + base64UrlEncode(hmacSha256(pem, input));
             }},
            {"missing deployment id", "lti_missing_deployment",
             [](Object& c) { c.remove(claim::kDeploymentId); }, normal},
            {"wrong version", "lti_wrong_version",
             [](Object& c) { c.set(claim::kVersion, "1.1.0"); }, normal},
            {"tampered payload", "jwt_bad_signature", [](Object&) {},
             [&](const Object& c) {
                 const std::string good = pf.sign(c);
                 auto changed = deepCopy(c);
                 changed->set("sub", "1");  // become someone else
                 std::ostringstream out;
                 changed->stringify(out);
                 return segment(good, 0) + "." + base64UrlEncode(out.str()) + "." +
                        segment(good, 2);
             }},
            {"unregistered deployment", "lti_unknown_deployment",
             [](Object& c) { c.set(claim::kDeploymentId, "999"); }, normal},
        };
        const Counts before = counts(host);
        LogCapture log;
        for (const auto& tc : cases) {
            lms.setClaims([&](const std::string& nonce) {
                auto c = studentClaims(host, lms, nonce, "");
                tc.mutate(*c);
                return c;
            });
            lms.setSigner(tc.sign);
            Browser b;
            auto page = launch(b, host, lms);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(tc.name + ": " + page.body, 400, page.status);
            CPPUNIT_ASSERT_MESSAGE(tc.name,
                                   page.body.find("could not be completed") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(tc.name, page.headers.count("x-request-id") == 1);
            CPPUNIT_ASSERT_MESSAGE(
                tc.name, page.body.find(page.headers["x-request-id"]) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(tc.name, b.cookie(host.base(), "assay_session").empty());
            CPPUNIT_ASSERT_MESSAGE(tc.name, counts(host) == before);
            const std::string why = log.last();
            CPPUNIT_ASSERT_MESSAGE(tc.name + ": " + why,
                                   why.find("launch refused: " + tc.code + ":") == 0);
        }
        // The same flow with a good token succeeds, so the refusals above were about the token.
        lms.setSigner(normal);
        lms.setClaims(
            [&](const std::string& nonce) { return studentClaims(host, lms, nonce, ""); });
        Browser b;
        auto ok = launch(b, host, lms);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 404,
                                     ok.status);  // provisioned; no assignment linked yet
        CPPUNIT_ASSERT(ok.body.find("Not set up yet") != std::string::npos);
        CPPUNIT_ASSERT(!(counts(host) == before));
    }

    void replayedLaunchIsRefused() {
        LtiTestHost host;
        FakeLms lms(TestPlatform::moodle());
        registerByApi(host, lms);
        lms.setClaims(
            [&](const std::string& nonce) { return studentClaims(host, lms, nonce, ""); });
        Browser b;
        std::map<std::string, std::string> params{{"iss", lms.platform().issuer},
                                                  {"login_hint", "17"},
                                                  {"target_link_uri", host.base() + "/lti/launch"},
                                                  {"client_id", lms.platform().clientId}};
        auto form = b.follow(b.get(host.base() + "/lti/login?" + formEncode(params)));
        auto first = b.submitForm(form);
        CPPUNIT_ASSERT_EQUAL(404, first.status);  // accepted (nothing linked yet)
        const Counts after = counts(host);
        // The same id_token and state again: refused.
        auto replay = b.submitForm(form);
        CPPUNIT_ASSERT_EQUAL(400, replay.status);
        // The old id_token (its nonce already used) with a fresh state: refused.
        auto login2 = b.follow(b.get(host.base() + "/lti/login?" + formEncode(params)));
        auto fields = formFields(login2.body);
        fields["id_token"] = formFields(form.body)["id_token"];
        auto stale = b.postForm(formAction(login2.body), fields);
        CPPUNIT_ASSERT_EQUAL(400, stale.status);
        CPPUNIT_ASSERT(counts(host) == after);
    }

    void unknownPlatformOrStateIsRefused() {
        LtiTestHost host;
        FakeLms lms(TestPlatform::moodle());
        registerByApi(host, lms);
        LogCapture log;
        Browser b;
        const std::string launchUri = host.base() + "/lti/launch";
        // Unknown issuer; known issuer with an unknown client; unregistered deployment at login.
        for (const auto& [iss, client, deployment, code] :
             std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
                 {"https://stranger.example.edu", "", "", "lti_unknown_platform"},
                 {lms.platform().issuer, "other-client", "", "lti_unknown_platform"},
                 {lms.platform().issuer, lms.platform().clientId, "999", "lti_unknown_deployment"},
                 {"not a url", "", "", "lti_login_invalid"}}) {
            std::map<std::string, std::string> params{
                {"iss", iss}, {"login_hint", "17"}, {"target_link_uri", launchUri}};
            if (!client.empty()) params["client_id"] = client;
            if (!deployment.empty()) params["lti_deployment_id"] = deployment;
            auto page = b.get(host.base() + "/lti/login?" + formEncode(params));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(iss, 400, page.status);
            CPPUNIT_ASSERT(page.body.find(page.headers["x-request-id"]) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(log.last(),
                                   log.last().find("login refused: " + code + ":") == 0);
        }
        // A launch with a state Assay never issued.
        lms.setClaims(
            [&](const std::string& nonce) { return studentClaims(host, lms, nonce, ""); });
        auto forged = b.postForm(
            launchUri, {{"id_token", lms.platform().sign(*studentClaims(host, lms, "n", ""))},
                        {"state", "never-issued"}});
        CPPUNIT_ASSERT_EQUAL(400, forged.status);
        CPPUNIT_ASSERT(log.last().find("launch refused: state unknown") == 0);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, host.count("lti_users"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, host.count("users"));  // the administrator
    }

    void moodleShapeWithCookie() {
        LtiTestHost host;
        FakeLms lms(TestPlatform::moodle());
        registerByApi(host, lms);
        lms.setClaims([&](const std::string& nonce) {
            auto c = lms.platform().deepLinkingClaims(nonce, std::time(nullptr));
            c->set(claim::kTargetLinkUri, host.base() + "/lti/launch");
            return c;
        });
        Browser b;
        auto page = launch(b, host, lms, {{"login_hint", "3"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.body, 303, page.status);
        // Moodle's lti_message_hint is passed on to its authorization endpoint unchanged.
        CPPUNIT_ASSERT_EQUAL(std::string("{\"cmid\":5,\"launchid\":\"ltilaunch1_1\"}"),
                             queryOf("http://x/?" + lms.lastAuthQuery())["lti_message_hint"]);
        auto users = host.host().database().acquire()->query(
            "SELECT u.role, u.display_name FROM lti_users l JOIN users u ON u.id = l.user_id WHERE "
            "l.sub = '3'");
        CPPUNIT_ASSERT_EQUAL(size_t{1}, users.size());
        CPPUNIT_ASSERT_EQUAL(std::string("instructor"), users[0].text(0));
        CPPUNIT_ASSERT_EQUAL(std::string("Ada Lovelace"), users[0].text(1));
    }

    void newWindowWhenNoCookieAndNoStorage() {
        LtiTestHost host;
        FakeLms lms(TestPlatform::moodle());
        registerByApi(host, lms);
        lms.setClaims(
            [&](const std::string& nonce) { return studentClaims(host, lms, nonce, ""); });
        Browser frame;  // inside the LMS iframe, third-party cookies blocked
        frame.acceptCookies = false;
        auto page = launch(frame, host, lms);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT(page.body.find("new window") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, host.count("lti_users"));
        const auto href = page.body.find("href=\"") + 6;
        const std::string again =
            htmlUnescape(page.body.substr(href, page.body.find('"', href) - href));
        CPPUNIT_ASSERT(again.rfind(host.base() + "/lti/login?", 0) == 0);
        // The new window is a first-party context: the login starts over and the launch succeeds.
        Browser window;
        auto form = window.follow(window.get(again));
        auto done = window.submitForm(form);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 404, done.status);  // launched; nothing linked yet
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, host.count("lti_users"));
    }

    void canvasShapeThroughPlatformStorage() {
        LtiTestHost host;
        FakeLms lms(TestPlatform::canvas());
        lms.platform().issuer = "https://canvas.instructure.com";  // shared by every hosted Canvas
        registerByApi(host, lms);
        lms.setClaims([&](const std::string& nonce) {
            auto c = lms.platform().resourceLinkClaims(nonce, std::time(nullptr));
            c->set(claim::kTargetLinkUri, host.base() + "/lti/launch");
            return c;
        });
        // A browser that blocks third-party cookies: the state travels through platform storage.
        Browser b;
        b.acceptCookies = false;
        std::map<std::string, std::string> params{
            {"iss", "https://canvas.instructure.com"},
            {"login_hint", "535fa085"},
            {"client_id", lms.platform().clientId},
            {"target_link_uri", host.base() + "/lti/launch"},
            {"deployment_id", lms.platform().deploymentId},
            {"lti_message_hint",
             "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ2ZXJpZmllciI6IjEifQ.c2ln"},
            {"lti_storage_target", "post_message_forwarding"}};
        auto login = b.postForm(host.base() + "/lti/login", params);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(login.body, 200, login.status);
        CPPUNIT_ASSERT(login.body.find("lti.put_data") != std::string::npos);
        const auto cfgStart = login.body.find("id=\"lti-config\">") + 16;
        auto cfg =
            parse(login.body.substr(cfgStart, login.body.find("</script>", cfgStart) - cfgStart));
        CPPUNIT_ASSERT_EQUAL(std::string("post_message_forwarding"),
                             cfg->getValue<std::string>("target"));
        CPPUNIT_ASSERT_EQUAL(lms.base(), cfg->getValue<std::string>("origin"));
        const std::string stored =
            cfg->getValue<std::string>("value");  // what the platform keeps for us
        auto form = b.get(cfg->getValue<std::string>("next"));
        auto launchPage = b.submitForm(form);
        CPPUNIT_ASSERT_EQUAL(200, launchPage.status);
        CPPUNIT_ASSERT(launchPage.body.find("lti.get_data") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(host.base() + "/lti/launch/continue", formAction(launchPage.body));
        auto fields = formFields(launchPage.body);
        // A wrong value read back is refused; the right one completes the launch.
        auto wrong = fields;
        wrong["storage_value"] = "not-the-secret";
        CPPUNIT_ASSERT_EQUAL(400, b.postForm(formAction(launchPage.body), wrong).status);
        fields["storage_value"] = stored;
        auto done = b.postForm(formAction(launchPage.body), fields);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 404, done.status);  // launched; link not set up yet
        auto link = host.host().database().acquire()->query(
            "SELECT l.sub, u.role FROM lti_users l JOIN users u ON u.id = l.user_id WHERE l.issuer "
            "= ?",
            {std::string("https://canvas.instructure.com")});
        CPPUNIT_ASSERT_EQUAL(size_t{1}, link.size());
        CPPUNIT_ASSERT_EQUAL(std::string("8e1b0c52-6c0a-4f0e-9d54-3f5f2d7c1b22"), link[0].text(0));
        CPPUNIT_ASSERT_EQUAL(std::string("student"), link[0].text(1));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, host.count("lti_contexts"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LtiRefusalTest);

}  // namespace assay::lti::test
