// Result, context and attachment headers.
#include "StatementValidator.h"

#include "assay/xapi/Syntax.h"

namespace assay::xapi::detail {

void StatementValidator::result(const Poco::Dynamic::Var& v) {
    static constexpr std::array<std::string_view, 6> kKeys = {"score",    "success",  "completion",
                                                              "response", "duration", "extensions"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 6> m;
    collect(o, kKeys, m);
    if (m[0]) {
        Scope s(*this, "score");
        score(*m[0]);
    }
    if (m[1]) {
        Scope s(*this, "success");
        boolean(*m[1]);
    }
    if (m[2]) {
        Scope s(*this, "completion");
        boolean(*m[2]);
    }
    if (m[3]) {
        Scope s(*this, "response");
        string(*m[3]);
    }
    if (m[4]) {
        Scope s(*this, "duration");
        if (!isDuration(string(*m[4]))) {
            fail(ErrorCode::InvalidDuration, "an ISO 8601 duration is required");
        }
    }
    if (m[5]) {
        Scope s(*this, "extensions");
        extensions(*m[5]);
    }
}

void StatementValidator::score(const Poco::Dynamic::Var& v) {
    static constexpr std::array<std::string_view, 4> kKeys = {"scaled", "raw", "min", "max"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 4> m;
    collect(o, kKeys, m);
    double values[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < 4; ++i) {
        if (!m[i]) continue;
        Scope s(*this, kKeys[i]);
        values[i] = number(*m[i]);
    }
    if (m[0] && (values[0] < -1.0 || values[0] > 1.0)) {
        Scope s(*this, "scaled");
        fail(ErrorCode::ScoreOutOfRange, "scaled must lie between -1 and 1");
    }
    if (m[2] && m[3] && !(values[2] < values[3])) {
        Scope s(*this, "min");
        fail(ErrorCode::ScoreOutOfRange, "min must be less than max");
    }
    if (m[1]) {
        Scope s(*this, "raw");
        if (m[2] && values[1] < values[2]) fail(ErrorCode::ScoreOutOfRange, "raw is below min");
        if (m[3] && values[1] > values[3]) fail(ErrorCode::ScoreOutOfRange, "raw is above max");
    }
}

void StatementValidator::context(const Poco::Dynamic::Var& v, ObjectKind objectKind) {
    static constexpr std::array<std::string_view, 11> kKeys = {
        "registration", "instructor", "team",       "contextActivities", "revision",     "platform",
        "language",     "statement",  "extensions", "contextAgents",     "contextGroups"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 11> m;
    collect(o, kKeys, m);
    if (version_ != Version::V2_0_0) {
        for (size_t i = 9; i < 11; ++i) {
            if (!m[i]) continue;
            Scope s(*this, kKeys[i]);
            fail(ErrorCode::UnknownProperty, std::string(kKeys[i]) + " exists only in xAPI 2.0");
        }
    }
    if (m[0]) {
        Scope s(*this, "registration");
        uuid(*m[0]);
    }
    if (m[1]) {
        Scope s(*this, "instructor");
        actor(*m[1], ActorRole::Instructor);
    }
    if (m[2]) {
        Scope s(*this, "team");
        actor(*m[2], ActorRole::Team);
    }
    if (m[3]) {
        Scope s(*this, "contextActivities");
        contextActivities(*m[3]);
    }
    for (size_t i = 4; i < 6; ++i) {
        if (!m[i]) continue;
        Scope s(*this, kKeys[i]);
        string(*m[i]);
        if (objectKind != ObjectKind::Activity) {
            fail(ErrorCode::ContextNotActivity,
                 std::string(kKeys[i]) + " is only allowed when the object is an Activity");
        }
    }
    if (m[6]) {
        Scope s(*this, "language");
        if (!isLanguageTag(string(*m[6]))) {
            fail(ErrorCode::InvalidLanguageTag, "language must be an RFC 5646 tag");
        }
    }
    if (m[7]) {
        Scope s(*this, "statement");
        statementRef(object(*m[7]));
    }
    if (m[8]) {
        Scope s(*this, "extensions");
        extensions(*m[8]);
    }
    if (m[9]) {
        Scope s(*this, "contextAgents");
        contextAgents(*m[9], false);
    }
    if (m[10]) {
        Scope s(*this, "contextGroups");
        contextAgents(*m[10], true);
    }
}

void StatementValidator::contextActivities(const Poco::Dynamic::Var& v) {
    static constexpr std::array<std::string_view, 4> kKeys = {"parent", "grouping", "category",
                                                              "other"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 4> m;
    collect(o, kKeys, m);
    for (size_t i = 0; i < 4; ++i) {
        if (!m[i]) continue;
        Scope s(*this, kKeys[i]);
        if (kindOf(*m[i]) == Kind::Object) {
            activity(asObject(*m[i]));
            continue;
        }
        const auto& a = array(*m[i]);
        int n = 0;
        for (auto it = a.begin(); it != a.end(); ++it, ++n) {
            Scope e(*this, {}, n);
            activity(object(*it));
        }
    }
}

void StatementValidator::contextAgents(const Poco::Dynamic::Var& v, bool groups) {
    static constexpr std::array<std::string_view, 3> kAgentKeys = {"objectType", "agent",
                                                                   "relevantTypes"};
    static constexpr std::array<std::string_view, 3> kGroupKeys = {"objectType", "group",
                                                                   "relevantTypes"};
    const auto& keys = groups ? kGroupKeys : kAgentKeys;
    const char* type = groups ? "contextGroup" : "contextAgent";
    const auto& a = array(v);
    int n = 0;
    for (auto it = a.begin(); it != a.end(); ++it, ++n) {
        Scope e(*this, {}, n);
        const auto& o = object(*it);
        std::array<const Poco::Dynamic::Var*, 3> m;
        collect(o, keys, m);
        required(m[0], "objectType");
        {
            Scope s(*this, "objectType");
            if (string(*m[0]) != type) {
                fail(ErrorCode::InvalidObjectType, std::string("objectType must be ") + type);
            }
        }
        required(m[1], keys[1]);
        {
            Scope s(*this, keys[1]);
            actor(*m[1], groups ? ActorRole::ContextGroup : ActorRole::ContextAgent);
        }
        if (m[2]) {
            Scope s(*this, "relevantTypes");
            const auto& types = array(*m[2]);
            if (types.size() == 0) fail(ErrorCode::WrongType, "relevantTypes must not be empty");
            int t = 0;
            for (auto ti = types.begin(); ti != types.end(); ++ti, ++t) {
                Scope te(*this, {}, t);
                iri(*ti);
            }
        }
    }
}

void StatementValidator::attachments(const Poco::Dynamic::Var& v) {
    static constexpr std::array<std::string_view, 7> kKeys = {
        "usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"};
    const auto& a = array(v);
    int n = 0;
    for (auto it = a.begin(); it != a.end(); ++it, ++n) {
        Scope e(*this, {}, n);
        const auto& o = object(*it);
        std::array<const Poco::Dynamic::Var*, 7> m;
        collect(o, kKeys, m);
        required(m[0], "usageType");
        required(m[1], "display");
        required(m[3], "contentType");
        required(m[4], "length");
        required(m[5], "sha2");
        {
            Scope s(*this, "usageType");
            iri(*m[0]);
        }
        {
            Scope s(*this, "display");
            languageMap(*m[1]);
        }
        if (m[2]) {
            Scope s(*this, "description");
            languageMap(*m[2]);
        }
        {
            Scope s(*this, "contentType");
            if (!isMediaType(string(*m[3]))) {
                fail(ErrorCode::InvalidAttachment, "contentType must be an Internet media type");
            }
        }
        {
            Scope s(*this, "length");
            const double len = number(*m[4]);
            if (len < 0 || len != static_cast<double>(static_cast<int64_t>(len))) {
                fail(ErrorCode::InvalidAttachment, "length must be a non-negative integer");
            }
        }
        {
            Scope s(*this, "sha2");
            if (!isSha2Hex(string(*m[5]))) {
                fail(ErrorCode::InvalidAttachment, "sha2 must be a hex SHA-2 digest");
            }
        }
        if (m[6]) {
            Scope s(*this, "fileUrl");
            iri(*m[6]);
        }
    }
}

}  // namespace assay::xapi::detail
