// JSON text out of statement trees: single statements, StatementResult bodies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

namespace assay::xapi {

// Compact JSON of a statement (or any object), UTF-8 kept as is.
std::string toJson(const Poco::JSON::Object& object);

// The StatementResult of GET /statements: {"statements":[...],"more":"<url>"}; "more" is
// the empty string when there is no further page, as the specification requires.
std::string statementResultJson(const std::vector<Poco::JSON::Object::Ptr>& statements,
                                std::string_view moreUrl);

// The body answering POST /statements: the ids in request order, ["id", ...].
std::string statementIdsJson(const std::vector<std::string>& ids);

}  // namespace assay::xapi
