// Target validity: walks down the single-child expression chain to the first node
// that is more than a wrapper and decides whether it can be bound.
#include "TargetCheck.h"

#include <string>
#include <vector>

namespace assay::pyparse {
namespace {

using P = gen::PythonParser;

struct Failure {
    antlr4::ParserRuleContext* node;
    std::string what;
    bool hintable;  // a bitwise_or-level expression: CPython may add "here. Maybe you meant '=='"
    bool whole;     // the failing node is the entire target
    bool verbatim = false;  // `what` is the complete message
};

class Classifier {
  public:
    explicit Classifier(TargetUse use) : use_(use) {}

    std::optional<Failure> sequence(const std::vector<antlr4::ParserRuleContext*>& items,
                                    const char* kind, antlr4::ParserRuleContext* whole) {
        if (use_ == TargetUse::AugAssign)
            return Failure{
                whole,
                std::string("'") + kind + "' is an illegal expression for augmented assignment",
                false, true, true};
        if (use_ == TargetUse::Annotate)
            return Failure{whole,
                           std::string("only single target (not ") + kind + ") can be annotated",
                           false, true, true};
        int stars = 0;
        for (auto* item : items) {
            if (auto* star = dynamic_cast<P::Star_exprContext*>(item)) {
                if (use_ == TargetUse::Delete) return Failure{star, "starred", false, false};
                ++stars;
                if (auto failure = expression(star->expr(), false)) return failure;
                continue;
            }
            if (auto failure = expression(item, false)) return failure;
        }
        if (stars > 1)
            return Failure{whole, "multiple starred expressions in assignment", false, true, true};
        return std::nullopt;
    }

    std::optional<Failure> expression(antlr4::ParserRuleContext* node, bool top) {
        while (node) {
            const size_t count = node->children.size();
            auto child = [&](size_t i) {
                return dynamic_cast<antlr4::ParserRuleContext*>(node->children[i]);
            };
            switch (node->getRuleIndex()) {
                case P::RuleNamedexpr_test:
                    if (count > 1) return Failure{node, "named expression", false, top};
                    node = child(0);
                    break;
                case P::RuleTest: {
                    auto* test = static_cast<P::TestContext*>(node);
                    if (test->lambdef()) return Failure{node, "lambda", false, top};
                    if (count > 1) return Failure{node, "conditional expression", false, top};
                    node = child(0);
                    break;
                }
                case P::RuleOr_test:
                case P::RuleAnd_test:
                    if (count > 1) return Failure{node, "expression", false, top};
                    node = child(0);
                    break;
                case P::RuleNot_test:
                    if (count > 1) return Failure{node, "expression", false, top};
                    node = child(0);
                    break;
                case P::RuleComparison:
                    if (count > 1) return Failure{node, "comparison", false, top};
                    node = child(0);
                    break;
                case P::RuleExpr:
                case P::RuleXor_expr:
                case P::RuleAnd_expr:
                case P::RuleShift_expr:
                case P::RuleArith_expr:
                case P::RuleTerm:
                case P::RuleFactor:
                case P::RulePower:
                    if (count > 1) return Failure{node, "expression", true, top};
                    node = child(0);
                    break;
                case P::RuleAwait_primary: {
                    auto* primary = static_cast<P::Await_primaryContext*>(node);
                    if (primary->AWAIT()) return Failure{node, "await expression", true, top};
                    auto trailers = primary->trailer();
                    if (!trailers.empty()) {
                        if (trailers.back()->LPAR())
                            return Failure{node, "function call", true, top};
                        return std::nullopt;
                    }
                    node = primary->atom();
                    break;
                }
                case P::RuleAtom:
                    return atom(static_cast<P::AtomContext*>(node), top);
                default:
                    return std::nullopt;
            }
        }
        return std::nullopt;
    }

