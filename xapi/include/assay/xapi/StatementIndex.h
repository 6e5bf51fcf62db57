// What a storage back-end indexes per statement so that the GET /statements filters become
// plain lookups: agents and activities directly and broadly related, verb, registration,
// voiding target, and the activity definitions a statement carries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

namespace assay::xapi {

struct StatementIndex {
    // Ifi::key() of the actor and of an Agent/identified Group object: the "agent" filter.
    std::vector<std::string> agents;
    // Also authority, instructor, team, and the same inside a SubStatement ("related_agents").
    std::vector<std::string> relatedAgents;
    // Id of an Activity object: the "activity" filter.
    std::vector<std::string> activities;
    // Also every contextActivities list and a SubStatement's ("related_activities").
    std::vector<std::string> relatedActivities;
    std::string verb;
    std::optional<std::string> registration;       // lower case
    std::optional<std::string> voidedStatementId;  // set when this statement voids another
};

// Keys are unique within each list; `related*` include the direct ones.
StatementIndex indexStatement(const Poco::JSON::Object& statement);

// Activities with the definition a statement gives them (object, context activities,
// sub-statement), for keeping the LRS's canonical definitions.
struct ActivityMention {
    std::string id;
    Poco::JSON::Object::Ptr definition;  // null when the statement gives none
};
std::vector<ActivityMention> activitiesWithDefinitions(const Poco::JSON::Object& statement);

// The canonical definition after seeing `incoming`: its properties replace the stored ones,
// except language maps, which are merged language by language (the newest text wins).
// `canonical` may be null. Returns a new object; neither input changes.
Poco::JSON::Object::Ptr mergeActivityDefinition(const Poco::JSON::Object::Ptr& canonical,
                                                const Poco::JSON::Object& incoming);

}  // namespace assay::xapi
