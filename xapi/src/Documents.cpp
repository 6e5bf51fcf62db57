#include "assay/xapi/Documents.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <openssl/evp.h>
#include "JsonAccess.h"

#include "assay/xapi/Syntax.h"
#include "assay/xapi/Validator.h"

namespace assay::xapi {

namespace {

XapiError bad(const std::string& name, std::string message) {
    return makeError(ErrorCode::InvalidParameter, std::move(message), name);
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

struct Allowed {
    bool activityId = false, agent = false, registration = false, stateId = false,
         profileId = false, since = false;
};

Allowed allowedFor(DocumentResource r, DocumentMethod m) {
    Allowed a;
    const bool read = m == DocumentMethod::Get;
    switch (r) {
        case DocumentResource::State:
            a.activityId = a.agent = a.registration = a.stateId = true;
            a.since = read;
            break;
        case DocumentResource::ActivityProfile:
            a.activityId = a.profileId = true;
            a.since = read;
            break;
        case DocumentResource::AgentProfile:
            a.agent = a.profileId = true;
            a.since = read;
            break;
        case DocumentResource::Agents:
            a.agent = true;
            break;
        case DocumentResource::Activities:
            a.activityId = true;
            break;
    }
    return a;
}

// Strips W/ and surrounding spaces; keeps the quotes.
std::string_view opaqueTag(std::string_view tag) {
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t'))
        tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t'))
        tag.remove_suffix(1);
    if (tag.size() > 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/') tag.remove_prefix(2);
    return tag;
}

// Whether a header value ("*", or a comma separated list of tags) matches `etag`.
bool headerMatches(std::string_view header, std::string_view etag) {
    const std::string_view current = opaqueTag(etag);
    while (!header.empty()) {
        const size_t comma = header.find(',');
        const std::string_view tag = opaqueTag(header.substr(0, comma));
        if (tag == "*" || tag == current) return true;
        // Tolerate unquoted tags from lax clients.
        if (current.size() >= 2 && tag == current.substr(1, current.size() - 2)) return true;
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    }
    return false;
}

bool isStar(std::string_view header) {
    return opaqueTag(header) == "*";
}

}  // namespace

bool DocumentQuery::addressesMany() const {
    return !stateId && !profileId;
}

std::variant<DocumentQuery, XapiError> parseDocumentQuery(DocumentResource resource,
                                                          DocumentMethod method,
                                                          const QueryParameters& params,
                                                          Version version) {
    const Allowed allowed = allowedFor(resource, method);
    DocumentQuery q;
    std::vector<std::string_view> seen;
    for (const auto& [name, value] : params) {
        const bool known =
            (name == "activityId" && allowed.activityId) || (name == "agent" && allowed.agent) ||
            (name == "registration" && allowed.registration) ||
            (name == "stateId" && allowed.stateId) || (name == "profileId" && allowed.profileId) ||
            (name == "since" && allowed.since);
        if (!known) {
            return makeError(ErrorCode::UnknownParameter,
                             "parameter '" + name + "' is not allowed here", name);
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            return bad(name, "the parameter is given more than once");
        }
        seen.push_back(name);
        if (name == "activityId") {
            if (!isAbsoluteIri(value)) return bad(name, "activityId must be an absolute IRI");
            q.activityId = value;
        } else if (name == "agent") {
            auto parsed = parseJson(value);
            const auto* v = std::get_if<Poco::Dynamic::Var>(&parsed);
            if (!v) return bad(name, "agent must be a JSON Agent object");
            if (auto err = validateAgent(*v, version)) {
                return bad(name, "agent is not a valid Agent: " + err->describe());
            }
            q.agentJson = v->extract<Poco::JSON::Object::Ptr>();
            q.agent = ifiOf(*q.agentJson);
        } else if (name == "registration") {
            if (!isUuid(value)) return bad(name, "registration must be a UUID");
            q.registration = lower(value);
        } else if (name == "stateId" || name == "profileId") {
            if (value.empty()) return bad(name, "an id must not be empty");
            (name == "stateId" ? q.stateId : q.profileId) = value;
        } else if (name == "since") {
            auto t = parseTimestamp(value, version == Version::V2_0_0);
            if (!t) return bad(name, "since must be an ISO 8601 timestamp");
            q.since = *t;
        }
    }
    if (allowed.activityId && !q.activityId) return bad("activityId", "activityId is required");
    if (allowed.agent && !q.agent) return bad("agent", "agent is required");
    const bool single = method == DocumentMethod::Put || method == DocumentMethod::Post;
    if (resource == DocumentResource::State && single && !q.stateId) {
        return bad("stateId", "stateId is required");
    }
    if ((resource == DocumentResource::ActivityProfile ||
         resource == DocumentResource::AgentProfile) &&
        (single || method == DocumentMethod::Delete) && !q.profileId) {
        return bad("profileId", "profileId is required");
    }
    if (q.since && !q.addressesMany()) {
        return makeError(ErrorCode::ConflictingParameters,
                         "since applies only when listing document ids", "since");
    }
    return q;
}

std::string documentEtag(std::string_view content) {
    // SHA-1 of the content: changes whenever the content does.
    static constexpr char kHex[] = "0123456789abcdef";
    unsigned char digest[20];
    unsigned int len = 0;
    EVP_Digest(content.data(), content.size(), digest, &len, EVP_sha1(), nullptr);
    std::string out = "\"";
    for (unsigned i = 0; i < len; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    out += '"';
    return out;
}

Precondition checkPreconditions(DocumentMethod method, std::optional<std::string_view> ifMatch,
                                std::optional<std::string_view> ifNoneMatch,
                                std::optional<std::string_view> currentEtag,
                                bool requireForExistingPut) {
    if (ifMatch) {
        if (!currentEtag) return Precondition::PreconditionFailed;
        if (!headerMatches(*ifMatch, *currentEtag)) return Precondition::PreconditionFailed;
    }
    if (ifNoneMatch && currentEtag) {
        if (isStar(*ifNoneMatch) || headerMatches(*ifNoneMatch, *currentEtag)) {
            return Precondition::PreconditionFailed;
        }
    }
    if (method == DocumentMethod::Put && requireForExistingPut && !ifMatch && !ifNoneMatch &&
        currentEtag) {
        return Precondition::Conflict;
    }
    return Precondition::Proceed;
}

std::variant<std::string, XapiError> mergeDocumentPost(std::optional<std::string_view> stored,
                                                       bool storedIsJson, std::string_view posted,
                                                       bool postedIsJson) {
    if (!stored) return std::string(posted);
    if (!storedIsJson || !postedIsJson) {
        return makeError(ErrorCode::InvalidParameter,
                         "POST merges only JSON documents into JSON documents", "Content-Type");
    }
    auto a = parseJson(*stored);
    auto b = parseJson(posted);
    auto* av = std::get_if<Poco::Dynamic::Var>(&a);
    auto* bv = std::get_if<Poco::Dynamic::Var>(&b);
    if (!av || !bv || detail::kindOf(*av) != detail::Kind::Object ||
        detail::kindOf(*bv) != detail::Kind::Object) {
        return makeError(ErrorCode::InvalidParameter,
                         "POST merges only JSON objects into JSON objects", "body");
    }
    Poco::JSON::Object merged(detail::asObject(*av));
    const auto& incoming = detail::asObject(*bv);
    for (auto it = incoming.begin(); it != incoming.end(); ++it)
        merged.set(it->first, it->second);
    std::ostringstream out;
    merged.stringify(out);
    return out.str();
}

}  // namespace assay::xapi
