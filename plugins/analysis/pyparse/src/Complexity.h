// Cyclomatic complexity counted the way radon's `cc` counts it (radon 5.1): +1 for each
// if/elif, conditional expression, for/while (+1 more with an else), comprehension
// 'for' and 'if', boolean operator, except handler of a plain try (+1 for its else),
// and assert (whose operands are not looked into). Nested function and class bodies,
// decorators, defaults and annotations of nested definitions are not counted; match
// statements, with statements, lambdas and except* add nothing.
#pragma once

#include "PythonParser.h"

namespace assay::pyparse {

// Decision points inside `node`, stopping at nested function and class definitions.
int decisionPoints(antlr4::ParserRuleContext* node);

}  // namespace assay::pyparse
