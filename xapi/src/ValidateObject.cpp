// Statement objects: activities and their definitions, statement references, sub-statements.
#include "StatementValidator.h"

#include <algorithm>
#include <vector>

#include "assay/xapi/Syntax.h"

namespace assay::xapi::detail {

namespace {

// Which component lists an interaction type allows.
enum Component : unsigned { kChoices = 1, kScale = 2, kSource = 4, kTarget = 8, kSteps = 16 };

bool interactionType(const std::string& t, unsigned& allowed) {
    if (t == "true-false" || t == "fill-in" || t == "long-fill-in" || t == "numeric" ||
        t == "other") {
        allowed = 0;
    } else if (t == "choice" || t == "sequencing") {
        allowed = kChoices;
    } else if (t == "likert") {
        allowed = kScale;
    } else if (t == "matching") {
        allowed = kSource | kTarget;
    } else if (t == "performance") {
        allowed = kSteps;
    } else {
        return false;
    }
    return true;
}

}  // namespace

StatementValidator::ObjectKind StatementValidator::statementObject(const Poco::Dynamic::Var& v,
                                                                   bool insideSubStatement) {
    const auto& o = object(v);
    const Poco::Dynamic::Var* type = member(o, "objectType");
    if (!type) {
        activity(o);
        return ObjectKind::Activity;
    }
    std::string_view t;
    {
        Scope s(*this, "objectType");
        t = string(*type);
    }
    if (t == "Activity") {
        activity(o);
        return ObjectKind::Activity;
    }
    if (t == "Agent" || t == "Group") {
        return actor(v, ActorRole::ObjectActor) == ActorKind::Agent ? ObjectKind::Agent
                                                                    : ObjectKind::Group;
    }
    if (t == "StatementRef") {
        statementRef(o);
        return ObjectKind::StatementRef;
    }
    if (t == "SubStatement") {
        if (insideSubStatement) {
            Scope s(*this, "objectType");
            fail(ErrorCode::NestedSubStatement, "a SubStatement cannot contain a SubStatement");
        }
        subStatement(o);
        return ObjectKind::SubStatement;
    }
    Scope s(*this, "objectType");
    fail(ErrorCode::InvalidObjectType,
         "objectType must be Activity, Agent, Group, StatementRef or SubStatement");
}

void StatementValidator::activity(const Poco::JSON::Object& o) {
    static constexpr std::array<std::string_view, 3> kKeys = {"objectType", "id", "definition"};
    std::array<const Poco::Dynamic::Var*, 3> m;
    collect(o, kKeys, m);
    if (m[0]) {
        Scope s(*this, "objectType");
        if (string(*m[0]) != "Activity") {
            fail(ErrorCode::InvalidObjectType, "objectType must be Activity here");
        }
    }
    required(m[1], "id");
    {
        Scope s(*this, "id");
        iri(*m[1]);
    }
    if (m[2]) {
        Scope s(*this, "definition");
        definition(*m[2]);
    }
}

void StatementValidator::definition(const Poco::Dynamic::Var& v) {
    static constexpr std::array<std::string_view, 12> kKeys = {
        "name",     "description",     "type",
        "moreInfo", "interactionType", "correctResponsesPattern",
        "choices",  "scale",           "source",
        "target",   "steps",           "extensions"};
    const auto& o = object(v);
    std::array<const Poco::Dynamic::Var*, 12> m;
    collect(o, kKeys, m);
    if (m[0]) {
        Scope s(*this, "name");
        languageMap(*m[0]);
    }
    if (m[1]) {
        Scope s(*this, "description");
        languageMap(*m[1]);
    }
    if (m[2]) {
        Scope s(*this, "type");
        iri(*m[2]);
    }
    if (m[3]) {
        Scope s(*this, "moreInfo");
        iri(*m[3]);
    }
    unsigned allowed = 0;
    bool interaction = false;
    if (m[4]) {
        Scope s(*this, "interactionType");
        if (!interactionType(string(*m[4]), allowed)) {
            fail(ErrorCode::InvalidInteraction, "unknown interactionType");
        }
        interaction = true;
    }
    if (m[5]) {
        Scope s(*this, "correctResponsesPattern");
        if (!interaction) {
            fail(ErrorCode::InvalidInteraction, "correctResponsesPattern needs an interactionType");
        }
        const auto& a = array(*m[5]);
        int i = 0;
        for (auto it = a.begin(); it != a.end(); ++it, ++i) {
            Scope e(*this, {}, i);
            string(*it);
        }
    }
    static constexpr std::array<std::string_view, 5> kComponents = {"choices", "scale", "source",
                                                                    "target", "steps"};
    for (size_t c = 0; c < kComponents.size(); ++c) {
        const auto* list = m[6 + c];
        if (!list) continue;
        Scope s(*this, kComponents[c]);
        if (!interaction || !(allowed & (1u << c))) {
            fail(ErrorCode::InvalidInteraction,
                 "this component list is not allowed for the interactionType");
        }
        interactionComponents(*list);
    }
    if (m[11]) {
        Scope s(*this, "extensions");
        extensions(*m[11]);
    }
}

void StatementValidator::interactionComponents(const Poco::Dynamic::Var& v) {
    static constexpr std::array<std::string_view, 2> kKeys = {"id", "description"};
    const auto& a = array(v);
    // Ids seen so far: inline for the usual short lists, a sorted copy for long ones.
    constexpr size_t kInline = 32;
    std::array<std::string_view, kInline> seen{};
    std::vector<std::string_view> many;
    int i = 0;
    for (auto it = a.begin(); it != a.end(); ++it, ++i) {
        Scope e(*this, {}, i);
        const auto& o = object(*it);
        std::array<const Poco::Dynamic::Var*, 2> m;
        collect(o, kKeys, m);
        required(m[0], "id");
        {
            Scope s(*this, "id");
            const std::string& id = string(*m[0]);
            if (id.empty()) fail(ErrorCode::InvalidInteraction, "component ids must not be empty");
            const auto n = static_cast<size_t>(i);
            bool duplicate = false;
            if (n < kInline) {
                duplicate = std::find(seen.begin(), seen.begin() + n, id) != seen.begin() + n;
                seen[n] = id;
            } else {
                if (many.empty()) {
                    many.assign(seen.begin(), seen.end());
                    std::sort(many.begin(), many.end());
                }
                const auto pos = std::lower_bound(many.begin(), many.end(), std::string_view(id));
                duplicate = pos != many.end() && *pos == id;
                many.insert(pos, id);
            }
            if (duplicate) fail(ErrorCode::InvalidInteraction, "component ids must be distinct");
        }
        if (m[1]) {
            Scope s(*this, "description");
            languageMap(*m[1]);
        }
    }
}

void StatementValidator::statementRef(const Poco::JSON::Object& o) {
    static constexpr std::array<std::string_view, 2> kKeys = {"objectType", "id"};
    std::array<const Poco::Dynamic::Var*, 2> m;
    collect(o, kKeys, m);
    required(m[0], "objectType");
    {
        Scope s(*this, "objectType");
        if (string(*m[0]) != "StatementRef") {
            fail(ErrorCode::InvalidObjectType, "objectType must be StatementRef");
        }
    }
    required(m[1], "id");
    Scope s(*this, "id");
    uuid(*m[1]);
}

void StatementValidator::subStatement(const Poco::JSON::Object& o) {
    static constexpr std::array<std::string_view, 8> kKeys = {
        "objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"};
    for (auto it = o.begin(); it != o.end(); ++it) {
        const std::string& k = it->first;
        if (k == "id" || k == "stored" || k == "version" || k == "authority") {
            Scope s(*this, k);
            fail(ErrorCode::SubStatementProperty, "a SubStatement must not have '" + k + "'");
        }
    }
    std::array<const Poco::Dynamic::Var*, 8> m;
    collect(o, kKeys, m);
    required(m[1], "actor");
    required(m[2], "verb");
    required(m[3], "object");
    {
        Scope s(*this, "actor");
        actor(*m[1], ActorRole::Actor);
    }
    {
        Scope s(*this, "verb");
        verb(*m[2]);
    }
    ObjectKind kind;
    {
        Scope s(*this, "object");
        kind = statementObject(*m[3], true);
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
        Scope s(*this, "attachments");
        attachments(*m[7]);
    }
}

}  // namespace assay::xapi::detail
