// Statement validation per the MUST rules of xAPI 1.0.3 and xAPI 2.0 (IEEE 9274.1.1).
// The statement model is the Poco::JSON tree itself: parse once, validate the tree, keep it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include "assay/xapi/Error.h"
#include "assay/xapi/Version.h"

namespace assay::xapi {

// Parses JSON text. InvalidJson (400) when the text is not one JSON value.
std::variant<Poco::Dynamic::Var, XapiError> parseJson(std::string_view text);

// Validates one statement. nullopt when valid; otherwise the first problem found, with the
// JSON path of the offending value rooted at "$".
std::optional<XapiError> validateStatement(const Poco::Dynamic::Var& statement, Version version);
std::optional<XapiError> validateStatement(const Poco::JSON::Object::Ptr& statement,
                                           Version version);

// Parses and validates statement text (what POST /statements receives without attachments).
std::optional<XapiError> validateStatement(std::string_view json, Version version);
// Text overloads, so that strings never convert to Poco::Dynamic::Var by accident.
inline std::optional<XapiError> validateStatement(const std::string& json, Version version) {
    return validateStatement(std::string_view(json), version);
}
inline std::optional<XapiError> validateStatement(const char* json, Version version) {
    return validateStatement(std::string_view(json), version);
}

// The body of a statements POST: a single statement or an array of them. Paths of errors in
// a batch start with "$[i]".
struct ParsedStatements {
    std::vector<Poco::JSON::Object::Ptr> statements;
    bool batch = false;  // the body was an array
};
std::variant<ParsedStatements, XapiError> parseStatements(std::string_view body, Version version);
std::variant<ParsedStatements, XapiError> validateStatements(const Poco::Dynamic::Var& body,
                                                             Version version);

// An Agent or Group as used in the "agent" query parameter and the document resources.
std::optional<XapiError> validateActor(const Poco::Dynamic::Var& actor, Version version);

// An Agent (not a Group), as the Agents resource and agent profiles require.
std::optional<XapiError> validateAgent(const Poco::Dynamic::Var& agent, Version version);

}  // namespace assay::xapi
