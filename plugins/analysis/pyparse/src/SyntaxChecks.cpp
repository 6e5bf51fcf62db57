// Post-parse rules: targets, parameters, call arguments, statements out of place.
#include "SyntaxChecks.h"

#include <set>
#include <string>

#include "PatternChecks.h"
#include "TargetCheck.h"

namespace assay::pyparse {
namespace {

using P = gen::PythonParser;
using antlr4::ParserRuleContext;

SyntaxError errorAt(antlr4::Token* token, std::string message) {
    return SyntaxError{"SyntaxError", std::move(message), static_cast<int>(token->getLine()),
                       static_cast<int>(token->getCharPositionInLine()) + 1};
}

struct Found {};  // stops the walk at the first error, as CPython stops

class Checker {
  public:
    std::vector<SyntaxError> run(P::File_inputContext* root) {
        try {
            checkFutureImports(root);
            walk(root);
        } catch (const Found&) {
        }
        return errors_;
    }

  private:
    enum class ScopeKind { Module, Class, Function, AsyncFunction, Lambda };
    struct Scope {
        ScopeKind kind;
        int loops = 0;
        int comprehensions = 0;  // inside a comprehension or generator expression
        bool yields = false;
        antlr4::Token* valueReturn = nullptr;
    };

    [[noreturn]] void report(SyntaxError error) {
        errors_.push_back(std::move(error));
        throw Found{};
    }
    void report(const std::optional<SyntaxError>& error) {
        if (error) report(*error);
    }

    // Terminal nodes never have children, so a node with children is a rule context;
    // this avoids a dynamic_cast per node (measurable on large files).
    void walkChildren(ParserRuleContext* node) {
        for (auto* child : node->children)
            if (!child->children.empty()) walk(static_cast<ParserRuleContext*>(child));
    }

    void enterScope(ScopeKind kind, ParserRuleContext* node) {
        scopes_.push_back({kind});
        walkChildren(node);
        const Scope& scope = scopes_.back();
        if (scope.kind == ScopeKind::AsyncFunction && scope.yields && scope.valueReturn)
            report(errorAt(scope.valueReturn, "'return' with value in async generator"));
        scopes_.pop_back();
    }

    bool inFunction() const {
        const ScopeKind k = scopes_.back().kind;
        return k == ScopeKind::Function || k == ScopeKind::AsyncFunction || k == ScopeKind::Lambda;
    }

