// Decoding of Python source bytes per PEP 263 (coding cookie, UTF-8 BOM).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "assay/pyparse/SyntaxError.h"

namespace assay::pyparse {

struct DecodedSource {
    std::string text;                  // UTF-8, BOM removed, line endings as '\n'
    std::string encoding = "utf-8";    // the declared (or default) encoding
    std::optional<SyntaxError> error;  // set when the bytes cannot be decoded
};

// Finds the encoding declaration in the first two lines, converts to UTF-8 and
// normalises "\r\n" and "\r" to "\n".
DecodedSource decodeSource(std::string_view bytes);

}  // namespace assay::pyparse
