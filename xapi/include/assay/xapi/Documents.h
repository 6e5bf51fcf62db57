// Rules of the document resources (State, Activity Profile, Agent Profile) and of the Agents
// and Activities resources that need no HTTP server: parameters, ETags, If-Match /
// If-None-Match, and the JSON merge of POST.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <Poco/JSON/Object.h>

#include "assay/xapi/Error.h"
#include "assay/xapi/Identity.h"
#include "assay/xapi/StatementQuery.h"
#include "assay/xapi/Version.h"

namespace assay::xapi {

enum class DocumentResource { State, ActivityProfile, AgentProfile, Agents, Activities };
enum class DocumentMethod { Get, Put, Post, Delete };

struct DocumentQuery {
    std::optional<std::string> activityId;
    Poco::JSON::Object::Ptr agentJson;  // validated Agent
    std::optional<Ifi> agent;
    std::optional<std::string> registration;  // lower case
    std::optional<std::string> stateId;
    std::optional<std::string> profileId;
    std::optional<int64_t> since;  // epoch ms, only when listing ids

    // A GET or DELETE without stateId / profileId addresses all documents (list or delete).
    bool addressesMany() const;
};

// Parses and checks the parameters of a document, Agents or Activities request:
// required parameters present (MissingProperty is not used: InvalidParameter names the
// parameter), values well-formed (agent an Agent JSON object, activityId an IRI,
// registration a UUID, since a timestamp), nothing unknown (UnknownParameter), `since`
// only when listing (ConflictingParameters).
std::variant<DocumentQuery, XapiError> parseDocumentQuery(DocumentResource resource,
                                                          DocumentMethod method,
                                                          const QueryParameters& params,
                                                          Version version);

// The ETag of a document's content: a quoted hex SHA-1 ("\"...\"").
std::string documentEtag(std::string_view content);

// Outcome of the concurrency headers for a write.
enum class Precondition {
    Proceed,
    Conflict,            // 409: PUT without If-Match / If-None-Match over an existing document
    PreconditionFailed,  // 412: If-Match / If-None-Match not satisfied
};

// Evaluates If-Match / If-None-Match (each nullopt when absent; lists and "*" allowed, weak
// tags compare by their opaque part) against the current ETag (nullopt: no document).
// `requireForExistingPut`: a PUT that carries neither header over an existing document
// answers 409, as the profile resources require.
Precondition checkPreconditions(DocumentMethod method, std::optional<std::string_view> ifMatch,
                                std::optional<std::string_view> ifNoneMatch,
                                std::optional<std::string_view> currentEtag,
                                bool requireForExistingPut);

// POST to a document: with no stored document the new content is stored as is; when both
// are JSON objects (Content-Type application/json) their top-level properties are merged,
// the posted ones winning; any other combination is refused with InvalidParameter (400).
// Returns the content to store.
std::variant<std::string, XapiError> mergeDocumentPost(std::optional<std::string_view> stored,
                                                       bool storedIsJson, std::string_view posted,
                                                       bool postedIsJson);

}  // namespace assay::xapi
