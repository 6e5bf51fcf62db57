#include "assay/xapi/StatementIndex.h"

#include <algorithm>
#include <cctype>

#include "JsonAccess.h"
#include "assay/xapi/Identity.h"
#include "assay/xapi/Vocabulary.h"

namespace assay::xapi {

using detail::Kind;
using detail::kindOf;
using detail::memberObject;
using detail::memberString;
using Obj = Poco::JSON::Object;

namespace {

void addUnique(std::vector<std::string>& list, std::string value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

void addActor(std::vector<std::string>& list, const Obj::Ptr& actor) {
    if (!actor) return;
    if (auto ifi = ifiOf(*actor)) addUnique(list, ifi->key());
}

bool isActivity(const Obj& o) {
    const auto* t = memberString(o, "objectType");
    return !t || *t == "Activity";
}

bool isType(const Obj& o, const char* type) {
    const auto* t = memberString(o, "objectType");
    return t && *t == type;
}

template <typename F>
void forEachContextActivity(const Obj& statement, F&& f) {
    auto context = memberObject(statement, "context");
    auto lists = context ? memberObject(*context, "contextActivities") : nullptr;
    if (!lists) return;
    for (auto it = lists->begin(); it != lists->end(); ++it) {
        if (kindOf(it->second) == Kind::Object) {
            f(detail::asObject(it->second));
        } else if (kindOf(it->second) == Kind::Array) {
            for (const auto& item : detail::asArray(it->second)) {
                if (kindOf(item) == Kind::Object) f(detail::asObject(item));
            }
        }
    }
}

// Related agents and activities of a statement or sub-statement.
void related(const Obj& s, StatementIndex& index) {
    addActor(index.relatedAgents, memberObject(s, "actor"));
    addActor(index.relatedAgents, memberObject(s, "authority"));
    if (auto context = memberObject(s, "context")) {
        addActor(index.relatedAgents, memberObject(*context, "instructor"));
        addActor(index.relatedAgents, memberObject(*context, "team"));
    }
    forEachContextActivity(s, [&](const Obj& a) {
        if (const auto* id = memberString(a, "id")) addUnique(index.relatedActivities, *id);
    });
    auto object = memberObject(s, "object");
    if (!object) return;
    if (isActivity(*object)) {
        if (const auto* id = memberString(*object, "id")) addUnique(index.relatedActivities, *id);
    } else if (isType(*object, "Agent") || isType(*object, "Group")) {
        addActor(index.relatedAgents, object);
    } else if (isType(*object, "SubStatement")) {
        related(*object, index);
    }
}

void mention(std::vector<ActivityMention>& out, const Obj& activity) {
    const auto* id = memberString(activity, "id");
    if (!id) return;
    out.push_back(ActivityMention{*id, memberObject(activity, "definition")});
}

void mentions(const Obj& s, std::vector<ActivityMention>& out) {
    auto object = memberObject(s, "object");
    if (object && isActivity(*object)) mention(out, *object);
    forEachContextActivity(s, [&](const Obj& a) { mention(out, a); });
    if (object && isType(*object, "SubStatement")) mentions(*object, out);
}

bool isLanguageMapKey(const std::string& key) {
    return key == "name" || key == "description";
}

}  // namespace

StatementIndex indexStatement(const Obj& statement) {
    StatementIndex index;
    addActor(index.agents, memberObject(statement, "actor"));
    auto object = memberObject(statement, "object");
    if (object && (isType(*object, "Agent") || isType(*object, "Group"))) {
        addActor(index.agents, object);
    }
    if (object && isActivity(*object)) {
        if (const auto* id = memberString(*object, "id")) addUnique(index.activities, *id);
    }
    if (auto verb = memberObject(statement, "verb")) {
        if (const auto* id = memberString(*verb, "id")) index.verb = *id;
    }
    if (auto context = memberObject(statement, "context")) {
        if (const auto* r = memberString(*context, "registration")) {
            std::string lower = *r;
            for (char& c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            index.registration = lower;
        }
    }
    if (index.verb == vocab::kVoided && object && isType(*object, "StatementRef")) {
        if (const auto* id = memberString(*object, "id")) index.voidedStatementId = *id;
    }
    index.relatedAgents = index.agents;
    index.relatedActivities = index.activities;
    related(statement, index);
    return index;
}

std::vector<ActivityMention> activitiesWithDefinitions(const Obj& statement) {
    std::vector<ActivityMention> out;
    mentions(statement, out);
    return out;
}

Obj::Ptr mergeActivityDefinition(const Obj::Ptr& canonical, const Obj& incoming) {
    Obj::Ptr out = canonical ? Poco::makeShared<Obj>(*canonical) : Poco::makeShared<Obj>();
    for (auto it = incoming.begin(); it != incoming.end(); ++it) {
        if (isLanguageMapKey(it->first) && kindOf(it->second) == Kind::Object) {
            auto existing = memberObject(*out, it->first);
            Obj::Ptr merged = existing ? Poco::makeShared<Obj>(*existing) : Poco::makeShared<Obj>();
            const Obj& map = detail::asObject(it->second);
            for (auto m = map.begin(); m != map.end(); ++m)
                merged->set(m->first, m->second);
            out->set(it->first, merged);
        } else {
            out->set(it->first, it->second);
        }
    }
    return out;
}

}  // namespace assay::xapi
