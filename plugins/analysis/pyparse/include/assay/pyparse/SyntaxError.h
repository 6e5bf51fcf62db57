// A syntax error located the way CPython reports it.
#pragma once

#include <string>

namespace assay::pyparse {

struct SyntaxError {
    // Python's exception class: "SyntaxError", "IndentationError" or "TabError".
    std::string kind = "SyntaxError";
    std::string message;
    int line = 0;    // 1-based
    int column = 0;  // 1-based, in characters (SyntaxError.offset)
};

}  // namespace assay::pyparse
