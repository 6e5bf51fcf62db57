// The statement as an LRS stores it: the properties the LRS sets are filled in.
#pragma once

#include <cstdint>
#include <string>

#include <Poco/JSON/Object.h>

#include "assay/xapi/Version.h"

namespace assay::xapi {

struct StoreOptions {
    int64_t storedMillis = 0;             // when the LRS received the statement (epoch ms)
    Poco::JSON::Object::Ptr authority;    // the credential's Agent / Group; may be null
    bool trustProvidedAuthority = false;  // keep a client-supplied authority
    Version version = Version::V1_0_3;    // rules the request was processed under
};

// Completes a validated statement in place, per the specification:
//  - id: a random UUID when absent;
//  - stored: always the LRS's time (RFC 3339, UTC, milliseconds);
//  - timestamp: set to stored when absent;
//  - authority: set (replacing the client's unless trusted) when options.authority is given;
//  - version: "1.0.0" (1.0.3 rules) or "2.0.0" when absent;
//  - context.contextActivities: single objects become one-element arrays (in sub-statements too).
// Returns the statement id.
std::string prepareForStorage(Poco::JSON::Object& statement, const StoreOptions& options);

// Only the contextActivities normalisation (also used before comparing statements).
void normaliseContextActivities(Poco::JSON::Object& statement);

}  // namespace assay::xapi
