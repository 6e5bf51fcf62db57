// Builds modules, classes and functions from the parse tree.
#include <algorithm>
#include <map>

#include "Complexity.h"
#include "ScopeBuilder.h"
#include "TreeText.h"
#include "assay/pyparse/Parser.h"

namespace assay::pyparse {
namespace {

using P = gen::PythonParser;
using antlr4::ParserRuleContext;

class Builder {
  public:
    Builder(const ParseResult& result, Module& module, const ScopeIndex& scopes)
        : tokens_(result.tokens()), module_(module), scopes_(scopes) {}

    void build(P::File_inputContext* root) {
        module_.hasDocstring = moduleDocstring(root);
        Container top{&module_.functions, &module_.classes, nullptr, ""};
        walk(root, top);
    }

  private:
    // Where definitions found while walking a body go.
    struct Container {
        std::vector<std::unique_ptr<Function>>* functions;
        std::vector<std::unique_ptr<Class>>* classes;
        Class* cls;          // set while walking a class body
        std::string prefix;  // qualified-name prefix
    };

    void walk(ParserRuleContext* node, Container& into) {
        for (auto* child : node->children) {
            if (child->children.empty()) continue;
            auto* rule = static_cast<ParserRuleContext*>(child);
            switch (rule->getRuleIndex()) {
                case P::RuleFuncdef:
                    into.functions->push_back(
                        function(static_cast<P::FuncdefContext*>(rule), into));
                    break;
                case P::RuleClassdef:
                    into.classes->push_back(klass(static_cast<P::ClassdefContext*>(rule), into));
                    break;
                case P::RuleImport_name:
                    importName(static_cast<P::Import_nameContext*>(rule));
                    break;
                case P::RuleImport_from:
                    importFrom(static_cast<P::Import_fromContext*>(rule));
                    break;
                default:
                    walk(rule, into);
            }
        }
    }