    void walk(ParserRuleContext* node) {
        switch (node->getRuleIndex()) {
            case P::RuleFuncdef: {
                auto* def = static_cast<P::FuncdefContext*>(node);
                if (auto* params = def->parameters()->typedargslist()) checkParameters(params);
                const bool async = dynamic_cast<P::Async_stmtContext*>(node->parent) ||
                                   dynamic_cast<P::Async_funcdefContext*>(node->parent);
                enterScope(async ? ScopeKind::AsyncFunction : ScopeKind::Function, node);
                return;
            }
            case P::RuleLambdef: {
                auto* lambda = static_cast<P::LambdefContext*>(node);
                if (auto* params = lambda->varargslist()) checkParameters(params);
                enterScope(ScopeKind::Lambda, node);
                return;
            }
            case P::RuleClassdef:
                enterScope(ScopeKind::Class, node);
                return;
            case P::RuleFor_stmt:
            case P::RuleWhile_stmt:
                loopStatement(node);
                return;
            case P::RuleTestlist_comp:
            case P::RuleDict_rest:
            case P::RuleSet_rest:
            case P::RuleArgument:
                if (node->getRuleContext<P::Comp_forContext>(0)) {
                    ++scopes_.back().comprehensions;
                    walkChildren(node);
                    --scopes_.back().comprehensions;
                    return;
                }
                break;
            case P::RuleComp_for: {
                auto* comp = static_cast<P::Comp_forContext*>(node);
                report(checkTarget(comp->exprlist(), TargetUse::Bind));
                break;
            }
            case P::RuleBreak_stmt:
                if (scopes_.back().loops == 0)
                    report(errorAt(node->getStart(), "'break' outside loop"));
                break;
            case P::RuleContinue_stmt:
                if (scopes_.back().loops == 0)
                    report(errorAt(node->getStart(), "'continue' not properly in loop"));
                break;
            case P::RuleReturn_stmt: {
                if (!inFunction()) report(errorAt(node->getStart(), "'return' outside function"));
                auto* ret = static_cast<P::Return_stmtContext*>(node);
                if (ret->testlist_star_expr() && !scopes_.back().valueReturn)
                    scopes_.back().valueReturn = node->getStart();
                break;
            }
            case P::RuleYield_expr:
                if (!inFunction()) report(errorAt(node->getStart(), "'yield' outside function"));
                scopes_.back().yields = true;
                break;
            case P::RuleAwait_primary:
                // An await inside a generator expression makes it asynchronous; left to run time.
                if (static_cast<P::Await_primaryContext*>(node)->AWAIT() &&
                    scopes_.back().comprehensions == 0) {
                    const ScopeKind k = scopes_.back().kind;
                    if (k == ScopeKind::Module || k == ScopeKind::Class)
                        report(errorAt(node->getStart(), "'await' outside function"));
                    if (k != ScopeKind::AsyncFunction)
                        report(errorAt(node->getStart(), "'await' outside async function"));
                }
                break;
            case P::RuleNonlocal_stmt:
                if (scopes_.back().kind == ScopeKind::Module)
                    report(errorAt(node->getStart(),
                                   "nonlocal declaration not allowed at module level"));
                break;
            case P::RuleExpr_stmt:
                checkAssignment(static_cast<P::Expr_stmtContext*>(node));
                break;
            case P::RuleDel_stmt:
                report(checkTarget(static_cast<P::Del_stmtContext*>(node)->exprlist(),
                                   TargetUse::Delete));
                break;
            case P::RuleWith_item: {
                auto* item = static_cast<P::With_itemContext*>(node);
                if (item->expr()) report(checkTarget(item->expr(), TargetUse::Bind));
                break;
            }
            case P::RuleTry_stmt:
                checkExceptKinds(static_cast<P::Try_stmtContext*>(node));
                break;
            case P::RuleArglist:
                checkArguments(static_cast<P::ArglistContext*>(node));
                break;
            case P::RuleMatch_stmt:
                report(checkMatch(static_cast<P::Match_stmtContext*>(node)));
                break;
            case P::RuleTestlist_star_expr:
                // A lone starred expression is only valid as part of a tuple.
                if (node->children.size() == 1 &&
                    dynamic_cast<P::Star_exprContext*>(node->children[0]))
                    report(errorAt(node->getStart(), "can't use starred expression here"));
                break;
            case P::RuleAsync_stmt: {
                auto* stmt = static_cast<P::Async_stmtContext*>(node);
                if (!stmt->funcdef() && scopes_.back().kind != ScopeKind::AsyncFunction)
                    report(errorAt(node->getStart(), stmt->with_stmt()
                                                         ? "'async with' outside async function"
                                                         : "'async for' outside async function"));
                break;
            }
            case P::RuleFstring_replacement_field: {
                auto* field = static_cast<P::Fstring_replacement_fieldContext*>(node);
                if (auto* conversion = field->name()) {
                    const std::string c = conversion->getText();
                    if (c != "s" && c != "r" && c != "a")
                        report(errorAt(conversion->getStart(),
                                       "f-string: invalid conversion character '" + c +
                                           "': expected 's', 'r', or 'a'"));
                }
                break;
            }
            case P::RuleStrings:
                checkStringKinds(static_cast<P::StringsContext*>(node));
                break;
            default:
                break;
        }
        walkChildren(node);
    }

    void loopStatement(ParserRuleContext* node) {
        if (auto* loop = dynamic_cast<P::For_stmtContext*>(node))
            report(checkTarget(loop->exprlist(), TargetUse::Bind));
        // The loop body counts as inside the loop; the else clause does not.
        for (auto* child : node->children) {
            auto* rule = dynamic_cast<ParserRuleContext*>(child);
            if (!rule) continue;
            auto* block = dynamic_cast<P::BlockContext*>(rule);
            const bool body = block && block == node->getRuleContext<P::BlockContext>(0);
            if (body) ++scopes_.back().loops;
            walk(rule);
            if (body) --scopes_.back().loops;
        }
    }

