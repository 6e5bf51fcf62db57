#include "TreeText.h"

namespace assay::pyparse {

using P = gen::PythonParser;

std::string sourceText(antlr4::ParserRuleContext* node) {
    if (!node || !node->getStart() || !node->getStop()) return {};
    antlr4::Token* start = node->getStart();
    antlr4::Token* stop = node->getStop();
    if (stop->getStopIndex() < start->getStartIndex() ||
        stop->getStopIndex() == static_cast<size_t>(-1))
        return {};
    return start->getInputStream()->getText(
        antlr4::misc::Interval(start->getStartIndex(), stop->getStopIndex()));
}

Position positionOf(antlr4::Token* token) {
    if (!token) return {};
    return Position{static_cast<int>(token->getLine()),
                    static_cast<int>(token->getCharPositionInLine()) + 1};
}

antlr4::ParserRuleContext* unwrapExpression(antlr4::ParserRuleContext* node) {
    while (node && node->children.size() == 1 && node->getRuleIndex() != P::RuleAwait_primary &&
           node->getRuleIndex() != P::RuleAtom) {
        antlr4::tree::ParseTree* child = node->children[0];
        if (child->children.empty()) break;  // a terminal
        node = static_cast<antlr4::ParserRuleContext*>(child);
    }
    return node;
}

P::NameContext* bareName(antlr4::ParserRuleContext* expression) {
    auto* node = unwrapExpression(expression);
    auto* primary = dynamic_cast<P::Await_primaryContext*>(node);
    if (!primary || primary->AWAIT() || !primary->trailer().empty()) return nullptr;
    return primary->atom()->name();
}

bool startsWithDocstring(P::BlockContext* block) {
    if (!block) return false;
    P::Simple_stmtsContext* simple = block->simple_stmts();
    if (!simple && !block->stmt().empty()) simple = block->stmt(0)->simple_stmts();
    if (!simple) return false;
    auto* expr = simple->simple_stmt(0)->expr_stmt();
    if (!expr || !expr->EQUAL().empty() || expr->annassign() || expr->augassign()) return false;
    auto* list = expr->testlist_star_expr(0);
    if (list->children.size() != 1) return false;
    auto* primary = dynamic_cast<P::Await_primaryContext*>(unwrapExpression(list));
    if (!primary || !primary->trailer().empty()) return false;
    auto* strings = primary->atom()->strings();
    if (!strings || !strings->fstring().empty()) return false;
    const std::string text = strings->getStart()->getText();
    const std::string prefix = text.substr(0, text.find_first_of("'\""));
    return prefix.find_first_of("bB") == std::string::npos;
}

}  // namespace assay::pyparse
