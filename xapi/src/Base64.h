// Internal: base64 and base64url without padding requirements.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace assay::xapi::detail {

std::string base64UrlEncode(std::string_view data);
// Accepts base64url, or standard base64 when `standard`; padding optional. nullopt on bad input.
std::optional<std::string> base64Decode(std::string_view text, bool standard = false);
std::string base64Encode(std::string_view data);

}  // namespace assay::xapi::detail