    std::vector<Decorator> decoratorsOf(ParserRuleContext* definition) {
        std::vector<Decorator> out;
        ParserRuleContext* up = dynamic_cast<ParserRuleContext*>(definition->parent);
        if (up && up->getRuleIndex() == P::RuleAsync_funcdef)
            up = dynamic_cast<ParserRuleContext*>(up->parent);
        auto* decorated = dynamic_cast<P::DecoratedContext*>(up);
        if (!decorated) return out;
        for (auto* d : decorated->decorators()->decorator()) {
            Decorator decorator;
            decorator.expression = sourceText(d->namedexpr_test());
            decorator.at = positionOf(d->getStart());
            const std::string head = decorator.expression.substr(0, decorator.expression.find('('));
            if (head.find_first_not_of(
                    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") ==
                std::string::npos)
                decorator.name = head;
            out.push_back(std::move(decorator));
        }
        return out;
    }

    // The last line holding a real token of a definition (DEDENT/NEWLINE sit after it).
    int endLine(ParserRuleContext* node) {
        size_t index = node->getStop()->getTokenIndex();
        while (index > node->getStart()->getTokenIndex()) {
            antlr4::Token* token = tokens_->get(index);
            const size_t type = token->getType();
            if (token->getChannel() == antlr4::Token::DEFAULT_CHANNEL && type != P::DEDENT &&
                type != P::NEWLINE && type != P::INDENT)
                return static_cast<int>(token->getLine());
            --index;
        }
        return static_cast<int>(node->getStart()->getLine());
    }

    // Deepest nesting of compound statements, not looking into nested definitions.
    static int nesting(ParserRuleContext* node, int depth) {
        int deepest = depth;
        for (auto* child : node->children) {
            if (child->children.empty()) continue;
            auto* rule = static_cast<ParserRuleContext*>(child);
            switch (rule->getRuleIndex()) {
                case P::RuleFuncdef:
                case P::RuleClassdef:
                    continue;
                case P::RuleIf_stmt:
                case P::RuleFor_stmt:
                case P::RuleWhile_stmt:
                case P::RuleTry_stmt:
                case P::RuleWith_stmt:
                case P::RuleMatch_stmt:
                    deepest = std::max(deepest, nesting(rule, depth + 1));
                    break;
                default:
                    deepest = std::max(deepest, nesting(rule, depth));
            }
        }
        return deepest;
    }

    static void collectReturns(ParserRuleContext* node, Function& fn) {
        for (auto* child : node->children) {
            if (child->children.empty()) continue;
            auto* rule = static_cast<ParserRuleContext*>(child);
            const size_t kind = rule->getRuleIndex();
            if (kind == P::RuleFuncdef || kind == P::RuleClassdef || kind == P::RuleLambdef)
                continue;
            if (kind == P::RuleReturn_stmt) {
                fn.returnStatements.push_back(
                    {positionOf(rule->getStart()),
                     static_cast<P::Return_stmtContext*>(rule)->testlist_star_expr() != nullptr});
                continue;
            }
            collectReturns(rule, fn);
        }
    }

    static bool containsYield(ParserRuleContext* node) {
        for (auto* child : node->children) {
            if (child->children.empty()) continue;
            auto* rule = static_cast<ParserRuleContext*>(child);
            const size_t kind = rule->getRuleIndex();
            if (kind == P::RuleFuncdef || kind == P::RuleClassdef || kind == P::RuleLambdef)
                continue;
            if (kind == P::RuleYield_expr || containsYield(rule)) return true;
        }
        return false;
    }

    std::vector<Parameter> parameters(P::TypedargslistContext* list) {
        std::vector<Parameter> out;
        if (!list) return out;
        bool afterStar = false;
        for (auto* item : list->typed_param()) {
            Parameter p;
            p.at = positionOf(item->getStart());
            if (item->SLASH()) {
                for (auto& earlier : out)
                    earlier.kind = Parameter::Kind::PositionalOnly;
                continue;
            }
            if (item->STAR()) {
                afterStar = true;
                if (!item->name()) continue;  // a bare '*'
                p.name = item->name()->getText();
                p.kind = Parameter::Kind::VarPositional;
                if (item->test()) p.annotation = sourceText(item->test());
                if (item->star_expr()) p.annotation = sourceText(item->star_expr());
            } else {
                P::TfpdefContext* def = item->tfpdef();
                p.name = def->name()->getText();
                if (def->test()) p.annotation = sourceText(def->test());
                if (item->DOUBLESTAR()) {
                    p.kind = Parameter::Kind::VarKeyword;
                } else {
                    p.kind = afterStar ? Parameter::Kind::KeywordOnly : Parameter::Kind::Positional;
                    p.hasDefault = item->EQUAL() != nullptr;
                }
            }
            out.push_back(std::move(p));
        }
        return out;
    }

    std::unique_ptr<Function> function(P::FuncdefContext* def, Container& into) {
        auto fn = std::make_unique<Function>();
        fn->node = def;
        fn->name = def->name()->getText();
        fn->qualifiedName = into.prefix + fn->name;
        auto* up = dynamic_cast<ParserRuleContext*>(def->parent);
        fn->isAsync = up && (up->getRuleIndex() == P::RuleAsync_stmt ||
                             up->getRuleIndex() == P::RuleAsync_funcdef);
        fn->at = positionOf(fn->isAsync ? up->getStart() : def->getStart());
        fn->endLine = endLine(def);
        fn->decorators = decoratorsOf(def);
        fn->parameters = parameters(def->parameters()->typedargslist());
        if (def->test()) fn->returns = sourceText(def->test());
        fn->hasDocstring = startsWithDocstring(def->block());
        fn->isGenerator = containsYield(def->block());
        collectReturns(def->block(), *fn);
        fn->complexity = 1 + decisionPoints(def->block());
        fn->nesting = nesting(def->block(), 0);
        fn->scope = scopes_.of(def);
        if (into.cls) {
            fn->isMethod = true;
            fn->className = into.cls->name;
        }
        Container inner{&fn->functions, &fn->classes, nullptr, fn->qualifiedName + "."};
        walk(def->block(), inner);
        if (into.cls && !fn->parameters.empty() && !fn->decoratedAs("staticmethod"))
            instanceAttributes(def->block(), fn->parameters.front().name, fn->name, *into.cls);
        return fn;
    }

    std::unique_ptr<Class> klass(P::ClassdefContext* def, Container& into) {
        auto cls = std::make_unique<Class>();
        cls->node = def;
        cls->name = def->name()->getText();
        cls->qualifiedName = into.prefix + cls->name;
        cls->at = positionOf(def->getStart());
        cls->endLine = endLine(def);
        cls->decorators = decoratorsOf(def);
        cls->hasDocstring = startsWithDocstring(def->block());
        cls->scope = scopes_.of(def);
        if (auto* args = def->arglist()) {
            for (auto* arg : args->argument()) {
                if (arg->EQUAL())
                    cls->keywords.emplace_back(arg->name()->getText(), sourceText(arg->test()));
                else
                    cls->bases.push_back(sourceText(arg));
            }
        }
        classAttributes(def->block(), *cls);  // first, so attributes stay in source order
        Container body{&cls->methods, &cls->classes, cls.get(), cls->qualifiedName + "."};
        walk(def->block(), body);
        cls->realComplexity = 1 + decisionPoints(def->block());
        for (const auto& method : cls->methods)
            cls->realComplexity += method->complexity;
        const int methods = static_cast<int>(cls->methods.size());
        cls->complexity =
            methods == 0 ? cls->realComplexity : cls->realComplexity / methods + (methods > 1);
        return cls;
    }

    void addAttribute(Class& cls, Attribute attribute) {
        for (const auto& known : cls.attributes)
            if (known.name == attribute.name) return;
        cls.attributes.push_back(std::move(attribute));
    }

    // Targets of '=' and annotated assignments in a body, not looking into nested definitions.
    template <typename Fn>
    void assignmentTargets(ParserRuleContext* node, Fn&& onTarget) {
        for (auto* child : node->children) {
            if (child->children.empty()) continue;
            auto* rule = static_cast<ParserRuleContext*>(child);
            const size_t kind = rule->getRuleIndex();
            if (kind == P::RuleFuncdef || kind == P::RuleClassdef) continue;
            if (kind == P::RuleExpr_stmt) {
                auto* stmt = static_cast<P::Expr_stmtContext*>(rule);
                auto parts = stmt->testlist_star_expr();
                const size_t targets = stmt->annassign() ? 1 : stmt->EQUAL().size();
                for (size_t i = 0; i < targets && i < parts.size(); ++i)
                    for (auto* item : parts[i]->children)
                        if (!item->children.empty())
                            onTarget(static_cast<ParserRuleContext*>(item));
                continue;
            }
            assignmentTargets(rule, onTarget);
        }
    }

    void classAttributes(P::BlockContext* block, Class& cls) {
        assignmentTargets(block, [&](ParserRuleContext* target) {
            if (auto* name = bareName(target))
                addAttribute(cls, {name->getText(), positionOf(name->getStart()), false, ""});
        });
    }

    void instanceAttributes(P::BlockContext* block, const std::string& self,
                            const std::string& method, Class& cls) {
        assignmentTargets(block, [&](ParserRuleContext* target) {
            auto* primary = dynamic_cast<P::Await_primaryContext*>(unwrapExpression(target));
            if (!primary || primary->trailer().size() != 1 || !primary->trailer(0)->DOT()) return;
            auto* base = primary->atom()->name();
            if (!base || base->getText() != self) return;
            auto* attr = primary->trailer(0)->name();
            addAttribute(cls, {attr->getText(), positionOf(attr->getStart()), true, method});
        });
    }

    void importName(P::Import_nameContext* stmt) {
        for (auto* item : stmt->dotted_as_names()->dotted_as_name()) {
            Import import;
            import.module = item->dotted_name()->getText();
            import.asName = item->name() ? item->name()->getText()
                                         : import.module.substr(0, import.module.find('.'));
            import.at = positionOf(item->getStart());
            module_.imports.push_back(std::move(import));
        }
    }

    void importFrom(P::Import_fromContext* stmt) {
        int level =
            static_cast<int>(stmt->DOT().size()) + 3 * static_cast<int>(stmt->ELLIPSIS().size());
        const std::string from = stmt->dotted_name() ? stmt->dotted_name()->getText() : "";
        if (stmt->STAR()) {
            module_.imports.push_back(
                {from, "*", "", level, positionOf(stmt->STAR()->getSymbol())});
            return;
        }
        for (auto* item : stmt->import_as_names()->import_as_name()) {
            const std::string name = item->name(0)->getText();
            const std::string as = item->name().size() > 1 ? item->name(1)->getText() : name;
            module_.imports.push_back({from, name, as, level, positionOf(item->getStart())});
        }
    }

    static bool moduleDocstring(P::File_inputContext* root) {
        auto statements = root->stmt();
        if (statements.empty() || !statements[0]->simple_stmts()) return false;
        // Reuse the block check through a statement's simple_stmts.
        auto* simple = statements[0]->simple_stmts();
        auto* expr = simple->simple_stmt(0)->expr_stmt();
        if (!expr || !expr->EQUAL().empty() || expr->annassign() || expr->augassign()) return false;
        auto* primary =
            dynamic_cast<P::Await_primaryContext*>(unwrapExpression(expr->testlist_star_expr(0)));
        return primary && primary->trailer().empty() && primary->atom()->strings() &&
               primary->atom()->strings()->fstring().empty() &&
               expr->testlist_star_expr(0)->children.size() == 1;
    }

    antlr4::CommonTokenStream* tokens_;
    Module& module_;
    const ScopeIndex& scopes_;
};

}  // namespace

bool Function::decoratedAs(const std::string& decoratorName) const {
    for (const auto& d : decorators)
        if (d.name == decoratorName) return true;
    return false;
}

std::unique_ptr<Module> buildModel(const ParseResult& result) {
    auto module = std::make_unique<Module>();
    module->filename = result.filename();
    module->lines = static_cast<int>(result.lineCount());
    auto* root = static_cast<P::File_inputContext*>(result.tree());
    // A tree repaired by error recovery can miss any child; only complete trees are modelled.
    if (!root || !result.ok()) {
        module->scope = std::make_unique<Scope>();
        return module;
    }
    result.tokens()->fill();
    ScopeIndex index;
    module->scope = buildScopes(root, index);
    Builder(result, *module, index).build(root);
    return module;
}

}  // namespace assay::pyparse
