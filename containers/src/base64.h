// Standard base64 (RFC 4648, with padding) for binary job files on the wire.
#pragma once

#include <optional>
#include <string>

namespace assay::containers {

std::string base64Encode(const std::string& bytes);
// Strict: rejects characters outside the alphabet, bad padding and wrong lengths.
std::optional<std::string> base64Decode(const std::string& text);

}  // namespace assay::containers