  private:
    std::optional<Failure> atom(P::AtomContext* atom, bool top) {
        if (auto* name = atom->name()) {
            if (name->getText() == "__debug__") return Failure{atom, "__debug__", false, top};
            return std::nullopt;
        }
        if (atom->NONE()) return Failure{atom, "None", false, top};
        if (atom->TRUE()) return Failure{atom, "True", false, top};
        if (atom->FALSE()) return Failure{atom, "False", false, top};
        if (atom->NUMBER()) return Failure{atom, "literal", true, top};
        if (auto* strings = atom->strings())
            return Failure{atom, strings->fstring().empty() ? "literal" : "f-string expression",
                           true, top};
        if (atom->ELLIPSIS()) return Failure{atom, "ellipsis", true, top};
        if (atom->LPAR()) {
            if (atom->yield_expr()) return Failure{atom, "yield expression", false, top};
            auto* content = atom->testlist_comp();
            if (!content) return sequence({}, "tuple", atom);
            if (content->comp_for()) return Failure{atom, "generator expression", false, top};
            auto items = elements(content);
            if (items.size() == 1 && content->COMMA().empty()) {
                if (dynamic_cast<P::Star_exprContext*>(items[0]))
                    return Failure{atom, "cannot use starred expression here", false, top, true};
                return expression(items[0], false);
            }
            return sequence(items, "tuple", atom);
        }
        if (atom->LSQB()) {
            auto* content = atom->testlist_comp();
            if (content && content->comp_for())
                return Failure{atom, "list comprehension", true, top};
            return sequence(content ? elements(content) : std::vector<antlr4::ParserRuleContext*>{},
                            "list", atom);
        }
        auto* maker = atom->dictorsetmaker();
        if (!maker) return Failure{atom, "dict literal", true, top};
        const bool dict = maker->DOUBLESTAR() || maker->dict_rest();
        const bool comprehension = (maker->dict_rest() && maker->dict_rest()->comp_for()) ||
                                   (maker->set_rest() && maker->set_rest()->comp_for());
        return Failure{atom,
                       dict ? (comprehension ? "dict comprehension" : "dict literal")
                            : (comprehension ? "set comprehension" : "set display"),
                       true, top};
    }

    static std::vector<antlr4::ParserRuleContext*> elements(P::Testlist_compContext* content) {
        std::vector<antlr4::ParserRuleContext*> items;
        for (auto* child : content->children)
            if (auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(child)) items.push_back(rule);
        return items;
    }

    TargetUse use_;
};

SyntaxError errorAt(antlr4::ParserRuleContext* node, std::string message) {
    antlr4::Token* start = node->getStart();
    return SyntaxError{"SyntaxError", std::move(message), static_cast<int>(start->getLine()),
                       static_cast<int>(start->getCharPositionInLine()) + 1};
}

std::string describe(const Failure& failure, TargetUse use, bool hereHint) {
    if (failure.verbatim) return failure.what;
    switch (use) {
        case TargetUse::Delete:
            return "cannot delete " + failure.what;
        case TargetUse::AugAssign:
            return "'" + failure.what + "' is an illegal expression for augmented assignment";
        case TargetUse::Annotate:
            return "illegal target for annotation";
        case TargetUse::Assign:
        case TargetUse::Bind:
            break;
    }
    std::string message = "cannot assign to " + failure.what;
    if (hereHint && failure.hintable && failure.whole)
        message += " here. Maybe you meant '==' instead of '='?";
    return message;
}

}  // namespace

std::optional<SyntaxError> checkTarget(antlr4::ParserRuleContext* node, TargetUse use,
                                       bool hereHint) {
    Classifier classifier(use);
    std::vector<antlr4::ParserRuleContext*> items;
    bool comma = false;
    const size_t rule = node->getRuleIndex();
    if (rule == P::RuleTestlist_star_expr || rule == P::RuleExprlist) {
        for (auto* child : node->children) {
            if (auto* item = dynamic_cast<antlr4::ParserRuleContext*>(child))
                items.push_back(item);
            else
                comma = true;
        }
    } else {
        items.push_back(node);
    }
    std::optional<Failure> failure;
    if (items.size() == 1 && !comma) {
        if (auto* star = dynamic_cast<P::Star_exprContext*>(items[0])) {
            if (use == TargetUse::Delete)
                failure = Failure{star, "starred", false, true};
            else if (use == TargetUse::AugAssign || use == TargetUse::Annotate)
                failure = Failure{star, "starred", false, true};
            else
                failure = Failure{star, "starred assignment target must be in a list or tuple",
                                  false, true, true};
        } else {
            failure = classifier.expression(items[0], true);
        }
    } else {
        failure = classifier.sequence(items, "tuple", node);
    }
    if (!failure) return std::nullopt;
    return errorAt(failure->node, describe(*failure, use, hereHint));
}

}  // namespace assay::pyparse
