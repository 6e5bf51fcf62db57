#pragma once
// base64url without padding (RFC 7515 section 2, RFC 4648 section 5).
#include <optional>
#include <string>
#include <string_view>

namespace assay::lti {

std::string base64UrlEncode(std::string_view bytes);

// Strict decoding: only the URL-safe alphabet, no padding, no whitespace, and the unused
// low bits of the last character must be zero. Returns nullopt on any deviation.
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace assay::lti
