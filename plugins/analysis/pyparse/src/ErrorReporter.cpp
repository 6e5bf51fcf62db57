// CPython-style messages for parser errors.
#include "ErrorReporter.h"

#include <algorithm>

#include "PythonLexer.h"
#include "PythonParser.h"

namespace assay::pyparse {

using L = gen::PythonLexer;
using P = gen::PythonParser;

namespace {

// The clause a block belongs to, worded as CPython's "expected an indented block after ...".
std::string blockOwner(antlr4::ParserRuleContext* block, size_t& ownerLine) {
    auto* parent = dynamic_cast<antlr4::ParserRuleContext*>(block ? block->parent : nullptr);
    if (!parent) return {};
    antlr4::Token* keyword = nullptr;
    for (auto* child : parent->children) {
        if (child == block) break;
        if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
            switch (terminal->getSymbol()->getType()) {
                case L::IF:
                case L::ELIF:
                case L::ELSE:
                case L::FOR:
                case L::WHILE:
                case L::WITH:
                case L::TRY:
                case L::FINALLY:
                case L::DEF:
                case L::CLASS:
                case L::CASE:
                    keyword = terminal->getSymbol();
                    break;
                default:
                    break;
            }
        } else if (auto* except = dynamic_cast<P::Except_clauseContext*>(child)) {
            keyword = except->EXCEPT()->getSymbol();
        }
    }
    if (!keyword) return {};
    ownerLine = keyword->getLine();
    switch (keyword->getType()) {
        case L::DEF:
            return "function definition";
        case L::CLASS:
            return "class definition";
        default: {
            std::string owner(1, '\'');
            owner += keyword->getText();
            owner += "' statement";
            return owner;
        }
    }
}

bool startsExpression(size_t type) {
    switch (type) {
        case L::NAME:
        case L::NUMBER:
        case L::STRING:
        case L::FSTRING_START:
        case L::LPAR:
        case L::LSQB:
        case L::LBRACE:
        case L::NONE:
        case L::TRUE:
        case L::FALSE:
        case L::ELLIPSIS:
        case L::TILDE:
        case L::UNDERSCORE:
        case L::TYPE:
            return true;
        default:
            return false;
    }
}

bool endsExpression(size_t type) {
    switch (type) {
        case L::NAME:
        case L::NUMBER:
        case L::STRING:
        case L::FSTRING_END:
        case L::RPAR:
        case L::RSQB:
        case L::RBRACE:
        case L::NONE:
        case L::TRUE:
        case L::FALSE:
        case L::ELLIPSIS:
        case L::UNDERSCORE:
        case L::MATCH:
        case L::CASE:
        case L::TYPE:
            return true;
        default:
            return false;
    }
}

// CPython's "Perhaps you forgot a comma?": two expressions side by side inside brackets.
antlr4::ParserRuleContext* missingComma(antlr4::Parser* parser, antlr4::Token* offending) {
    antlr4::ParserRuleContext* ctx = parser->getContext();
    if (!ctx || !offending || !startsExpression(offending->getType())) return nullptr;
    auto isList = [](antlr4::ParserRuleContext* c) {
        switch (c->getRuleIndex()) {
            case P::RuleTestlist_comp:
            case P::RuleArglist:
            case P::RuleSubscriptlist:
            case P::RuleSet_rest:
            case P::RuleDict_rest:
            case P::RuleDictorsetmaker:
                return true;
            default:
                return false;
        }
    };
    auto lastRule = [](antlr4::ParserRuleContext* c) {
        antlr4::ParserRuleContext* last = nullptr;
        for (auto* child : c->children)
            if (auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(child);
                rule && !rule->children.empty())
                last = rule;
        return last;
    };
    // The list being parsed is the context itself, its last child (when the closing
    // bracket failed to match), or an ancestor.
    while (ctx && !isList(ctx)) {
        if (auto* last = lastRule(ctx); last && isList(last)) {
            ctx = last;
            break;
        }
        switch (ctx->getRuleIndex()) {
            case P::RuleSimple_stmt:
            case P::RuleCompound_stmt:
            case P::RuleLambdef:
            case P::RuleFstring:
                return nullptr;
            default:
                ctx = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent);
        }
    }
    if (!ctx) return nullptr;
    if (ctx->children.empty() && ctx->parent)
        ctx = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent);
    if (!ctx) return nullptr;
    antlr4::Token* previous = parser->getTokenStream()->LT(-1);
    if (!previous || !endsExpression(previous->getType())) return nullptr;
    // NAME followed by a string is a misspelt prefix, not a missing comma.
    if (previous->getType() == L::NAME &&
        (offending->getType() == L::STRING || offending->getType() == L::FSTRING_START))
        return nullptr;
    antlr4::ParserRuleContext* last = lastRule(ctx);
    while (last && isList(last))
        last = lastRule(last);
    // For a keyword argument CPython points at its value.
    if (auto* argument = dynamic_cast<P::ArgumentContext*>(last); argument && argument->EQUAL())
        return argument->test();
    return last;
}

}  // namespace

