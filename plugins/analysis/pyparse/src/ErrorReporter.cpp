// CPython-style messages for parser errors.
#include "ErrorReporter.h"

#include <algorithm>
#include <tuple>

#include "PythonLexer.h"
#include "PythonParser.h"
#include "TargetCheck.h"

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

// Where CPython places an error met at the end of the input: just after the last
// real token (a NEWLINE counts as one character).
std::pair<int, int> endOfInput(antlr4::Parser* parser, antlr4::Token* offending) {
    antlr4::TokenStream* stream = parser->getTokenStream();
    for (size_t i = offending->getTokenIndex(); i-- > 0;) {
        antlr4::Token* t = stream->get(i);
        if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL || t->getType() == L::DEDENT ||
            t->getType() == L::INDENT)
            continue;
        const size_t width =
            t->getType() == L::NEWLINE ? 0 : t->getStopIndex() + 1 - t->getStartIndex();
        return {static_cast<int>(t->getLine()),
                static_cast<int>(t->getCharPositionInLine() + width) + 1};
    }
    return {static_cast<int>(offending->getLine()),
            static_cast<int>(offending->getCharPositionInLine()) + 1};
}

bool atEndOfInput(antlr4::Token* token) {
    return token->getType() == antlr4::Token::EOF ||
           (token->getType() == L::DEDENT &&
            token->getStartIndex() >= token->getInputStream()->size());
}

// The compound statement whose header is being parsed, if the error is in one.
antlr4::ParserRuleContext* enclosingHeader(antlr4::ParserRuleContext* ctx) {
    for (; ctx; ctx = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent)) {
        switch (ctx->getRuleIndex()) {
            case P::RuleFuncdef:
            case P::RuleClassdef:
            case P::RuleIf_stmt:
            case P::RuleWhile_stmt:
            case P::RuleFor_stmt:
            case P::RuleWith_stmt:
            case P::RuleTry_stmt:
            case P::RuleCase_block:
            case P::RuleMatch_stmt:
                return ctx;
            case P::RuleSimple_stmts:
            case P::RuleBlock:
            case P::RuleLambdef:
                return nullptr;
            default:
                break;
        }
    }
    return nullptr;
}

// CPython's "expected ':'": after 'def ...(...)', 'try', 'finally' and 'else' whatever
// follows; after other headers only when the line ends there.
bool expectsColon(antlr4::Parser* parser, antlr4::Token* offending,
                  const antlr4::misc::IntervalSet& expected) {
    if (!expected.contains(static_cast<size_t>(L::COLON))) return false;
    antlr4::ParserRuleContext* header = enclosingHeader(parser->getContext());
    if (!header) return false;
    antlr4::Token* previous = parser->getTokenStream()->LT(-1);
    const size_t before = previous ? previous->getType() : 0;
    const bool forced = before == L::TRY || before == L::FINALLY || before == L::ELSE ||
                        header->getRuleIndex() == P::RuleFuncdef;
    return forced || offending->getType() == L::NEWLINE;
}

// An annotated assignment whose target cannot be annotated ("'a': 1," and the like).
std::optional<SyntaxError> annotationTarget(antlr4::ParserRuleContext* ctx) {
    // At the end of a statement the error sits in simple_stmts, after the statement.
    if (auto* statements = dynamic_cast<P::Simple_stmtsContext*>(ctx);
        statements && !statements->simple_stmt().empty())
        ctx = statements->simple_stmt().back()->expr_stmt();
    for (; ctx; ctx = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent)) {
        if (ctx->getRuleIndex() == P::RuleSimple_stmts) return std::nullopt;
        auto* stmt = dynamic_cast<P::Expr_stmtContext*>(ctx);
        if (!stmt || !stmt->annassign() || stmt->testlist_star_expr().empty()) continue;
        return checkTarget(stmt->testlist_star_expr(0), TargetUse::Annotate);
    }
    return std::nullopt;
}

}  // namespace

