#include "assay/xapi/StoredForm.h"

#include <Poco/JSON/Array.h>

#include "JsonAccess.h"
#include "assay/xapi/Identity.h"
#include "assay/xapi/Syntax.h"

namespace assay::xapi {

using detail::Kind;
using detail::kindOf;
using detail::member;
using detail::memberObject;

void normaliseContextActivities(Poco::JSON::Object& statement) {
    if (auto context = memberObject(statement, "context")) {
        if (auto lists = memberObject(*context, "contextActivities")) {
            for (const char* key : {"parent", "grouping", "category", "other"}) {
                const auto* v = member(*lists, key);
                if (!v || kindOf(*v) != Kind::Object) continue;
                Poco::JSON::Array::Ptr wrapped = new Poco::JSON::Array;
                wrapped->add(*v);
                lists->set(key, wrapped);
            }
        }
    }
    if (auto object = memberObject(statement, "object")) {
        const auto* type = detail::memberString(*object, "objectType");
        if (type && *type == "SubStatement") normaliseContextActivities(*object);
    }
}

std::string prepareForStorage(Poco::JSON::Object& statement, const StoreOptions& options) {
    std::string id;
    if (const auto* existing = detail::memberString(statement, "id")) {
        id = *existing;
    } else {
        id = randomUuid();
        statement.set("id", id);
    }
    const std::string stored = formatTimestamp(options.storedMillis);
    statement.set("stored", stored);
    if (!member(statement, "timestamp")) statement.set("timestamp", stored);
    if (options.authority && (!options.trustProvidedAuthority || !member(statement, "authority"))) {
        statement.set("authority", options.authority);
    }
    if (!member(statement, "version")) {
        statement.set("version", std::string(defaultStatementVersion(options.version)));
    }
    normaliseContextActivities(statement);
    return id;
}

}  // namespace assay::xapi
