// Small helpers over generated contexts shared by the model builders.
#pragma once

#include <string>

#include "PythonParser.h"
#include "assay/pyparse/Model.h"

namespace assay::pyparse {

// The source text a context covers, with its original spacing.
std::string sourceText(antlr4::ParserRuleContext* node);

// Position of a token (1-based line and column).
Position positionOf(antlr4::Token* token);

// Follows single-child wrapper rules (test -> or_test -> ... -> await_primary) down to
// the first rule with more than one child, or to an await_primary.
antlr4::ParserRuleContext* unwrapExpression(antlr4::ParserRuleContext* node);

// The name of an expression that is a bare identifier, or null.
gen::PythonParser::NameContext* bareName(antlr4::ParserRuleContext* expression);

// True for a block whose first statement is a lone string literal.
bool startsWithDocstring(gen::PythonParser::BlockContext* block);

}  // namespace assay::pyparse