void ErrorReporter::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending,
                                size_t line, size_t charPositionInLine, const std::string& /*msg*/,
                                std::exception_ptr /*e*/) {
    if (!errors_.empty()) return;  // only the first error: what follows is mostly recovery noise
    SyntaxError error{"SyntaxError", "invalid syntax", static_cast<int>(line),
                      static_cast<int>(charPositionInLine) + 1};
    offendingLine_ = error.line;
    offendingColumn_ = error.column;
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (parser && offending && atEndOfInput(offending))
        std::tie(error.line, error.column) = endOfInput(parser, offending);
    auto placeAt = [&](antlr4::Token* token) {
        error.line = static_cast<int>(token->getLine());
        error.column = static_cast<int>(token->getCharPositionInLine()) + 1;
    };
    if (offending && offending->getType() == L::INDENT) {
        error.kind = "IndentationError";
        error.message = "unexpected indent";
        error.column = static_cast<int>(offending->getText().size());
    } else if (parser && offending && offending->getType() == L::RBRACE && parser->getContext() &&
               parser->getContext()->getRuleIndex() == P::RuleFstring_replacement_field &&
               parser->getContext()->children.size() == 1) {
        error.message = "f-string: valid expression required before '}'";
    } else if (parser && offending) {
        const auto expected = parser->getExpectedTokens();
        antlr4::Token* previous = parser->getTokenStream()->LT(-1);
        if (expected.contains(static_cast<size_t>(L::INDENT)) && expected.size() == 1) {
            size_t ownerLine = 0;
            const std::string owner = blockOwner(parser->getContext(), ownerLine);
            error.kind = "IndentationError";
            error.message = owner.empty() ? "expected an indented block"
                                          : "expected an indented block after " + owner +
                                                " on line " + std::to_string(ownerLine);
        } else if (expected.contains(static_cast<size_t>(L::ELSE)) && expected.size() == 1 &&
                   parser->getContext()) {
            error.message = "expected 'else' after 'if' expression";
            placeAt(parser->getContext()->getStart());
        } else if (previous && startsExpression(offending->getType()) &&
                   previous->getType() == L::NAME &&
                   (previous->getText() == "print" || previous->getText() == "exec")) {
            error.message = "Missing parentheses in call to '" + previous->getText() +
                            "'. Did you mean " + previous->getText() + "(...)?";
            placeAt(previous);
        } else if (auto target = annotationTarget(parser->getContext())) {
            error = *target;
        } else if (auto* before = missingComma(parser, offending)) {
            error.message = "invalid syntax. Perhaps you forgot a comma?";
            placeAt(before->getStart());
        } else if (expectsColon(parser, offending, expected)) {
            error.message = "expected ':'";
        } else if (expected.contains(static_cast<size_t>(L::EXCEPT)) &&
                   expected.contains(static_cast<size_t>(L::FINALLY)) && parser->getContext() &&
                   parser->getContext()->getRuleIndex() == P::RuleTry_stmt) {
            error.message = "expected 'except' or 'finally' block";
        }
    }
    errors_.push_back(std::move(error));
}

std::vector<SyntaxError> mergeErrors(const std::optional<TokenizerStop>& tokenizer,
                                     const ErrorReporter& parser,
                                     std::vector<SyntaxError> checkErrors) {
    const auto& parserErrors = parser.errors();
    if (!tokenizer) return parserErrors.empty() ? checkErrors : parserErrors;
    // A parser error counts only if the parser met it before the token stream ended.
    const bool before = !parserErrors.empty() && (parser.offendingLine() < tokenizer->line ||
                                                  (parser.offendingLine() == tokenizer->line &&
                                                   parser.offendingColumn() < tokenizer->column));
    if (!before) return {tokenizer->error};
    const SyntaxError& first = parserErrors.front();
    const bool generic = first.message == "invalid syntax" ||
                         first.message == "invalid syntax. Perhaps you forgot a comma?";
    if (!generic) return {first};
    // CPython tokenizes the rest of the file after a generic error: a tokenizer error
    // there wins, and so does a bracket left open on an earlier line than the error.
    const bool unclosed = tokenizer->error.message.find("' was never closed") != std::string::npos;
    if (!unclosed || first.line > tokenizer->error.line) return {tokenizer->error};
    return {first};
}

}  // namespace assay::pyparse
