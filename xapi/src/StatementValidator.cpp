// Statement root, actors and verbs.
#include "StatementValidator.h"

#include "assay/xapi/Syntax.h"

namespace assay::xapi::detail {

namespace {
constexpr std::string_view kVoided = "http://adlnet.gov/expapi/verbs/voided";

bool plainKey(std::string_view k) {
    if (k.empty()) return false;
    for (char c : k) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_')) {
            return false;
        }
    }
    return true;
}
}  // namespace

void StatementValidator::push(std::string_view key, int index) {
    if (depth_ < segments_.size()) {
        // Field by field: avoids a store-forwarding stall of building the aggregate first.
        Segment& s = segments_[depth_];
        s.keyData = key.data();
        s.keySize = key.size();
        s.index = index;
    }
    ++depth_;
}

std::string StatementValidator::path() const {
    std::string out = "$";
    const size_t n = depth_ < segments_.size() ? depth_ : segments_.size();
    for (size_t i = 0; i < n; ++i) {
        const Segment& seg = segments_[i];
        const std::string_view key(seg.keyData, seg.keySize);
        if (seg.index >= 0) {
            out += '[';
            out += std::to_string(seg.index);
            out += ']';
        } else if (plainKey(key)) {
            out += '.';
            out += key;
        } else {
            out += "['";
            out += key;
            out += "']";
        }
    }
    return out;
}

void StatementValidator::fail(ErrorCode code, std::string message) {
    throw XapiException(makeError(code, std::move(message), path()));
}

const Poco::JSON::Object& StatementValidator::object(const Poco::Dynamic::Var& v) {
    const Kind k = kindOf(v);
    if (k == Kind::Object) return asObject(v);
    if (k == Kind::Null) fail(ErrorCode::NullValue, "null is not allowed here");
    fail(ErrorCode::WrongType, "an object is required");
}

const Poco::JSON::Array& StatementValidator::array(const Poco::Dynamic::Var& v) {
    const Kind k = kindOf(v);
    if (k == Kind::Array) return asArray(v);
    if (k == Kind::Null) fail(ErrorCode::NullValue, "null is not allowed here");
    fail(ErrorCode::WrongType, "an array is required");
}

const std::string& StatementValidator::string(const Poco::Dynamic::Var& v) {
    const Kind k = kindOf(v);
    if (k == Kind::String) return asString(v);
    if (k == Kind::Null) fail(ErrorCode::NullValue, "null is not allowed here");
    fail(ErrorCode::WrongType, "a string is required");
}

double StatementValidator::number(const Poco::Dynamic::Var& v) {
    const Kind k = kindOf(v);
    if (k == Kind::Number) return v.convert<double>();
    if (k == Kind::Null) fail(ErrorCode::NullValue, "null is not allowed here");
    fail(ErrorCode::WrongType, "a number is required");
}

void StatementValidator::boolean(const Poco::Dynamic::Var& v) {
    const Kind k = kindOf(v);
    if (k == Kind::Bool) return;
    if (k == Kind::Null) fail(ErrorCode::NullValue, "null is not allowed here");
    fail(ErrorCode::WrongType, "a boolean is required");
}

void StatementValidator::required(const Poco::Dynamic::Var* v, std::string_view key) {
    if (v) return;
    fail(ErrorCode::MissingProperty, "property '" + std::string(key) + "' is required");
}

void StatementValidator::iri(const Poco::Dynamic::Var& v) {
    if (!isAbsoluteIri(string(v))) fail(ErrorCode::InvalidIri, "an absolute IRI is required");
}

void StatementValidator::uuid(const Poco::Dynamic::Var& v) {
    if (!isUuid(string(v))) fail(ErrorCode::InvalidUuid, "a UUID in standard form is required");
}

void StatementValidator::languageMap(const Poco::Dynamic::Var& v) {
    const auto& o = object(v);
    for (auto it = o.begin(); it != o.end(); ++it) {
        Scope s(*this, it->first);
        if (!isLanguageTag(it->first)) {
            fail(ErrorCode::InvalidLanguageTag, "'" + it->first + "' is not an RFC 5646 tag");
        }
        string(it->second);
    }
}

void StatementValidator::extensions(const Poco::Dynamic::Var& v) {
    const auto& o = object(v);
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!isAbsoluteIri(it->first)) {
            Scope s(*this, it->first);
            fail(ErrorCode::InvalidIri, "extension keys must be absolute IRIs");
        }
        // Values are free: the LRS must not reject a statement for them (null included).
    }
}

void StatementValidator::timestamp(const Poco::Dynamic::Var& v) {
    const bool requireZone = version_ == Version::V2_0_0;
    if (!parseTimestamp(string(v), requireZone)) {
        fail(ErrorCode::InvalidTimestamp, requireZone
                                              ? "an ISO 8601 timestamp with a time zone is required"
                                              : "an ISO 8601 timestamp is required");
    }
}

