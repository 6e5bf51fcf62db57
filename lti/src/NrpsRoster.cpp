#include "assay/lti/NrpsRoster.h"

#include <Poco/JSON/Array.h>

#include "assay/lti/Error.h"
#include "assay/lti/Json.h"

namespace assay::lti {
namespace {

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return {};
    const auto b = s.find_last_not_of(" \t");
    return s.substr(a, b - a + 1);
}

// Splits on commas that are outside <...> and quotes.
std::vector<std::string> splitLinks(const std::string& header) {
    std::vector<std::string> out;
    std::string cur;
    bool inUrl = false;
    bool inQuote = false;
    for (const char c : header) {
        if (c == '<' && !inQuote)
            inUrl = true;
        else if (c == '>' && !inQuote)
            inUrl = false;
        else if (c == '"' && !inUrl)
            inQuote = !inQuote;
        if (c == ',' && !inUrl && !inQuote) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

}  // namespace

std::string linkRelUrl(const std::string& linkHeader, const std::string& rel) {
    for (const auto& entry : splitLinks(linkHeader)) {
        const auto open = entry.find('<');
        const auto close = entry.find('>', open == std::string::npos ? 0 : open);
        if (open == std::string::npos || close == std::string::npos) continue;
        const std::string url = entry.substr(open + 1, close - open - 1);
        std::string params = entry.substr(close + 1);
        size_t pos = 0;
        while (pos < params.size()) {
            auto semi = params.find(';', pos);
            if (semi == std::string::npos) semi = params.size();
            const std::string param = trim(params.substr(pos, semi - pos));
            pos = semi + 1;
            const auto eq = param.find('=');
            if (eq == std::string::npos || trim(param.substr(0, eq)) != "rel") continue;
            std::string value = trim(param.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            // rel may hold several space-separated relation types.
            size_t start = 0;
            while (start <= value.size()) {
                auto space = value.find(' ', start);
                if (space == std::string::npos) space = value.size();
                if (value.substr(start, space - start) == rel) return url;
                start = space + 1;
            }
        }
    }
    return {};
}

RosterPage parseMembershipPage(const std::string& body, const std::string& linkHeader) {
    const auto doc = json::parseObject(body, ErrorCode::InvalidClaim);
    const auto members = json::getArray(*doc, "members");
    if (members.isNull())
        throw LtiError(ErrorCode::InvalidClaim, "membership container has no members array");
    RosterPage page;
    if (const auto ctx = json::getObject(*doc, "context")) {
        page.contextId = json::getString(*ctx, "id").value_or("");
        page.contextTitle = json::getString(*ctx, "title").value_or("");
    }
    for (std::size_t i = 0; i < members->size(); ++i) {
        const auto m = members->getObject(static_cast<unsigned>(i));
        if (m.isNull())
            throw LtiError(ErrorCode::InvalidClaim, "membership entry is not an object");
        RosterMember r;
        r.userId = json::getString(*m, "user_id").value_or("");
        if (r.userId.empty()) continue;
        r.status = json::getString(*m, "status").value_or("Active");
        r.name = json::getString(*m, "name").value_or("");
        r.givenName = json::getString(*m, "given_name").value_or("");
        r.familyName = json::getString(*m, "family_name").value_or("");
        r.email = json::getString(*m, "email").value_or("");
        r.lisPersonSourcedId = json::getString(*m, "lis_person_sourcedid").value_or("");
        r.roleUris = json::getStringArray(*m, "roles").value_or(std::vector<std::string>{});
        r.roles = mapRoles(r.roleUris);
        page.members.push_back(std::move(r));
    }
    page.nextUrl = linkRelUrl(linkHeader, "next");
    return page;
}

}  // namespace assay::lti
