#pragma once
// Unpredictable URL-safe tokens for state, nonce and jti values.
#include <cstddef>
#include <string>

namespace assay::lti {

// base64url of `bytes` random bytes from OpenSSL's CSPRNG.
std::string randomToken(std::size_t bytes = 32);

}  // namespace assay::lti
