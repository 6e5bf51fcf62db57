#include "Pages.h"

#include "assay/core/log.h"

namespace assay::lti::pages {
namespace {

std::string document(const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
           escape(title) +
           "</title><meta name=\"viewport\" content=\"width=device-width\"></head><body>" + body +
           "</body></html>\n";
}

}  // namespace

std::string escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string jsString(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '<':
                out += "\\u003c";
                break;
            case '>':
                out += "\\u003e";
                break;
            case '&':
                out += "\\u0026";
                break;
            default:
                out += c;
        }
    }
    return out + "\"";
}

void error(http::Response& res, int status, const std::string& title, const std::string& message) {
    const std::string body =
        "<h1>" + escape(title) + "</h1><p>" + escape(message) +
        "</p><p>If this keeps happening, give your administrator this reference: <code>" +
        escape(log::requestId()) + "</code></p>";
    res.text(document(title, body), "text/html; charset=utf-8", status);
}

void autoPost(http::Response& res, const std::string& action,
              const std::vector<std::pair<std::string, std::string>>& fields,
              const std::string& target) {
    std::string form = "<form id=\"f\" method=\"post\" action=\"" + escape(action) + "\"" +
                       (target.empty() ? std::string() : " target=\"" + escape(target) + "\"") +
                       ">";
    for (const auto& [name, value] : fields)
        form +=
            "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
    form += "<noscript><button type=\"submit\">Continue</button></noscript></form>";
    scriptPage(res, "Continuing", form, "document.getElementById('f').submit();");
}

void scriptPage(http::Response& res, const std::string& title, const std::string& bodyHtml,
                const std::string& script) {
    res.text(document(title, bodyHtml + "<script>" + script + "</script>"),
             "text/html; charset=utf-8", 200);
}

}  // namespace assay::lti::pages
