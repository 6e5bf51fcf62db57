#include "FakeLms.h"

#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <ctime>
#include <sstream>

#include "assay/lti/Jwks.h"
#include "assay/lti/Jwt.h"
#include "assay/lti/Random.h"

namespace assay::lti::test {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit Handler(FakeLms& lms) : lms_(lms) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& resp) override {
        std::string body;
        Poco::StreamCopier::copyToString(req.stream(), body);
        int status = 200;
        std::string type = "application/json", out;
        lms_.handle(req.getMethod(), req.getURI(), body, req.get("Authorization", ""), status, type,
                    out);
        resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        resp.setContentType(type);
        resp.setContentLength(static_cast<std::streamsize>(out.size()));
        resp.send() << out;
    }

  private:
    FakeLms& lms_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit Factory(FakeLms& lms) : lms_(lms) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler(lms_);
    }

  private:
    FakeLms& lms_;
};

std::string stringify(const Poco::JSON::Object& o) {
    std::ostringstream s;
    o.stringify(s);
    return s.str();
}

std::string decodeForm(const std::string& s) {
    std::string plus = s, out;
    for (char& c : plus)
        if (c == '+') c = ' ';
    Poco::URI::decode(plus, out);
    return out;
}

std::map<std::string, std::string> parseForm(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string part;
    while (std::getline(in, part, '&')) {
        const auto eq = part.find('=');
        if (eq != std::string::npos)
            out[decodeForm(part.substr(0, eq))] = decodeForm(part.substr(eq + 1));
    }
    return out;
}

std::string httpGet(const std::string& url) {
    Poco::URI u(url);
    Poco::Net::HTTPClientSession session(u.getHost(), u.getPort());
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req("GET", u.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), body);
    return body;
}

}  // namespace

FakeLms::FakeLms(TestPlatform keys) : platform_(std::move(keys)) {
    signer_ = [this](const Poco::JSON::Object& claims) { return platform_.sign(claims); };
    start();
    platform_.issuer = base();
}

FakeLms::~FakeLms() {
    stop();
}

void FakeLms::start() {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", port_), true);
    socket.listen(64);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setKeepAlive(false);
    pool_ = std::make_unique<Poco::ThreadPool>(1, 8);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *pool_, socket, params);
    server_->start();
}

void FakeLms::stop() {
    if (!server_) return;
    server_->stopAll(true);
    server_.reset();
    pool_->joinAll();
    pool_.reset();
}

