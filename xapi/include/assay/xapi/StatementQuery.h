// GET /statements parameters: parsed, validated and matched against statements.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <Poco/JSON/Object.h>

#include "assay/xapi/Error.h"
#include "assay/xapi/Identity.h"
#include "assay/xapi/OutputForm.h"
#include "assay/xapi/Version.h"

namespace assay::xapi {

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

struct StatementQuery {
    // Single statement lookups (only attachments and format may accompany them).
    std::optional<std::string> statementId;
    std::optional<std::string> voidedStatementId;

    // Filters.
    std::optional<Ifi> agent;                 // from the "agent" JSON parameter
    Poco::JSON::Object::Ptr agentJson;        // the parameter as sent (validated)
    std::optional<std::string> verb;          // verb IRI
    std::optional<std::string> activity;      // activity IRI
    std::optional<std::string> registration;  // UUID, lower case
    bool relatedActivities = false;
    bool relatedAgents = false;
    std::optional<int64_t> since;  // stored strictly after (epoch ms)
    std::optional<int64_t> until;  // stored at or before (epoch ms)

    // Shape of the answer.
    uint32_t limit = 0;  // 0: the LRS's maximum
    StatementFormat format = StatementFormat::Exact;
    bool attachments = false;
    bool ascending = false;

    // The "more" token of a follow-up page, when the request carried one.
    std::optional<std::string> more;

    // The filter and shape parameters in a canonical order (name=value&...), URL-encoded:
    // what a paging token is bound to.
    std::string canonicalParameters() const;
};

// Parses the query parameters of GET /statements. Unknown names give UnknownParameter,
// a repeated name or bad value InvalidParameter, statementId / voidedStatementId with
// filters (or both) ConflictingParameters, "more" with anything else ConflictingParameters.
std::variant<StatementQuery, XapiError> parseStatementQuery(const QueryParameters& params,
                                                            Version version);

// Whether a stored statement passes the query's filters (agent, verb, activity,
// registration, related_*, since, until). `storedMillis` is the statement's stored time.
// Voiding and paging are the caller's concern. The reference for storage back-ends.
bool matchesQuery(const Poco::JSON::Object& statement, int64_t storedMillis,
                  const StatementQuery& query);

// Splits and percent-decodes an URL query string ("a=1&b=%20").
QueryParameters parseQueryString(std::string_view query);

}  // namespace assay::xapi
