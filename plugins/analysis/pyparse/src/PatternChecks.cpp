#include "PatternChecks.h"

#include <set>
#include <vector>

#include "TreeText.h"

namespace assay::pyparse {
namespace {

using P = gen::PythonParser;

SyntaxError errorAt(antlr4::Token* token, std::string message) {
    const Position at = positionOf(token);
    return SyntaxError{"SyntaxError", std::move(message), at.line, at.column};
}

// The capture or wildcard name that makes a closed pattern irrefutable, if any.
P::NameContext* irrefutable(P::Closed_patternContext* closed);

P::NameContext* irrefutable(P::PatternContext* pattern) {
    // An or-pattern is irrefutable when one of its alternatives is.
    for (auto* alternative : pattern->or_pattern()->closed_pattern())
        if (auto* name = irrefutable(alternative)) return name;
    return nullptr;
}

P::NameContext* irrefutable(P::Closed_patternContext* closed) {
    if (auto* p = closed->name_or_class_pattern())
        return !p->LPAR() && p->name().size() == 1 ? p->name(0) : nullptr;
    if (auto* group = closed->group_or_sequence_pattern()) {
        auto items = group->maybe_star_pattern();
        if (items.size() == 1 && group->COMMA().empty() && items[0]->pattern())
            return irrefutable(items[0]->pattern());
    }
    return nullptr;
}

// Names a pattern binds, in visiting order (captures, star names, '**rest', 'as' targets).
void boundNames(antlr4::ParserRuleContext* node, std::vector<P::NameContext*>& out) {
    switch (node->getRuleIndex()) {
        case P::RuleName_or_class_pattern: {
            auto* p = static_cast<P::Name_or_class_patternContext*>(node);
            if (!p->LPAR() && p->name().size() == 1 && p->name(0)->getText() != "_")
                out.push_back(p->name(0));
            if (auto* args = p->pattern_arguments())
                for (auto* arg : args->pattern_argument())
                    boundNames(arg->pattern(), out);
            return;
        }
        case P::RuleMaybe_star_pattern: {
            auto* p = static_cast<P::Maybe_star_patternContext*>(node);
            if (p->STAR()) {
                if (p->name()->getText() != "_") out.push_back(p->name());
                return;
            }
            break;
        }
        case P::RuleMapping_item: {
            auto* item = static_cast<P::Mapping_itemContext*>(node);
            if (item->DOUBLESTAR()) {
                out.push_back(item->name(0));
                return;
            }
            boundNames(item->pattern(), out);
            return;
        }
        case P::RulePattern: {
            auto* p = static_cast<P::PatternContext*>(node);
            boundNames(p->or_pattern(), out);
            if (p->name()) out.push_back(p->name());
            return;
        }
        default:
            break;
    }
    for (auto* child : node->children)
        if (!child->children.empty())
            boundNames(static_cast<antlr4::ParserRuleContext*>(child), out);
}

std::set<std::string> nameSet(const std::vector<P::NameContext*>& names) {
    std::set<std::string> out;
    for (auto* n : names)
        out.insert(n->getText());
    return out;
}

std::string unreachable(P::NameContext* name) {
    const std::string text = name->getText();
    return text == "_" ? "wildcard makes remaining patterns unreachable"
                       : "name capture '" + text + "' makes remaining patterns unreachable";
}

class Walker {
  public:
    std::optional<SyntaxError> error;

    void walk(antlr4::ParserRuleContext* node) {
        if (error) return;
        switch (node->getRuleIndex()) {
            case P::RuleOr_pattern: {
                auto alternatives = static_cast<P::Or_patternContext*>(node)->closed_pattern();
                for (size_t i = 0; i + 1 < alternatives.size() && !error; ++i)
                    if (auto* name = irrefutable(alternatives[i]))
                        error = errorAt(name->getStart(), unreachable(name));
                if (error || alternatives.size() < 2) break;
                // Every alternative must bind the same names.
                std::vector<P::NameContext*> first;
                boundNames(alternatives[0], first);
                for (size_t i = 1; i < alternatives.size(); ++i) {
                    std::vector<P::NameContext*> other;
                    boundNames(alternatives[i], other);
                    if (nameSet(other) != nameSet(first)) {
                        antlr4::Token* at =
                            other.empty() ? alternatives[i]->getStart() : other.back()->getStart();
                        error = errorAt(at, "alternative patterns bind different names");
                        break;
                    }
                }
                break;
            }
            case P::RulePattern:
                if (auto* target = static_cast<P::PatternContext*>(node)->name();
                    target && target->getText() == "_")
                    error = errorAt(target->getStart(), "cannot use '_' as a target");
                break;
            case P::RuleLiteral_pattern: {
                auto* literal = static_cast<P::Literal_patternContext*>(node);
                auto numbers = literal->NUMBER();
                if (numbers.size() == 2) {
                    auto imaginary = [](antlr4::tree::TerminalNode* n) {
                        const char last = n->getText().back();
                        return last == 'j' || last == 'J';
                    };
                    if (imaginary(numbers[0]))
                        error =
                            errorAt(literal->getStart(), "real number required in complex literal");
                    else if (!imaginary(numbers[1]))
                        error = errorAt(numbers[1]->getSymbol(),
                                        "imaginary number required in complex literal");
                }
                break;
            }
            case P::RuleGroup_or_sequence_pattern:
            case P::RuleList_pattern:
            case P::RulePatterns: {
                int stars = 0;
                for (auto* child : node->children)
                    if (auto* item = dynamic_cast<P::Maybe_star_patternContext*>(child))
                        stars += item->STAR() != nullptr;
                if (stars > 1)
                    error = errorAt(node->getStart(), "multiple starred names in sequence pattern");
                break;
            }
            default:
                break;
        }
        for (auto* child : node->children)
            if (!child->children.empty()) walk(static_cast<antlr4::ParserRuleContext*>(child));
    }
};

}  // namespace

std::optional<SyntaxError> checkMatch(P::Match_stmtContext* match) {
    auto cases = match->case_block();
    Walker walker;
    for (size_t i = 0; i < cases.size() && !walker.error; ++i) {
        P::PatternsContext* patterns = cases[i]->patterns();
        // An irrefutable case without a guard must be the last one (checked first, as
        // CPython meets the capture before it compares alternatives).
        auto items = patterns->maybe_star_pattern();
        if (i + 1 < cases.size() && !cases[i]->guard() && items.size() == 1 &&
            patterns->COMMA().empty() && items[0]->pattern())
            if (auto* name = irrefutable(items[0]->pattern()))
                return errorAt(name->getStart(), unreachable(name));
        walker.walk(patterns);
    }
    return walker.error;
}

}  // namespace assay::pyparse
