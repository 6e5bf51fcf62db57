// radon-compatible decision points over the parse tree.
#include "Complexity.h"

namespace assay::pyparse {
namespace {

using P = gen::PythonParser;

int count(antlr4::ParserRuleContext* node) {
    int points = 0;
    switch (node->getRuleIndex()) {
        case P::RuleFuncdef:
        case P::RuleClassdef:
        case P::RuleDecorators:  // a nested definition's decorators are not visited
            return 0;
        case P::RuleAssert_stmt:
            return 1;
        case P::RuleIf_stmt: {
            auto* stmt = static_cast<P::If_stmtContext*>(node);
            points += 1 + static_cast<int>(stmt->ELIF().size());
            break;
        }
        case P::RuleTest:
            points += static_cast<P::TestContext*>(node)->IF() != nullptr;
            break;
        case P::RuleFor_stmt:
            points += 1 + (static_cast<P::For_stmtContext*>(node)->ELSE() != nullptr);
            break;
        case P::RuleWhile_stmt:
            points += 1 + (static_cast<P::While_stmtContext*>(node)->ELSE() != nullptr);
            break;
        case P::RuleComp_for:
        case P::RuleComp_if:
            points += 1;
            break;
        case P::RuleOr_test:
            points += static_cast<int>(static_cast<P::Or_testContext*>(node)->OR().size());
            break;
        case P::RuleAnd_test:
            points += static_cast<int>(static_cast<P::And_testContext*>(node)->AND().size());
            break;
        case P::RuleTry_stmt: {
            auto* stmt = static_cast<P::Try_stmtContext*>(node);
            auto handlers = stmt->except_clause();
            // radon 5.1 knows ast.Try only; a try with except* (ast.TryStar) counts nothing.
            if (!handlers.empty() && !handlers[0]->STAR())
                points += static_cast<int>(handlers.size()) + (stmt->ELSE() != nullptr);
            break;
        }
        default:
            break;
    }
    for (auto* child : node->children)
        if (!child->children.empty())
            points += count(static_cast<antlr4::ParserRuleContext*>(child));
    return points;
}

}  // namespace

int decisionPoints(antlr4::ParserRuleContext* node) {
    return node ? count(node) : 0;
}

}  // namespace assay::pyparse