void StatementValidator::statement(const Poco::Dynamic::Var& v, int index) {
    depth_ = 0;
    if (index >= 0) push({}, index);
    static constexpr std::array<std::string_view, 11> kKeys = {
        "id",        "actor",  "verb",      "object",  "result",     "context",
        "timestamp", "stored", "authority", "version", "attachments"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 11> m;
    collect(o, kKeys, m);
    required(m[1], "actor");
    required(m[2], "verb");
    required(m[3], "object");
    if (m[0]) {
        Scope s(*this, "id");
        uuid(*m[0]);
    }
    {
        Scope s(*this, "actor");
        actor(*m[1], ActorRole::Actor);
    }
    bool voiding;
    {
        Scope s(*this, "verb");
        voiding = verb(*m[2]);
    }
    ObjectKind kind;
    {
        Scope s(*this, "object");
        kind = statementObject(*m[3], false);
        if (voiding && kind != ObjectKind::StatementRef) {
            fail(ErrorCode::VoidingTarget, "a voiding statement's object must be a StatementRef");
        }
    }
    if (m[4]) {
        Scope s(*this, "result");
        result(*m[4]);
    }
    if (m[5]) {
        Scope s(*this, "context");
        context(*m[5], kind);
    }
    if (m[6]) {
        Scope s(*this, "timestamp");
        timestamp(*m[6]);
    }
    if (m[7]) {
        Scope s(*this, "stored");
        timestamp(*m[7]);
    }
    if (m[8]) {
        Scope s(*this, "authority");
        actor(*m[8], ActorRole::Authority);
    }
    if (m[9]) {
        Scope s(*this, "version");
        if (!statementVersionAllowed(string(*m[9]), version_)) {
            fail(ErrorCode::InvalidVersion, version_ == Version::V2_0_0
                                                ? "version must be 1.0.x or 2.0.x"
                                                : "version must be 1.0.x");
        }
    }
    if (m[10]) {
        Scope s(*this, "attachments");
        attachments(*m[10]);
    }
}

void StatementValidator::account(const Poco::Dynamic::Var& v) {
    static constexpr std::array<std::string_view, 2> kKeys = {"homePage", "name"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 2> m;
    collect(o, kKeys, m);
    required(m[0], "homePage");
    required(m[1], "name");
    {
        Scope s(*this, "homePage");
        iri(*m[0]);
    }
    Scope s(*this, "name");
    string(*m[1]);
}

StatementValidator::ActorKind StatementValidator::actor(const Poco::Dynamic::Var& v,
                                                        ActorRole role) {
    static constexpr std::array<std::string_view, 7> kKeys = {
        "objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 7> m;
    collect(o, kKeys, m);
    ActorKind kind = ActorKind::Agent;
    if (m[0]) {
        Scope s(*this, "objectType");
        const std::string& t = string(*m[0]);
        if (t == "Group")
            kind = ActorKind::Group;
        else if (t != "Agent")
            fail(ErrorCode::InvalidObjectType, "objectType must be Agent or Group");
    }
    if (kind == ActorKind::Group && (role == ActorRole::Member || role == ActorRole::ContextAgent ||
                                     role == ActorRole::AgentOnly)) {
        Scope s(*this, "objectType");
        fail(role == ActorRole::Member ? ErrorCode::InvalidGroup : ErrorCode::InvalidObjectType,
             role == ActorRole::Member ? "a group's members must be Agents, not Groups"
                                       : "an Agent is required here");
    }
    if (kind == ActorKind::Agent && (role == ActorRole::Team || role == ActorRole::ContextGroup)) {
        fail(ErrorCode::InvalidObjectType, "a Group (objectType \"Group\") is required here");
    }
    if (m[1]) {
        Scope s(*this, "name");
        string(*m[1]);
    }
    int ifis = 0;
    if (m[2]) {
        ++ifis;
        Scope s(*this, "mbox");
        if (!isMailtoIri(string(*m[2]))) fail(ErrorCode::InvalidMbox, "mbox must be a mailto IRI");
    }
    if (m[3]) {
        ++ifis;
        Scope s(*this, "mbox_sha1sum");
        if (!isHex(string(*m[3]), 40)) {
            fail(ErrorCode::InvalidSha1, "mbox_sha1sum must be 40 hex digits");
        }
    }
    if (m[4]) {
        ++ifis;
        Scope s(*this, "openid");
        iri(*m[4]);
    }
    if (m[5]) {
        ++ifis;
        Scope s(*this, "account");
        account(*m[5]);
    }
    if (ifis > 1) {
        fail(ErrorCode::IfiMultiple, "exactly one inverse functional identifier is allowed");
    }
    if (kind == ActorKind::Agent) {
        if (m[6]) {
            Scope s(*this, "member");
            fail(ErrorCode::UnknownProperty, "only a Group has members");
        }
        if (ifis == 0)
            fail(ErrorCode::IfiMissing, "an Agent needs an inverse functional identifier");
        return kind;
    }
    size_t members = 0;
    if (m[6]) {
        Scope s(*this, "member");
        const auto& a = array(*m[6]);
        members = a.size();
        int i = 0;
        for (auto it = a.begin(); it != a.end(); ++it, ++i) {
            Scope e(*this, {}, i);
            actor(*it, ActorRole::Member);
        }
    }
    if (ifis == 0 && members == 0) {
        fail(ErrorCode::InvalidGroup, "an anonymous Group must list its members");
    }
    if (role == ActorRole::Authority && (ifis != 0 || members != 2)) {
        fail(ErrorCode::InvalidAuthority,
             "a Group as authority must be anonymous with exactly two members");
    }
    return kind;
}

bool StatementValidator::verb(const Poco::Dynamic::Var& v) {
    static constexpr std::array<std::string_view, 2> kKeys = {"id", "display"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 2> m;
    collect(o, kKeys, m);
    required(m[0], "id");
    {
        Scope s(*this, "id");
        iri(*m[0]);
    }
    if (m[1]) {
        Scope s(*this, "display");
        languageMap(*m[1]);
    }
    return asString(*m[0]) == kVoided;
}

}  // namespace assay::xapi::detail