    void checkAssignment(P::Expr_stmtContext* stmt) {
        auto parts = stmt->testlist_star_expr();
        if (stmt->annassign()) {
            report(checkTarget(parts[0], TargetUse::Annotate));
            return;
        }
        if (stmt->augassign()) {
            report(checkTarget(parts[0], TargetUse::AugAssign));
            return;
        }
        const auto equals = stmt->EQUAL();
        if (equals.empty()) return;
        // Targets are every part before the last '='; a yield value is never among them.
        const bool hint = equals.size() == 1 && stmt->yield_expr().empty();
        for (size_t i = 0; i < parts.size(); ++i) {
            if (parts[i]->getStart()->getTokenIndex() > equals.back()->getSymbol()->getTokenIndex())
                break;
            report(checkTarget(parts[i], TargetUse::Assign, hint));
        }
    }

    // Parameter order for def and lambda (typedargslist and varargslist share the shape).
    void checkParameters(ParserRuleContext* list) {
        bool slash = false, star = false, bareStar = false, kwargs = false, defaults = false,
             anyBefore = false;
        bool namedAfterStar = false;
        antlr4::Token* starToken = nullptr;
        std::set<std::string> names;
        auto noteName = [&](antlr4::tree::ParseTree* nameNode) {
            if (!nameNode) return;
            const std::string text = nameNode->getText();
            if (!names.insert(text).second)
                report(errorAt(static_cast<ParserRuleContext*>(nameNode)->getStart(),
                               "duplicate argument '" + text + "' in function definition"));
        };
        for (auto* child : list->children) {
            auto* item = dynamic_cast<ParserRuleContext*>(child);
            if (!item) continue;
            antlr4::Token* first = item->getStart();
            if (kwargs) report(errorAt(first, "arguments cannot follow var-keyword argument"));
            const size_t type = first->getType();
            if (type == P::SLASH) {
                if (slash) report(errorAt(first, "/ may appear only once"));
                if (star) report(errorAt(first, "/ must be ahead of *"));
                if (!anyBefore) report(errorAt(first, "at least one argument must precede /"));
                slash = true;
            } else if (type == P::STAR) {
                if (star) report(errorAt(first, "* argument may appear only once"));
                star = true;
                starToken = first;
                auto* name = item->getRuleContext<P::NameContext>(0);
                bareStar = name == nullptr;
                noteName(name);
            } else if (type == P::DOUBLESTAR) {
                if (bareStar && !namedAfterStar)
                    report(errorAt(starToken, "named arguments must follow bare *"));
                kwargs = true;
                auto* def = item->getRuleContext<P::TfpdefContext>(0);
                noteName(def ? static_cast<antlr4::tree::ParseTree*>(def->name())
                             : item->getRuleContext<P::NameContext>(0));
            } else {
                anyBefore = true;
                auto* def = item->getRuleContext<P::TfpdefContext>(0);
                noteName(def ? static_cast<antlr4::tree::ParseTree*>(def->name())
                             : item->getRuleContext<P::NameContext>(0));
                const bool hasDefault = item->getToken(P::EQUAL, 0) != nullptr;
                if (star) {
                    namedAfterStar = true;
                } else if (hasDefault) {
                    defaults = true;
                } else if (defaults) {
                    report(errorAt(first,
                                   "parameter without a default follows parameter with a default"));
                }
            }
        }
        if (bareStar && !namedAfterStar)
            report(errorAt(starToken, "named arguments must follow bare *"));
    }

    void checkArguments(P::ArglistContext* list) {
        auto args = list->argument();
        bool keyword = false, kwUnpack = false;
        // CPython reports argument-order errors at the token after the arguments.
        auto* parent = dynamic_cast<ParserRuleContext*>(list->parent);
        antlr4::tree::TerminalNode* close = parent ? parent->getToken(P::RPAR, 0) : nullptr;
        antlr4::Token* after = close ? close->getSymbol() : list->getStop();
        std::set<std::string> keywords;
        for (auto* arg : args) {
            antlr4::Token* first = arg->getStart();
            if (arg->comp_for() && (args.size() > 1 || !list->COMMA().empty()))
                report(errorAt(first, "Generator expression must be parenthesized"));
            if (arg->DOUBLESTAR()) {
                kwUnpack = true;
            } else if (arg->STAR()) {
                if (kwUnpack)
                    report(errorAt(
                        first, "iterable argument unpacking follows keyword argument unpacking"));
            } else if (arg->EQUAL()) {
                keyword = true;
                const std::string name = arg->name()->getText();
                if (!keywords.insert(name).second)
                    report(errorAt(first, "keyword argument repeated: " + name));
            } else if (kwUnpack) {
                report(errorAt(after, "positional argument follows keyword argument unpacking"));
            } else if (keyword) {
                report(errorAt(after, "positional argument follows keyword argument"));
            }
        }
    }

