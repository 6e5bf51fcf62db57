// Deep Linking 2.0: the instructor picks assignments; Assay posts a signed
// LtiDeepLinkingResponse back to the platform.
#include "Forms.h"
#include "Pages.h"
#include "Services.h"
#include "assay/core/log.h"
#include "assay/lti/DeepLinkingResponse.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"

namespace assay::lti {
namespace {

struct PendingDeepLink {
    std::int64_t userId = 0;
    std::int64_t courseId = 0;
    LtiLaunch request;
};

LtiLaunch requestFrom(const std::string& text) {
    auto o = json::parseObject(text, ErrorCode::InvalidArgument);
    LtiLaunch l;
    l.messageType = MessageType::DeepLinking;
    l.issuer = json::getString(*o, "iss").value_or("");
    l.clientId = json::getString(*o, "client_id").value_or("");
    l.deploymentId = json::getString(*o, "deployment_id").value_or("");
    DeepLinkingSettings d;
    d.returnUrl = json::getString(*o, "return_url").value_or("");
    d.acceptTypes = json::getStringArray(*o, "accept_types").value_or(std::vector<std::string>{});
    d.acceptMultiple = json::getBool(*o, "accept_multiple").value_or(false);
    d.acceptLineItem = json::getBool(*o, "accept_line_item").value_or(false);
    d.data = json::getString(*o, "data");
    l.deepLinking = d;
    return l;
}

std::optional<PendingDeepLink> find(Services& s, const std::string& token, bool take) {
    if (token.empty()) return std::nullopt;
    auto h = s.host.database().acquire();
    auto rows = h->query(
        "SELECT user_id, course_id, request, expires_at FROM lti_deep_links WHERE token_hash = ?",
        {sha256Hex(token)});
    if (rows.empty() || rows[0].integer(3) <= nowMs()) return std::nullopt;
    if (take &&
        h->execute("DELETE FROM lti_deep_links WHERE token_hash = ?", {sha256Hex(token)}) != 1)
        return std::nullopt;
    return PendingDeepLink{rows[0].integer(0), rows[0].integer(1), requestFrom(rows[0].text(2))};
}

}  // namespace

void registerDeepLinkRoutes(Services& s) {
    auto& r = s.host.router();
    r.get("/lti/deeplink", http::Access::Public, [&s](http::Request& req, http::Response& res) {
        const std::string token = req.query("token");
        auto pending = find(s, token, false);
        if (!pending)
            return pages::error(res, 404, "This selection has expired",
                                "Open the assignment selection from your learning platform again.");
        const auto assignments = s.host.store().listAssignments(pending->courseId);
        const bool multiple = pending->request.deepLinking->acceptMultiple;
        std::string body = "<h1>Choose an Assay assignment</h1>";
        if (assignments.empty()) {
            body += "<p>This course has no assignments yet. <a target=\"_blank\" href=\"" +
                    pages::escape(s.publicUrl() + "/app/manage/courses/" +
                                  std::to_string(pending->courseId)) +
                    "\">Create one in Assay</a>, then reload this page and choose it.</p>";
        } else {
            body += "<form method=\"post\" action=\"" +
                    pages::escape(s.publicUrl() + "/lti/deeplink") +
                    "\"><input type=\"hidden\" name=\"token\" value=\"" + pages::escape(token) +
                    "\"><ul>";
            for (const auto& a : assignments)
                body += "<li><label><input type=\"" + std::string(multiple ? "checkbox" : "radio") +
                        "\" name=\"assignment\" value=\"" + std::to_string(a.id) + "\"> " +
                        pages::escape(a.title) + "</label></li>";
            body += "</ul><button type=\"submit\">Add to course</button></form>";
        }
        res.text(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Choose an "
            "assignment</title>"
            "</head><body>" +
                body + "</body></html>\n",
            "text/html; charset=utf-8", 200);
    });

    r.post("/lti/deeplink", http::Access::Public, [&s](http::Request& req, http::Response& res) {
        const auto params = parseUrlEncoded(req.body());
        const auto it = params.find("token");
        auto pending = find(s, it == params.end() ? "" : it->second, true);
        if (!pending)
            return pages::error(res, 404, "This selection has expired",
                                "Open the assignment selection from your learning platform again.");
        std::vector<DeepLinkResourceLink> items;
        for (const auto& value : allValues(req.body(), "assignment")) {
            char* end = nullptr;
            const long long id = std::strtoll(value.c_str(), &end, 10);
            auto a = (*end == '\0' && id > 0) ? s.host.store().findAssignment(id) : std::nullopt;
            if (!a || a->courseId != pending->courseId)
                return pages::error(res, 400, "Unknown assignment",
                                    "That assignment is not part of this course.");
            DeepLinkResourceLink item;
            item.title = a->title;
            item.url = s.launchUrl();
            item.custom["assignment_id"] = std::to_string(a->id);
            DeepLinkLineItem li;
            li.scoreMaximum = 100;
            li.label = a->title;
            li.resourceId = "assay-assignment-" + std::to_string(a->id);
            item.lineItem = li;
            items.push_back(std::move(item));
        }
        try {
            DeepLinkMessages messages;
            messages.msg = items.empty() ? "No assignment was chosen." : "Assay assignment added.";
            const std::string jwt =
                buildDeepLinkingResponse(s.keys->signingKey(), pending->request, items, messages);
            log::get("lti").information("deep link: " + std::to_string(items.size()) +
                                        " item(s) for course " + std::to_string(pending->courseId));
            pages::autoPost(res, pending->request.deepLinking->returnUrl, {{"JWT", jwt}});
        } catch (const LtiError& e) {
            log::get("lti").warning(std::string("deep link refused: ") + e.codeName() + ": " +
                                    e.what());
            pages::error(res, 400, "The platform does not accept this choice",
                         "Your learning platform accepts only one assignment here.");
        }
    });
}

}  // namespace assay::lti
