#include "assay/xapi/StatementQuery.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "JsonAccess.h"
#include "assay/xapi/Syntax.h"
#include "assay/xapi/Validator.h"

namespace assay::xapi {

using detail::Kind;
using detail::kindOf;
using detail::memberObject;
using detail::memberString;
using Obj = Poco::JSON::Object;

namespace {

XapiError bad(const std::string& name, std::string message) {
    return makeError(ErrorCode::InvalidParameter, std::move(message), name);
}

std::optional<bool> parseBool(std::string_view v) {
    if (v == "true") return true;
    if (v == "false") return false;
    return std::nullopt;
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string urlDecode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 &&
                   hexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string urlEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

bool sameIfi(const Obj& actor, const Ifi& wanted) {
    auto ifi = ifiOf(actor);
    return ifi && ifi->key() == wanted.key();
}

bool actorMatches(const Obj::Ptr& actor, const Ifi& wanted) {
    return actor && sameIfi(*actor, wanted);
}

bool objectIsActor(const Obj& o) {
    const auto* t = memberString(o, "objectType");
    return t && (*t == "Agent" || *t == "Group");
}

bool agentMatches(const Obj& s, const Ifi& wanted, bool related) {
    if (actorMatches(memberObject(s, "actor"), wanted)) return true;
    auto object = memberObject(s, "object");
    if (object && objectIsActor(*object) && sameIfi(*object, wanted)) return true;
    if (!related) return false;
    if (actorMatches(memberObject(s, "authority"), wanted)) return true;
    if (auto c = memberObject(s, "context")) {
        if (actorMatches(memberObject(*c, "instructor"), wanted)) return true;
        if (actorMatches(memberObject(*c, "team"), wanted)) return true;
    }
    if (object) {
        const auto* t = memberString(*object, "objectType");
        if (t && *t == "SubStatement") return agentMatches(*object, wanted, true);
    }
    return false;
}

bool listHasActivity(const Poco::Dynamic::Var& v, const std::string& id) {
    auto match = [&](const Poco::Dynamic::Var& item) {
        if (kindOf(item) != Kind::Object) return false;
        const auto* i = memberString(detail::asObject(item), "id");
        return i && *i == id;
    };
    if (kindOf(v) == Kind::Object) return match(v);
    if (kindOf(v) != Kind::Array) return false;
    const auto& a = detail::asArray(v);
    return std::any_of(a.begin(), a.end(), match);
}

bool activityMatches(const Obj& s, const std::string& id, bool related) {
    auto object = memberObject(s, "object");
    const auto* type = object ? memberString(*object, "objectType") : nullptr;
    if (object && (!type || *type == "Activity")) {
        const auto* oid = memberString(*object, "id");
        if (oid && *oid == id) return true;
    }
    if (!related) return false;
    if (auto c = memberObject(s, "context")) {
        if (auto lists = memberObject(*c, "contextActivities")) {
            for (auto it = lists->begin(); it != lists->end(); ++it) {
                if (listHasActivity(it->second, id)) return true;
            }
        }
    }
    if (object && type && *type == "SubStatement") return activityMatches(*object, id, true);
    return false;
}

}  // namespace

QueryParameters parseQueryString(std::string_view query) {
    QueryParameters out;
    while (!query.empty()) {
        const size_t amp = query.find('&');
        std::string_view item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (item.empty()) continue;
        const size_t eq = item.find('=');
        out.emplace_back(urlDecode(item.substr(0, eq)), eq == std::string_view::npos
                                                            ? std::string()
                                                            : urlDecode(item.substr(eq + 1)));
    }
    return out;
}

std::variant<StatementQuery, XapiError> parseStatementQuery(const QueryParameters& params,
                                                            Version version) {
    static constexpr std::string_view kKnown[] = {
        "statementId",        "voidedStatementId", "agent", "verb",  "activity", "registration",
        "related_activities", "related_agents",    "since", "until", "limit",    "format",
        "attachments",        "ascending",         "more"};
    StatementQuery q;
    std::vector<std::string_view> seen;
    bool filters = false;
    for (const auto& [name, value] : params) {
        if (std::find(std::begin(kKnown), std::end(kKnown), name) == std::end(kKnown)) {
            return makeError(ErrorCode::UnknownParameter, "unknown parameter '" + name + "'", name);
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            return bad(name, "the parameter is given more than once");
        }
        seen.push_back(name);
        const bool shape = name == "attachments" || name == "format";
        if (!shape && name != "statementId" && name != "voidedStatementId" && name != "more") {
            filters = true;
        }
        if (name == "statementId" || name == "voidedStatementId") {
            if (!isUuid(value)) return bad(name, "a UUID is required");
            (name == "statementId" ? q.statementId : q.voidedStatementId) = lower(value);
        } else if (name == "agent") {
            auto parsed = parseJson(value);
            const auto* v = std::get_if<Poco::Dynamic::Var>(&parsed);
            if (!v) return bad(name, "agent must be a JSON Agent or Group");
            if (auto err = validateActor(*v, version)) {
                return bad(name, "agent is not a valid Agent or Group: " + err->describe());
            }
            q.agentJson = v->extract<Obj::Ptr>();
            q.agent = ifiOf(*q.agentJson);
            if (!q.agent) return bad(name, "agent must carry an inverse functional identifier");
        } else if (name == "verb" || name == "activity") {
            if (!isAbsoluteIri(value)) return bad(name, "an absolute IRI is required");
            (name == "verb" ? q.verb : q.activity) = value;
        } else if (name == "registration") {
            if (!isUuid(value)) return bad(name, "a UUID is required");
            q.registration = lower(value);
        } else if (name == "related_activities" || name == "related_agents" ||
                   name == "attachments" || name == "ascending") {
            auto b = parseBool(value);
            if (!b) return bad(name, "true or false is required");
            if (name == "related_activities")
                q.relatedActivities = *b;
            else if (name == "related_agents")
                q.relatedAgents = *b;
            else if (name == "attachments")
                q.attachments = *b;
            else
                q.ascending = *b;
        } else if (name == "since" || name == "until") {
            auto t = parseTimestamp(value, version == Version::V2_0_0);
            if (!t) return bad(name, "an ISO 8601 timestamp is required");
            (name == "since" ? q.since : q.until) = *t;
        } else if (name == "limit") {
            uint32_t n = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
                return bad(name, "a non-negative integer is required");
            }
            q.limit = n;
        } else if (name == "format") {
            auto f = parseStatementFormat(value);
            if (!f) return bad(name, "format must be ids, exact or canonical");
            q.format = *f;
        } else if (name == "more") {
            if (value.empty()) return bad(name, "an empty paging token");
            q.more = value;
        }
    }
    if (q.statementId && q.voidedStatementId) {
        return makeError(ErrorCode::ConflictingParameters,
                         "statementId and voidedStatementId exclude each other", "statementId");
    }
    if ((q.statementId || q.voidedStatementId) && (filters || q.more)) {
        return makeError(ErrorCode::ConflictingParameters,
                         "only attachments and format may accompany a statement id",
                         q.statementId ? "statementId" : "voidedStatementId");
    }
    if (q.more && seen.size() > 1) {
        return makeError(ErrorCode::ConflictingParameters,
                         "a paging token replaces all other parameters", "more");
    }
    return q;
}

std::string StatementQuery::canonicalParameters() const {
    std::vector<std::pair<std::string, std::string>> p;
    if (agentJson) {
        std::ostringstream out;
        agentJson->stringify(out);
        p.emplace_back("agent", out.str());
    }
    if (verb) p.emplace_back("verb", *verb);
    if (activity) p.emplace_back("activity", *activity);
    if (registration) p.emplace_back("registration", *registration);
    if (relatedActivities) p.emplace_back("related_activities", "true");
    if (relatedAgents) p.emplace_back("related_agents", "true");
    if (since) p.emplace_back("since", formatTimestamp(*since));
    if (until) p.emplace_back("until", formatTimestamp(*until));
    if (limit) p.emplace_back("limit", std::to_string(limit));
    if (format != StatementFormat::Exact) p.emplace_back("format", std::string(formatName(format)));
    if (attachments) p.emplace_back("attachments", "true");
    if (ascending) p.emplace_back("ascending", "true");
    std::string out;
    for (const auto& [k, v] : p) {
        if (!out.empty()) out += '&';
        out += k;
        out += '=';
        out += urlEncode(v);
    }
    return out;
}

bool matchesQuery(const Obj& statement, int64_t storedMillis, const StatementQuery& q) {
    if (q.since && !(storedMillis > *q.since)) return false;
    if (q.until && !(storedMillis <= *q.until)) return false;
    if (q.verb) {
        auto verb = memberObject(statement, "verb");
        const auto* id = verb ? memberString(*verb, "id") : nullptr;
        if (!id || *id != *q.verb) return false;
    }
    if (q.registration) {
        auto c = memberObject(statement, "context");
        const auto* r = c ? memberString(*c, "registration") : nullptr;
        if (!r || lower(*r) != *q.registration) return false;
    }
    if (q.agent && !agentMatches(statement, *q.agent, q.relatedAgents)) return false;
    if (q.activity && !activityMatches(statement, *q.activity, q.relatedActivities)) return false;
    return true;
}

}  // namespace assay::xapi
