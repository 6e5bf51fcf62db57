#pragma once
// A private key the tool signs with, and the kid its JWKS publishes it under.
#include <string>

#include "assay/lti/RsaKey.h"

namespace assay::lti {

struct SigningKey {
    std::string kid;
    RsaKey key;
};

}  // namespace assay::lti
