// Rules CPython enforces after parsing (the grammar here accepts a superset):
// assignment targets, parameter order, argument order, statements out of place.
#pragma once

#include <vector>

#include "PythonParser.h"
#include "assay/pyparse/SyntaxError.h"

namespace assay::pyparse {

std::vector<SyntaxError> checkSyntax(gen::PythonParser::File_inputContext* root);

}  // namespace assay::pyparse
