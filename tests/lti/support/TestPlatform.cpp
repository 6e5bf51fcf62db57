#include "TestPlatform.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <openssl/evp.h>

#include <sstream>
#include <stdexcept>

#include "assay/lti/Base64Url.h"
#include "assay/lti/Claims.h"
#include "assay/lti/Jwks.h"
#include "assay/lti/Jwt.h"

namespace assay::lti::test {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr strings(std::initializer_list<const char*> items) {
    Array::Ptr a = new Array;
    for (const char* s : items)
        a->add(std::string(s));
    return a;
}

void common(Object& p, const TestPlatform& pf, const std::string& nonce, std::int64_t now) {
    p.set("iss", pf.issuer);
    p.set("aud", pf.clientId);
    p.set("iat", static_cast<Poco::Int64>(now));
    p.set("exp", static_cast<Poco::Int64>(now + 3600));
    p.set("nonce", nonce);
    p.set(claim::kDeploymentId, pf.deploymentId);
    p.set(claim::kVersion, "1.3.0");
}

void moodleUser(Object& p, bool instructor) {
    p.set("sub", instructor ? "3" : "17");
    p.set("given_name", instructor ? "Ada" : "Grace");
    p.set("family_name", instructor ? "Lovelace" : "Hopper");
    p.set("name", instructor ? "Ada Lovelace" : "Grace Hopper");
    p.set("email", instructor ? "ada@moodle.example.edu" : "grace@moodle.example.edu");
    p.set(claim::kRoles,
          instructor ? strings({"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"})
                     : strings({"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"}));
    Object::Ptr lis = new Object;
    lis->set("person_sourcedid", "");
    lis->set("course_section_sourcedid", "");
    p.set(claim::kLis, lis);
    Object::Ptr ctx = new Object;
    ctx->set("id", "2");
    ctx->set("label", "PY101");
    ctx->set("title", "Programming in Python");
    ctx->set("type", strings({"CourseSection"}));
    p.set(claim::kContext, ctx);
    Object::Ptr platform = new Object;
    platform->set("product_family_code", "moodle");
    platform->set("version", "2022112803");
    platform->set("guid", "moodle.example.edu");
    platform->set("name", "Example University");
    platform->set("description", "Example University Moodle");
    p.set(claim::kToolPlatform, platform);
    Object::Ptr pres = new Object;
    pres->set("locale", "en");
    pres->set("document_target", "iframe");
    pres->set(
        "return_url",
        "https://moodle.example.edu/mod/lti/return.php?course=2&launch_container=3&instanceid=5");
    p.set(claim::kLaunchPresentation, pres);
    Object::Ptr ext = new Object;
    ext->set("user_username", instructor ? "ada" : "grace");
    ext->set("lms", "moodle-2");
    p.set("https://purl.imsglobal.org/spec/lti/claim/ext", ext);
}

void canvasUser(Object& p, bool instructor) {
    p.set("sub", instructor ? "535fa085-f3a0-4a64-a0c1-6f2f4c8d9a11"
                            : "8e1b0c52-6c0a-4f0e-9d54-3f5f2d7c1b22");
    p.set("azp", p.getValue<std::string>("aud"));
    p.set("name", instructor ? "Ada Lovelace" : "Grace Hopper");
    p.set("given_name", instructor ? "Ada" : "Grace");
    p.set("family_name", instructor ? "Lovelace" : "Hopper");
    p.set("email", instructor ? "ada@canvas.example.edu" : "grace@canvas.example.edu");
    p.set("locale", "en");
    p.set(claim::kRoles,
          instructor
              ? strings({"http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor",
                         "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
                         "http://purl.imsglobal.org/vocab/lis/v2/system/person#User"})
              : strings({"http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
                         "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                         "http://purl.imsglobal.org/vocab/lis/v2/system/person#User"}));
    Object::Ptr ctx = new Object;
    ctx->set("id", "4dde05e8ca1973bcca9bffc13e1548820eee93a3");
    ctx->set("label", "CS1");
    ctx->set("title", "Introduction to Computing");
    ctx->set("type", strings({"http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"}));
    p.set(claim::kContext, ctx);
    Object::Ptr platform = new Object;
    platform->set("guid", "Vd7ZqrqJn2pJeu1Ct3XuYQhYmQHp4v7GPdXr6Cqv:canvas-lms");
    platform->set("name", "Example State University");
    platform->set("version", "cloud");
    platform->set("product_family_code", "canvas");
    p.set(claim::kToolPlatform, platform);
    Object::Ptr pres = new Object;
    pres->set("document_target", "iframe");
    pres->set(
        "return_url",
        "https://canvas.example.edu/courses/101/external_content/success/external_tool_redirect");
    pres->set("locale", "en");
    pres->set("height", 400);
    pres->set("width", 800);
    p.set(claim::kLaunchPresentation, pres);
    p.set("https://purl.imsglobal.org/spec/lti/claim/lti11_legacy_user_id", "a7e8f1d0c2b3");
    p.set("https://purl.imsglobal.org/spec/lti/claim/lti1p1", Object::Ptr(new Object));
    Object::Ptr errors = new Object;
    errors->set("errors", Object::Ptr(new Object));
    p.set("errors", errors);
}

}  // namespace

const RsaKey& sharedKey(int index) {
    static std::map<int, RsaKey> keys;
    auto it = keys.find(index);
    if (it == keys.end()) it = keys.emplace(index, RsaKey::generate(2048)).first;
    return it->second;
}

TestPlatform TestPlatform::moodle() {
    return TestPlatform{Lms::Moodle,       "https://moodle.example.edu",
                        "kY7r2Vd0mZ3sQp1", "3",
                        "moodle-key-1",    sharedKey(0)};
}

TestPlatform TestPlatform::canvas() {
    return TestPlatform{Lms::Canvas,
                        "https://canvas.instructure.com",
                        "10000000000042",
                        "17:8f1e0d9c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978",
                        "2026-11-01T00:00:00Z",
                        sharedKey(1)};
}

PlatformRegistration TestPlatform::registration(const std::string& jwksUrl) const {
    PlatformRegistration r;
    r.issuer = issuer;
    r.clientId = clientId;
    r.jwksUrl = jwksUrl;
    if (lms == Lms::Moodle) {
        r.authLoginUrl = issuer + "/mod/lti/auth.php";
        r.tokenUrl = issuer + "/mod/lti/token.php";
    } else {
        r.authLoginUrl = "https://sso.canvaslms.com/api/lti/authorize_redirect";
        r.tokenUrl = "https://sso.canvaslms.com/login/oauth2/token";
    }
    r.deploymentIds = {deploymentId, "other-deployment"};
    return r;
}

std::string TestPlatform::jwks() const {
    return jwksJson({{kid, key}});
}

Object::Ptr TestPlatform::resourceLinkClaims(const std::string& nonce, std::int64_t now) const {
    Object::Ptr p = new Object;
    common(*p, *this, nonce, now);
    p->set(claim::kMessageType, claim::kResourceLinkRequest);
    Object::Ptr rl = new Object;
    Object::Ptr ags = new Object;
    Object::Ptr nrps = new Object;
    Object::Ptr custom = new Object;
    ags->set("scope",
             strings({claim::kScopeLineItem, claim::kScopeResultReadOnly, claim::kScopeScore}));
    if (lms == Lms::Moodle) {
        moodleUser(*p, false);
        p->set(claim::kTargetLinkUri, "https://assay.example.edu/lti/launch");
        rl->set("title", "Loops and lists");
        rl->set("description", "");
        rl->set("id", "5");
        ags->set("lineitems",
                 "https://moodle.example.edu/mod/lti/services.php/2/lineitems?type_id=4");
        ags->set(
            "lineitem",
            "https://moodle.example.edu/mod/lti/services.php/2/lineitems/7/lineitem?type_id=4");
        nrps->set("context_memberships_url",
                  "https://moodle.example.edu/mod/lti/services.php/CourseSection/2/bindings/4/"
                  "memberships");
        nrps->set("service_versions", strings({"1.0", "2.0"}));
        custom->set("assignment", "a-17");
    } else {
        canvasUser(*p, false);
        p->set(claim::kTargetLinkUri, "https://assay.example.edu/lti/launch?assignment=a-17");
        rl->set("id", "6a8d5f07-6f7b-4a2e-9a11-0c3e4b5d6f70");
        rl->set("description", Poco::Dynamic::Var());
        rl->set("title", "Loops and lists");
        ags->set("lineitems",
                 "https://canvas.example.edu/api/lti/courses/101/line_items?per_page=50");
        ags->set("lineitem",
                 "https://canvas.example.edu/api/lti/courses/101/line_items/33?include=launch_url");
        nrps->set("context_memberships_url",
                  "https://canvas.example.edu/api/lti/courses/101/names_and_roles");
        nrps->set("service_versions", strings({"2.0"}));
        custom->set("canvas_course_id", 101);
        custom->set("assignment", "a-17");
        p->set("https://www.instructure.com/placement", Poco::Dynamic::Var());
    }
    p->set(claim::kResourceLink, rl);
    p->set(claim::kAgsEndpoint, ags);
    p->set(claim::kNrps, nrps);
    p->set(claim::kCustom, custom);
    return p;
}

Object::Ptr TestPlatform::deepLinkingClaims(const std::string& nonce, std::int64_t now) const {
    Object::Ptr p = new Object;
    common(*p, *this, nonce, now);
    p->set(claim::kMessageType, claim::kDeepLinkingRequest);
    Object::Ptr dl = new Object;
    if (lms == Lms::Moodle) {
        moodleUser(*p, true);
        p->set(claim::kTargetLinkUri, "https://assay.example.edu/lti/launch");
        dl->set("accept_types", strings({"ltiResourceLink"}));
        dl->set("accept_media_types", strings({"application/vnd.ims.lti.v1.ltilink"}));
        dl->set("accept_presentation_document_targets", strings({"frame", "iframe", "window"}));
        dl->set("accept_multiple", true);
        dl->set("auto_create", false);
        dl->set("title", "");
        dl->set("text", "");
        dl->set("data", "5,2,f7d1c8b6");
        dl->set("deep_link_return_url",
                "https://moodle.example.edu/mod/lti/"
                "contentitem_return.php?course=2&id=4&sesskey=Zq8XcV2b");
    } else {
        canvasUser(*p, true);
        p->set(claim::kTargetLinkUri, "https://assay.example.edu/lti/launch");
        dl->set("deep_link_return_url",
                "https://canvas.example.edu/courses/101/deep_linking_response?modal=true");
        dl->set("accept_types", strings({"ltiResourceLink"}));
        dl->set("accept_presentation_document_targets", strings({"iframe", "window"}));
        dl->set("accept_media_types", "application/vnd.ims.lti.v1.ltilink");
        dl->set("auto_create", true);
        dl->set("accept_multiple", false);
        dl->set("data",
                "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."
                "eyJwbGFjZW1lbnQiOiJhc3NpZ25tZW50X3NlbGVjdGlvbiJ9.c2lnbmF0dXJl");
        p->set("https://www.instructure.com/placement", "assignment_selection");
    }
    p->set(claim::kDeepLinkingSettings, dl);
    return p;
}

std::string TestPlatform::sign(const Object& payload) const {
    return signRs256(payload, key, kid);
}

std::optional<PlatformRegistration> MemoryRegistrations::find(const std::string& issuer,
                                                              const std::string& clientId) const {
    for (const auto& r : regs_)
        if (r.issuer == issuer && r.clientId == clientId) return r;
    return std::nullopt;
}

std::vector<PlatformRegistration> MemoryRegistrations::findByIssuer(
    const std::string& issuer) const {
    std::vector<PlatformRegistration> out;
    for (const auto& r : regs_)
        if (r.issuer == issuer) out.push_back(r);
    return out;
}

std::string rawToken(const Object& header, const Object& payload,
                     const std::string& signatureBytes) {
    std::ostringstream h;
    std::ostringstream p;
    header.stringify(h);
    payload.stringify(p);
    return base64UrlEncode(h.str()) + "." + base64UrlEncode(p.str()) + "." +
           base64UrlEncode(signatureBytes);
}

std::string hmacSha256(const std::string& key, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t len = 0;
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                  reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, sizeof out,
                  &len) == nullptr)
        throw std::runtime_error("HMAC failed");
    return std::string(reinterpret_cast<const char*>(out), len);
}

Object::Ptr parse(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Object::Ptr>();
}

Object::Ptr deepCopy(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return parse(out.str());
}

}  // namespace assay::lti::test
