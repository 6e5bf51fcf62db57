#include "assay/xapi/Validator.h"

#include <algorithm>
#include <cctype>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "StatementValidator.h"

namespace assay::xapi {

using detail::Kind;
using detail::kindOf;
using detail::StatementValidator;

namespace {

// The first statement of a batch whose id an earlier one already uses (ids compare
// case-insensitively, as UUIDs do).
std::optional<XapiError> duplicateId(const std::vector<Poco::JSON::Object::Ptr>& statements) {
    if (statements.size() < 2) return std::nullopt;
    std::vector<std::pair<std::string, size_t>> ids;
    ids.reserve(statements.size());
    for (size_t i = 0; i < statements.size(); ++i) {
        if (const auto* id = detail::memberString(*statements[i], "id")) {
            std::string lower = *id;
            for (char& c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            ids.emplace_back(std::move(lower), i);
        }
    }
    std::sort(ids.begin(), ids.end());
    for (size_t i = 1; i < ids.size(); ++i) {
        if (ids[i].first == ids[i - 1].first) {
            const size_t later = std::max(ids[i].second, ids[i - 1].second);
            return makeError(ErrorCode::DuplicateStatementId,
                             "two statements of the batch have the id " + ids[i].first,
                             "$[" + std::to_string(later) + "].id");
        }
    }
    return std::nullopt;
}

}  // namespace

std::variant<Poco::Dynamic::Var, XapiError> parseJson(std::string_view text) {
    try {
        Poco::JSON::Parser parser;
        return parser.parse(std::string(text));
    } catch (const Poco::Exception& e) {
        return makeError(ErrorCode::InvalidJson, "the body is not valid JSON: " + e.displayText(),
                         "$");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::InvalidJson,
                         std::string("the body is not valid JSON: ") + e.what(), "$");
    }
}

std::optional<XapiError> validateStatement(const Poco::Dynamic::Var& statement, Version version) {
    try {
        StatementValidator(version).statement(statement);
        return std::nullopt;
    } catch (const XapiException& e) {
        return e.error();
    }
}

std::optional<XapiError> validateStatement(const Poco::JSON::Object::Ptr& statement,
                                           Version version) {
    if (!statement) return makeError(ErrorCode::WrongType, "a statement object is required", "$");
    return validateStatement(Poco::Dynamic::Var(statement), version);
}

std::optional<XapiError> validateStatement(std::string_view json, Version version) {
    auto parsed = parseJson(json);
    if (auto* err = std::get_if<XapiError>(&parsed)) return *err;
    return validateStatement(std::get<Poco::Dynamic::Var>(parsed), version);
}

std::variant<ParsedStatements, XapiError> validateStatements(const Poco::Dynamic::Var& body,
                                                             Version version) {
    ParsedStatements out;
    try {
        StatementValidator validator(version);
        if (kindOf(body) == Kind::Array) {
            out.batch = true;
            const auto& a = detail::asArray(body);
            out.statements.reserve(a.size());
            int i = 0;
            for (auto it = a.begin(); it != a.end(); ++it, ++i) {
                validator.statement(*it, i);
                out.statements.push_back(it->extract<Poco::JSON::Object::Ptr>());
            }
            if (auto dup = duplicateId(out.statements)) return *dup;
        } else {
            validator.statement(body);
            out.statements.push_back(body.extract<Poco::JSON::Object::Ptr>());
        }
    } catch (const XapiException& e) {
        return e.error();
    }
    return out;
}

std::variant<ParsedStatements, XapiError> parseStatements(std::string_view body, Version version) {
    auto parsed = parseJson(body);
    if (auto* err = std::get_if<XapiError>(&parsed)) return *err;
    return validateStatements(std::get<Poco::Dynamic::Var>(parsed), version);
}

std::optional<XapiError> validateActor(const Poco::Dynamic::Var& actor, Version version) {
    try {
        StatementValidator(version).actor(actor, StatementValidator::ActorRole::Parameter);
        return std::nullopt;
    } catch (const XapiException& e) {
        return e.error();
    }
}

std::optional<XapiError> validateAgent(const Poco::Dynamic::Var& agent, Version version) {
    try {
        StatementValidator(version).actor(agent, StatementValidator::ActorRole::AgentOnly);
        return std::nullopt;
    } catch (const XapiException& e) {
        return e.error();
    }
}

}  // namespace assay::xapi
