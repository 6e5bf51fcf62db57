#include "Forms.h"

#include <Poco/URI.h>

#include "assay/lti/LoginInitiation.h"

namespace assay::lti {
namespace {

std::string decode(const std::string& s) {
    std::string plus = s;
    for (char& c : plus)
        if (c == '+') c = ' ';
    std::string out;
    Poco::URI::decode(plus, out);
    return out;
}

template <typename F>
void eachPair(const std::string& text, F&& fn) {
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t amp = text.find('&', pos);
        if (amp == std::string::npos) amp = text.size();
        const std::string part = text.substr(pos, amp - pos);
        if (!part.empty()) {
            const size_t eq = part.find('=');
            if (eq == std::string::npos)
                fn(decode(part), std::string());
            else
                fn(decode(part.substr(0, eq)), decode(part.substr(eq + 1)));
        }
        pos = amp + 1;
    }
}

}  // namespace

std::map<std::string, std::string> parseUrlEncoded(const std::string& text) {
    std::map<std::string, std::string> out;
    eachPair(text, [&](const std::string& k, const std::string& v) { out.emplace(k, v); });
    return out;
}

std::vector<std::string> allValues(const std::string& text, const std::string& name) {
    std::vector<std::string> out;
    eachPair(text, [&](const std::string& k, const std::string& v) {
        if (k == name) out.push_back(v);
    });
    return out;
}

std::map<std::string, std::string> requestParams(http::Request& req) {
    const std::string& uri = req.raw().getURI();
    const auto q = uri.find('?');
    auto params = q == std::string::npos ? std::map<std::string, std::string>{}
                                         : parseUrlEncoded(uri.substr(q + 1));
    if (req.method() == "POST" &&
        req.header("Content-Type").find("application/x-www-form-urlencoded") == 0)
        for (auto& [k, v] : parseUrlEncoded(req.body()))
            params[k] = v;
    return params;
}

std::string encodeQuery(const std::map<std::string, std::string>& params) {
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out += '&';
        out += urlEncode(k);
        out += '=';
        out += urlEncode(v);
    }
    return out;
}

}  // namespace assay::lti