std::string FakeLms::base() const {
    return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeLms::setClaims(ClaimsBuilder b) {
    std::lock_guard lock(mutex_);
    claims_ = std::move(b);
}

void FakeLms::setSigner(Signer s) {
    std::lock_guard lock(mutex_);
    signer_ = std::move(s);
}

std::vector<FakeLms::Received> FakeLms::received(const std::string& pathPrefix) const {
    std::lock_guard lock(mutex_);
    std::vector<Received> out;
    for (const auto& r : received_)
        if (Poco::URI(r.uri).getPath().rfind(pathPrefix, 0) == 0) out.push_back(r);
    return out;
}

std::string FakeLms::lastAuthQuery() const {
    std::lock_guard lock(mutex_);
    return lastAuthQuery_;
}

bool FakeLms::bearerOk(const std::string& authorization) const {
    std::lock_guard lock(mutex_);
    for (const auto& t : issuedTokens_)
        if (authorization == "Bearer " + t) return true;
    return false;
}

bool FakeLms::verifyAssertion(const std::string& formBody, std::string& why) {
    auto form = parseForm(formBody);
    if (form["grant_type"] != "client_credentials") return why = "grant_type", false;
    if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        return why = "client_assertion_type", false;
    try {
        const auto jws = parseCompactJws(form["client_assertion"]);
        const auto jwks = Jwks::parse(httpGet(toolJwksUrl));
        const auto* key = jwks.find(jws.kid);
        if (!key) return why = "unknown kid", false;
        verifyRs256(jws, key->key);
        const auto& p = *jws.payload;
        const std::string tokenUrl = url("/token");
        if (p.getValue<std::string>("iss") != platform_.clientId ||
            p.getValue<std::string>("sub") != platform_.clientId)
            return why = "iss/sub", false;
        if (p.getValue<std::string>("aud") != tokenUrl) return why = "aud", false;
        if (p.getValue<Poco::Int64>("exp") < static_cast<Poco::Int64>(std::time(nullptr)))
            return why = "exp", false;
        if (!p.has("jti")) return why = "jti", false;
    } catch (const std::exception& e) {
        return why = e.what(), false;
    }
    return true;
}

void FakeLms::handle(const std::string& method, const std::string& uri, const std::string& body,
                     const std::string& authorization, int& status, std::string& contentType,
                     std::string& out) {
    const Poco::URI u(uri);
    const std::string& path = u.getPath();
    {
        std::lock_guard lock(mutex_);
        received_.push_back({method, uri, body, authorization});
    }
    if (path == "/.well-known/openid-configuration") {
        Poco::JSON::Object c;
        c.set("issuer", base());
        c.set("authorization_endpoint", url("/auth"));
        c.set("token_endpoint", url("/token"));
        c.set("jwks_uri", url("/jwks"));
        c.set("registration_endpoint", url("/register"));
        Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
        for (const char* s :
             {"openid", "https://purl.imsglobal.org/spec/lti-ags/scope/score",
              "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
              "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"})
            scopes->add(std::string(s));
        c.set("scopes_supported", scopes);
        Poco::JSON::Array::Ptr algs = new Poco::JSON::Array;
        algs->add(std::string("RS256"));
        c.set("id_token_signing_alg_values_supported", algs);
        Poco::JSON::Object::Ptr lti = new Poco::JSON::Object;
        lti->set("product_family_code", productFamily);
        lti->set("version", "4.1");
        c.set("https://purl.imsglobal.org/spec/lti-platform-configuration", lti);
        out = stringify(c);
    } else if (path == "/register") {
        if (authorization != "Bearer " + registrationToken) {
            status = 401;
            out = "{\"error\":\"bad registration token\"}";
            return;
        }
        Poco::JSON::Object r;
        r.set("client_id", platform_.clientId);
        Poco::JSON::Object::Ptr tool = new Poco::JSON::Object;
        tool->set("deployment_id", platform_.deploymentId);
        r.set("https://purl.imsglobal.org/spec/lti-tool-configuration", tool);
        out = stringify(r);
    } else if (path == "/jwks") {
        out = platform_.jwks();
    } else if (path == "/auth") {
        const auto q = queryOf(uri);
        ClaimsBuilder claims;
        Signer signer;
        {
            std::lock_guard lock(mutex_);
            lastAuthQuery_ = u.getRawQuery();
            claims = claims_;
            signer = signer_;
        }
        if (q.count("nonce") == 0 || q.count("state") == 0 || q.count("redirect_uri") == 0 ||
            !claims || q.at("response_type") != "id_token" || q.at("scope") != "openid" ||
            q.at("response_mode") != "form_post") {
            status = 400;
            out = "{\"error\":\"invalid_request\"}";
            return;
        }
        const std::string token = signer(*claims(q.at("nonce")));
        contentType = "text/html";
        out = "<html><body><form method=\"post\" action=\"" + q.at("redirect_uri") +
              "\"><input type=\"hidden\" name=\"id_token\" value=\"" + token +
              "\"><input type=\"hidden\" name=\"state\" value=\"" + q.at("state") +
              "\"></form></body></html>";
    } else if (path == "/token") {
        std::string why;
        if (method != "POST" || !verifyAssertion(body, why)) {
            ++failedAssertions_;
            status = 401;
            out = "{\"error\":\"invalid_client\",\"error_description\":\"" + why + "\"}";
            return;
        }
        const std::string token = randomToken(16);
        {
            std::lock_guard lock(mutex_);
            issuedTokens_.push_back(token);
        }
        out = "{\"access_token\":\"" + token +
              "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"" +
              parseForm(body)["scope"] + "\"}";
    } else if (path.size() > 7 && path.substr(path.size() - 7) == "/scores") {
        if (!bearerOk(authorization)) status = 401;
    } else if (path == "/mod/lti/services.php/2/lineitems") {
        // The course's line-item container: empty until the tool creates one.
        if (!bearerOk(authorization)) {
            status = 401;
            return;
        }
        std::lock_guard lock(mutex_);
        if (method == "GET") {
            contentType = "application/vnd.ims.lis.v2.lineitemcontainer+json";
            out = createdLineItems_.empty() ? "[]" : "[" + createdLineItems_.back() + "]";
            return;
        }
        auto item = parse(body);
        item->set("id", url("/mod/lti/services.php/2/lineitems/99/lineitem?type_id=4"));
        createdLineItems_.push_back(stringify(*item));
        status = 201;
        contentType = "application/vnd.ims.lis.v2.lineitem+json";
        out = createdLineItems_.back();
    } else if (path == "/memberships") {
        if (!bearerOk(authorization)) status = 401;
        contentType = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
        out = rosterJson;
    } else if (path == "/deeplink-return") {
        contentType = "text/html";
        out = "<html><body>ok</body></html>";
    } else {
        status = 404;
    }
}

std::string htmlUnescape(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        if (s[i] == '&') {
            const auto semi = s.find(';', i);
            const std::string ent = semi == std::string::npos ? "" : s.substr(i, semi - i + 1);
            if (ent == "&amp;")
                out += '&';
            else if (ent == "&lt;")
                out += '<';
            else if (ent == "&gt;")
                out += '>';
            else if (ent == "&quot;")
                out += '"';
            else if (ent == "&#39;")
                out += '\'';
            else {
                out += s[i++];
                continue;
            }
            i = semi + 1;
        } else {
            out += s[i++];
        }
    }
    return out;
}

std::string formAction(const std::string& html) {
    const auto form = html.find("<form");
    const auto a = html.find("action=\"", form);
    if (form == std::string::npos || a == std::string::npos) return "";
    return htmlUnescape(html.substr(a + 8, html.find('"', a + 8) - a - 8));
}

std::map<std::string, std::string> formFields(const std::string& html) {
    std::map<std::string, std::string> out;
    size_t pos = 0;
    while ((pos = html.find("<input", pos)) != std::string::npos) {
        const auto end = html.find('>', pos);
        const std::string tag = html.substr(pos, end - pos);
        auto attr = [&](const std::string& name) {
            const auto p = tag.find(name + "=\"");
            if (p == std::string::npos) return std::string();
            const auto from = p + name.size() + 2;
            return htmlUnescape(tag.substr(from, tag.find('"', from) - from));
        };
        if (!attr("name").empty()) out[attr("name")] = attr("value");
        pos = end;
    }
    return out;
}

std::map<std::string, std::string> queryOf(const std::string& url) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : Poco::URI(url).getQueryParameters())
        out.emplace(k, v);
    return out;
}

}  // namespace assay::lti::test
