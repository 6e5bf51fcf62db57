// Compile-time rules for match statements: unreachable cases after irrefutable
// patterns, complex literals, starred names, '_' as a target.
#pragma once

#include <optional>

#include "PythonParser.h"
#include "assay/pyparse/SyntaxError.h"

namespace assay::pyparse {

std::optional<SyntaxError> checkMatch(gen::PythonParser::Match_stmtContext* match);

}  // namespace assay::pyparse
