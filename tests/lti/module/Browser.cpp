#include "Browser.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "FakeLms.h"

namespace assay::lti::test {
namespace {

std::string originOf(const Poco::URI& u) {
    return u.getHost() + ":" + std::to_string(u.getPort());
}

std::string enc(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]", out);
    return out;
}

}  // namespace

std::string Page::location() const {
    auto it = headers.find("location");
    return it == headers.end() ? "" : it->second;
}

std::string formEncode(const std::map<std::string, std::string>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        out += enc(k);
        out += '=';
        out += enc(v);
    }
    return out;
}

Page Browser::send(const std::string& method, const std::string& url, const std::string& body,
                   const std::string& contentType) {
    const Poco::URI u(url);
    Poco::Net::HTTPClientSession session(u.getHost(), u.getPort());
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req(method, u.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    std::string cookies;
    for (const auto& [k, v] : jar_[originOf(u)]) {
        if (!cookies.empty()) cookies += "; ";
        cookies += k;
        cookies += '=';
        cookies += v;
    }
    if (!cookies.empty()) req.set("Cookie", cookies);
    if (method == "POST") {
        req.setContentType(contentType);
        req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    Page page;
    page.url = url;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), page.body);
    page.status = resp.getStatus();
    for (const auto& [k, v] : resp) {
        const auto key = Poco::toLower(k);
        if (page.headers.count(key))
            page.headers[key] += "\n" + v;
        else
            page.headers[key] = v;
    }
    if (acceptCookies) {
        std::vector<Poco::Net::HTTPCookie> set;
        resp.getCookies(set);
        for (const auto& c : set) {
            if (c.getMaxAge() == 0 || c.getValue().empty())
                jar_[originOf(u)].erase(c.getName());
            else
                jar_[originOf(u)][c.getName()] = c.getValue();
        }
    }
    return page;
}

Page Browser::get(const std::string& url) {
    return send("GET", url, "", "");
}

Page Browser::postForm(const std::string& url, const std::map<std::string, std::string>& fields) {
    return send("POST", url, formEncode(fields), "application/x-www-form-urlencoded");
}

Page Browser::postRaw(const std::string& url, const std::string& body,
                      const std::string& contentType) {
    return send("POST", url, body, contentType);
}

Page Browser::follow(Page page, int maxHops) {
    while (maxHops-- > 0 && page.status >= 300 && page.status < 400 && !page.location().empty())
        page = get(Poco::URI(Poco::URI(page.url), page.location()).toString());
    return page;
}

Page Browser::submitForm(const Page& page) {
    const std::string action = formAction(page.body);
    return postForm(Poco::URI(Poco::URI(page.url), action).toString(), formFields(page.body));
}

std::string Browser::cookie(const std::string& url, const std::string& name) const {
    auto it = jar_.find(originOf(Poco::URI(url)));
    if (it == jar_.end()) return "";
    auto c = it->second.find(name);
    return c == it->second.end() ? "" : c->second;
}

}  // namespace assay::lti::test