void ErrorReporter::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending,
                                size_t line, size_t charPositionInLine, const std::string& /*msg*/,
                                std::exception_ptr /*e*/) {
    SyntaxError error{"SyntaxError", "invalid syntax", static_cast<int>(line),
                      static_cast<int>(charPositionInLine) + 1};
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (offending && offending->getType() == L::INDENT) {
        error.kind = "IndentationError";
        error.message = "unexpected indent";
        error.column = static_cast<int>(offending->getText().size());
    } else if (parser && offending && offending->getType() == L::RBRACE && parser->getContext() &&
               parser->getContext()->getRuleIndex() == P::RuleFstring_replacement_field &&
               parser->getContext()->children.size() == 1) {
        error.message = "f-string: valid expression required before '}'";
    } else if (parser) {
        const auto expected = parser->getExpectedTokens();
        if (expected.contains(static_cast<size_t>(L::INDENT)) && expected.size() == 1) {
            size_t ownerLine = 0;
            const std::string owner = blockOwner(parser->getContext(), ownerLine);
            error.kind = "IndentationError";
            error.message = owner.empty() ? "expected an indented block"
                                          : "expected an indented block after " + owner +
                                                " on line " + std::to_string(ownerLine);
        } else if (expected.contains(static_cast<size_t>(L::ELSE)) && expected.size() == 1 &&
                   parser->getContext()) {
            antlr4::Token* start = parser->getContext()->getStart();
            error.message = "expected 'else' after 'if' expression";
            error.line = static_cast<int>(start->getLine());
            error.column = static_cast<int>(start->getCharPositionInLine()) + 1;
        } else if (antlr4::Token* previous = parser->getTokenStream()->LT(-1);
                   previous && offending && startsExpression(offending->getType()) &&
                   (previous->getText() == "print" || previous->getText() == "exec") &&
                   previous->getType() == L::NAME) {
            error.message = "Missing parentheses in call to '" + previous->getText() +
                            "'. Did you mean " + previous->getText() + "(...)?";
            error.line = static_cast<int>(previous->getLine());
            error.column = static_cast<int>(previous->getCharPositionInLine()) + 1;
        } else if (auto* before = missingComma(parser, offending)) {
            antlr4::Token* start = before->getStart();
            error.message = "invalid syntax. Perhaps you forgot a comma?";
            error.line = static_cast<int>(start->getLine());
            error.column = static_cast<int>(start->getCharPositionInLine()) + 1;
        } else if (expected.contains(static_cast<size_t>(L::COLON)) && expected.size() == 1) {
            error.message = "expected ':'";
            if (antlr4::Token* last = parser->getTokenStream()->LT(-1)) {
                error.line = static_cast<int>(last->getLine());
                error.column =
                    static_cast<int>(last->getCharPositionInLine() +
                                     (last->getStopIndex() + 1 - last->getStartIndex())) +
                    1;
            }
        }
    }
    // Only the first error is kept: what follows it is mostly recovery noise.
    if (errors_.empty()) errors_.push_back(std::move(error));
}

std::vector<SyntaxError> mergeErrors(const std::optional<TokenizerStop>& tokenizer,
                                     std::vector<SyntaxError> parserErrors,
                                     std::vector<SyntaxError> checkErrors) {
    if (!tokenizer) return parserErrors.empty() ? checkErrors : parserErrors;
    const SyntaxError* parserFirst = nullptr;
    for (const auto& e : parserErrors) {
        if (e.line < tokenizer->line ||
            (e.line == tokenizer->line && e.column < tokenizer->column)) {
            parserFirst = &e;
            break;
        }
    }
    if (!parserFirst) return {tokenizer->error};
    const bool unclosed = tokenizer->error.message.find("' was never closed") != std::string::npos;
    if (!unclosed && parserFirst->message == "invalid syntax") return {tokenizer->error};
    return {*parserFirst};
}

}  // namespace assay::pyparse
