// Validity of assignment, deletion and binding targets, worded as CPython words it.
#pragma once

#include <optional>

#include "PythonParser.h"
#include "assay/pyparse/SyntaxError.h"

namespace assay::pyparse {

enum class TargetUse {
    Assign,     // a = ...
    AugAssign,  // a += ...
    Annotate,   // a: T
    Delete,     // del a
    Bind,       // for a in, with ... as a, comprehension targets
};

// `node` is a testlist_star_expr, exprlist, test, expr or star_expr used as a target.
// `hereHint` adds CPython's "here. Maybe you meant '==' instead of '='?" when the
// statement has that shape.
std::optional<SyntaxError> checkTarget(antlr4::ParserRuleContext* node, TargetUse use,
                                       bool hereHint = false);

}  // namespace assay::pyparse
