// The forms GET /statements returns: format=exact|ids|canonical, with Accept-Language.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/JSON/Object.h>

#include "assay/xapi/Version.h"

namespace assay::xapi {

enum class StatementFormat { Exact, Ids, Canonical };

std::optional<StatementFormat> parseStatementFormat(std::string_view s);
std::string_view formatName(StatementFormat f);

// An Accept-Language header: language ranges ordered by preference (q, then position).
class LanguagePreference {
  public:
    LanguagePreference() = default;
    static LanguagePreference parse(std::string_view acceptLanguage);

    // The key of `languageMap` to keep: the first range that matches a key exactly, by
    // prefix ("en" matches "en-US") or as a more specific range ("en-GB" accepts "en"),
    // otherwise "und" when present, otherwise the first key. Empty for an empty map.
    std::string bestKey(const Poco::JSON::Object& languageMap) const;

    const std::vector<std::pair<std::string, double>>& ranges() const { return ranges_; }

  private:
    std::vector<std::pair<std::string, double>> ranges_;
};

// Supplies the LRS's canonical Activity definition for an id (nullptr: keep the statement's).
using CanonicalDefinitions = std::function<Poco::JSON::Object::Ptr(const std::string& activityId)>;

// Renders a stored statement in the requested form. Exact returns `statement` itself; the
// other forms return a new tree that shares unchanged parts with `statement` (which is never
// modified).
//  - ids: Agents and identified Groups reduced to objectType + IFI, anonymous Groups to their
//    members' IFIs, Verbs and Activities to their ids.
//  - canonical: Activity definitions (canonical when `definitions` supplies one) and Verb
//    displays with every language map reduced to the best match for `languages`.
Poco::JSON::Object::Ptr renderStatement(const Poco::JSON::Object::Ptr& statement,
                                        StatementFormat format,
                                        const LanguagePreference& languages = {},
                                        const CanonicalDefinitions& definitions = nullptr);

// For a client speaking an older version: under 1.0.3 the xAPI 2.0 context properties
// (contextAgents, contextGroups, also inside a SubStatement) are left out; the statement is
// returned as is otherwise (and always under 2.0). Never modifies `statement`.
Poco::JSON::Object::Ptr renderForVersion(const Poco::JSON::Object::Ptr& statement, Version version);

}  // namespace assay::xapi
