// Typed access to the generated parse tree.
#pragma once

#include "PythonLexer.h"
#include "PythonParser.h"
#include "assay/pyparse/Parser.h"

namespace assay::pyparse {

using PyParser = gen::PythonParser;
using PyLexer = gen::PythonLexer;

// The file_input root of a result, or null when the source could not be decoded.
inline PyParser::File_inputContext* fileInput(const ParseResult& result) {
    return static_cast<PyParser::File_inputContext*>(result.tree());
}

}  // namespace assay::pyparse
