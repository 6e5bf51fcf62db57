// Fuzz target: statement text through parsing, validation under both versions and, for
// valid statements, the stored and output forms, comparison and query matching.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "assay/xapi/Comparison.h"
#include "assay/xapi/OutputForm.h"
#include "assay/xapi/StatementIndex.h"
#include "assay/xapi/StatementQuery.h"
#include "assay/xapi/StoredForm.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (Version v : {Version::V1_0_3, Version::V2_0_0}) {
        auto parsed = parseStatements(text, v);
        auto* ok = std::get_if<ParsedStatements>(&parsed);
        if (!ok) {
            const auto& err = std::get<XapiError>(parsed);
            if (err.httpStatus != 400 || err.path.empty() || err.path[0] != '$') __builtin_trap();
            continue;
        }
        StatementQuery everyone;
        everyone.relatedActivities = everyone.relatedAgents = true;
        for (const auto& s : ok->statements) {
            Poco::JSON::Object::Ptr copy = new Poco::JSON::Object(*s);
            for (auto format : {StatementFormat::Ids, StatementFormat::Canonical}) {
                auto rendered =
                    renderStatement(copy, format, LanguagePreference::parse("en-US,de;q=0.5"));
                std::ostringstream out;
                rendered->stringify(out);
            }
            if (!statementsEquivalent(*s, *copy)) __builtin_trap();
            // Every activity the index relates to the statement is found by the filter.
            const auto index = indexStatement(*s);
            for (const auto& id : index.relatedActivities) {
                StatementQuery byActivity;
                byActivity.activity = id;
                byActivity.relatedActivities = true;
                if (!matchesQuery(*s, 0, byActivity)) __builtin_trap();
            }
            for (const auto& mention : activitiesWithDefinitions(*s)) {
                if (mention.definition) (void)mergeActivityDefinition(nullptr, *mention.definition);
            }
            StoreOptions options;
            options.storedMillis = 1700000000000;
            options.version = v;
            prepareForStorage(*copy, options);
            // The stored form is still a valid statement and matches an unfiltered query.
            if (validateStatement(copy, v)) __builtin_trap();
            if (!matchesQuery(*copy, options.storedMillis, everyone)) __builtin_trap();
        }
    }
    return 0;
}