    void checkExceptKinds(P::Try_stmtContext* stmt) {
        auto clauses = stmt->except_clause();
        if (clauses.empty()) return;
        const bool star = clauses[0]->STAR() != nullptr;
        for (auto* clause : clauses)
            if ((clause->STAR() != nullptr) != star)
                report(errorAt(clause->getStart(),
                               "cannot have both 'except' and 'except*' on the same 'try'"));
    }

    void checkStringKinds(P::StringsContext* strings) {
        bool bytes = false, text = false;
        for (auto* child : strings->children) {
            std::string lead;
            if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
                const std::string s = terminal->getSymbol()->getText();
                lead = s.substr(0, s.find_first_of("'\""));
            }
            (lead.find_first_of("bB") != std::string::npos ? bytes : text) = true;
        }
        if (bytes && text) {
            antlr4::Token* stop = strings->getStop();
            SyntaxError error = errorAt(stop, "cannot mix bytes and nonbytes literals");
            error.column += static_cast<int>(stop->getStopIndex() - stop->getStartIndex() + 1);
            report(error);
        }
    }

    // "from __future__ import" only after the docstring and other future imports,
    // and only for features the compiler knows.
    void checkFutureImports(P::File_inputContext* root) {
        static const std::set<std::string> kFeatures = {
            "nested_scopes",  "generators",     "division",         "absolute_import",
            "with_statement", "print_function", "unicode_literals", "barry_as_FLUFL",
            "generator_stop", "annotations"};
        bool leading = true;
        bool first = true;
        for (auto* stmt : root->stmt()) {
            auto* simple = stmt->simple_stmts();
            for (auto* part :
                 simple ? simple->simple_stmt() : std::vector<P::Simple_stmtContext*>{}) {
                auto* import = part->import_stmt() ? part->import_stmt()->import_from() : nullptr;
                const bool future = import && import->dotted_name() && import->DOT().empty() &&
                                    import->ELLIPSIS().empty() &&
                                    import->dotted_name()->getText() == "__future__";
                if (future) {
                    if (!leading)
                        report(errorAt(
                            part->getStart(),
                            "from __future__ imports must occur at the beginning of the file"));
                    if (import->STAR())
                        report(errorAt(part->getStart(), "future feature * is not defined"));
                    for (auto* alias : import->import_as_names()->import_as_name()) {
                        const std::string feature = alias->name(0)->getText();
                        if (feature == "braces") report(errorAt(part->getStart(), "not a chance"));
                        if (!kFeatures.count(feature))
                            report(errorAt(part->getStart(),
                                           "future feature " + feature + " is not defined"));
                    }
                } else if (!(first && isDocstring(part))) {
                    leading = false;
                }
                first = false;
            }
            if (!simple) leading = false;
            first = false;
        }
    }

    static bool isDocstring(P::Simple_stmtContext* stmt) {
        auto* expr = stmt->expr_stmt();
        if (!expr || !expr->EQUAL().empty() || expr->annassign() || expr->augassign()) return false;
        auto* list = expr->testlist_star_expr(0);
        if (list->children.size() != 1) return false;
        antlr4::Token* start = list->getStart();
        return (start->getType() == P::STRING || start->getType() == P::FSTRING_START) &&
               list->getStop() && list->getStop()->getType() != P::RPAR &&
               dynamic_cast<P::TestContext*>(list->children[0]) &&
               list->getText().find_first_of("+*%") == std::string::npos;
    }

    std::vector<Scope> scopes_{{ScopeKind::Module}};
    std::vector<SyntaxError> errors_;
};

}  // namespace

std::vector<SyntaxError> checkSyntax(gen::PythonParser::File_inputContext* root) {
    return Checker().run(root);
}

}  // namespace assay::pyparse
