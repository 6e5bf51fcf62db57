#pragma once
// Reads the descriptive LTI claims of a verified payload into an LtiLaunch.
#include <Poco/JSON/Object.h>

#include "assay/lti/LtiLaunch.h"

namespace assay::lti {

// Fills user, roles, context, resource link, AGS, NRPS, deep-linking settings, platform,
// presentation and custom claims. Throws LtiError (lti_missing_claim, lti_invalid_claim)
// when a claim the message type requires is absent or mis-shaped. messageType must be set.
void readLaunchClaims(const Poco::JSON::Object& payload, LtiLaunch& launch);

}  // namespace assay::lti
