// UTF-8 helpers for putting program output into JSON.
#pragma once

#include <string>

namespace assay::containers {

bool isValidUtf8(const std::string& s);
// Replaces every invalid byte sequence with U+FFFD.
std::string sanitizeUtf8(const std::string& s);

}  // namespace assay::containers
