// Scope tree with bindings and uses, built in one walk over the parse tree.
#include "ScopeBuilder.h"

#include "TreeText.h"

namespace assay::pyparse {
namespace {

using P = gen::PythonParser;
using antlr4::ParserRuleContext;

class ScopeWalker {
  public:
    explicit ScopeWalker(ScopeIndex& index) : index_(index) {}

    std::unique_ptr<Scope> run(P::File_inputContext* root) {
        auto module = std::make_unique<Scope>();
        module->kind = Scope::Kind::Module;
        module->name = "<module>";
        module->at = Position{1, 1};
        children(root, module.get());
        return module;
    }

  private:
    Scope* open(Scope* parent, Scope::Kind kind, std::string name, antlr4::Token* at) {
        auto scope = std::make_unique<Scope>();
        scope->kind = kind;
        scope->name = std::move(name);
        scope->at = positionOf(at);
        scope->parent = parent;
        Scope* raw = scope.get();
        parent->children.push_back(std::move(scope));
        return raw;
    }

    static void bind(Scope* s, P::NameContext* name, BindingKind kind) {
        if (name) s->bindings.push_back({name->getText(), kind, positionOf(name->getStart())});
    }
    static void use(Scope* s, P::NameContext* name) {
        if (name) s->uses.push_back({name->getText(), positionOf(name->getStart())});
    }

    void children(ParserRuleContext* node, Scope* s) {
        for (auto* child : node->children)
            if (!child->children.empty()) visit(static_cast<ParserRuleContext*>(child), s);
    }

    void visit(ParserRuleContext* node, Scope* s) {
        switch (node->getRuleIndex()) {
            case P::RuleFuncdef:
                return function(static_cast<P::FuncdefContext*>(node), s);
            case P::RuleClassdef:
                return klass(static_cast<P::ClassdefContext*>(node), s);
            case P::RuleLambdef:
                return lambda(static_cast<P::LambdefContext*>(node), s);
            case P::RuleAtom:
                return atom(static_cast<P::AtomContext*>(node), s);
            case P::RuleTrailer:
                if (static_cast<P::TrailerContext*>(node)->DOT())
                    return;  // attribute names are not uses
                break;
            case P::RuleArgument: {
                auto* arg = static_cast<P::ArgumentContext*>(node);
                if (arg->comp_for())
                    return comprehension({static_cast<ParserRuleContext*>(arg->test())},
                                         arg->comp_for(), s);
                if (arg->COLONEQUAL()) return walrus(arg->name(), arg->test(), s);
                if (arg->EQUAL()) return visit(arg->test(), s);  // the keyword is not a use
                break;
            }
            case P::RuleNamedexpr_test: {
                auto* named = static_cast<P::Namedexpr_testContext*>(node);
                if (named->COLONEQUAL()) return walrus(named->name(), named->test(), s);
                break;
            }
            case P::RuleSubscript: {
                auto* sub = static_cast<P::SubscriptContext*>(node);
                if (sub->COLONEQUAL()) return walrus(sub->name(), sub->test(0), s);
                break;
            }
            case P::RuleExpr_stmt:
                return assignment(static_cast<P::Expr_stmtContext*>(node), s);
            case P::RuleFor_stmt: {
                auto* loop = static_cast<P::For_stmtContext*>(node);
                visit(loop->testlist_star_expr(), s);
                targets(loop->exprlist(), BindingKind::Loop, s);
                for (auto* block : loop->block())
                    visit(block, s);
                return;
            }
            case P::RuleWith_item: {
                auto* item = static_cast<P::With_itemContext*>(node);
                visit(item->test(), s);
                if (item->expr()) targets(item->expr(), BindingKind::With, s);
                return;
            }
            case P::RuleExcept_clause: {
                auto* clause = static_cast<P::Except_clauseContext*>(node);
                if (clause->test()) visit(clause->test(), s);
                bind(s, clause->name(), BindingKind::Exception);
                return;
            }
            case P::RuleImport_name:
                for (auto* item :
                     static_cast<P::Import_nameContext*>(node)->dotted_as_names()->dotted_as_name())
                    bind(s, item->name() ? item->name() : item->dotted_name()->name(0),
                         BindingKind::Import);
                return;
            case P::RuleImport_from: {
                auto* from = static_cast<P::Import_fromContext*>(node);
                if (auto* names = from->import_as_names())
                    for (auto* item : names->import_as_name())
                        bind(s, item->name().size() > 1 ? item->name(1) : item->name(0),
                             BindingKind::Import);
                return;
            }
            case P::RuleGlobal_stmt:
                for (auto* name : static_cast<P::Global_stmtContext*>(node)->name()) {
                    s->globals.push_back(name->getText());
                    bind(s, name, BindingKind::Global);
                }
                return;
            case P::RuleNonlocal_stmt:
                for (auto* name : static_cast<P::Nonlocal_stmtContext*>(node)->name()) {
                    s->nonlocals.push_back(name->getText());
                    bind(s, name, BindingKind::Nonlocal);
                }
                return;
            case P::RuleDel_stmt:
                return targets(static_cast<P::Del_stmtContext*>(node)->exprlist(),
                               BindingKind::Deletion, s);
            case P::RuleType_alias: {
                auto* alias = static_cast<P::Type_aliasContext*>(node);
                bind(s, alias->name(), BindingKind::Assignment);
                Scope* inner = typeParameters(alias->type_params(), alias->name()->getText(), s);
                visit(alias->test(), inner);
                return;
            }
            case P::RuleCase_block: {
                auto* block = static_cast<P::Case_blockContext*>(node);
                pattern(block->patterns(), s);
                if (block->guard()) visit(block->guard(), s);
                visit(block->block(), s);
                return;
            }
            default:
                break;
        }
        children(node, s);
    }

    void atom(P::AtomContext* atom, Scope* s) {
        if (auto* name = atom->name()) return use(s, name);
        if (auto* content = atom->testlist_comp(); content && content->comp_for()) {
            std::vector<ParserRuleContext*> elements;
            for (auto* child : content->children)
                if (!child->children.empty() && child != content->comp_for())
                    elements.push_back(static_cast<ParserRuleContext*>(child));
            return comprehension(elements, content->comp_for(), s);
        }
        if (auto* maker = atom->dictorsetmaker()) {
            P::Comp_forContext* comp = maker->dict_rest()  ? maker->dict_rest()->comp_for()
                                       : maker->set_rest() ? maker->set_rest()->comp_for()
                                                           : nullptr;
            if (comp) {
                std::vector<ParserRuleContext*> elements;
                for (auto* child : maker->children)
                    if (!child->children.empty() && child != maker->dict_rest() &&
                        child != maker->set_rest())
                        elements.push_back(static_cast<ParserRuleContext*>(child));
                return comprehension(elements, comp, s);
            }
        }
        children(atom, s);
    }

    // The first iterable is evaluated in the enclosing scope; the rest in the comprehension's.
    void comprehension(const std::vector<ParserRuleContext*>& elements, P::Comp_forContext* first,
                       Scope* s) {
        Scope* inner = open(s, Scope::Kind::Comprehension, "<comprehension>", first->getStart());
        visit(first->or_test(), s);
        targets(first->exprlist(), BindingKind::Comprehension, inner);
        for (P::Comp_iterContext* next = first->comp_iter(); next;) {
            if (auto* loop = next->comp_for()) {
                visit(loop->or_test(), inner);
                targets(loop->exprlist(), BindingKind::Comprehension, inner);
                next = loop->comp_iter();
            } else {
                visit(next->comp_if()->or_test(), inner);
                next = next->comp_if()->comp_iter();
            }
        }
        for (auto* element : elements)
            visit(element, inner);
    }

    void walrus(P::NameContext* name, ParserRuleContext* value, Scope* s) {
        visit(value, s);
        Scope* target = s;
        while (target->kind == Scope::Kind::Comprehension && target->parent)
            target = target->parent;
        bind(target, name, BindingKind::Assignment);
    }

    void assignment(P::Expr_stmtContext* stmt, Scope* s) {
        auto parts = stmt->testlist_star_expr();
        if (auto* annotated = stmt->annassign()) {
            visit(annotated->test(), s);
            const bool value = annotated->EQUAL() != nullptr;
            for (auto* child : annotated->children)
                if (!child->children.empty() && child != annotated->test())
                    visit(static_cast<ParserRuleContext*>(child), s);
            if (auto* name = bareName(parts[0]))
                bind(s, name, value ? BindingKind::Assignment : BindingKind::Annotation);
            else
                visit(parts[0], s);
            return;
        }
        if (stmt->augassign()) {
            for (size_t i = 1; i < parts.size(); ++i)
                visit(parts[i], s);
            for (auto* y : stmt->yield_expr())
                visit(y, s);
            if (auto* name = bareName(parts[0])) {
                use(s, name);
                bind(s, name, BindingKind::Assignment);
            } else {
                visit(parts[0], s);
            }
            return;
        }
        if (stmt->EQUAL().empty()) return visit(parts[0], s);
        const bool yieldValue =
            dynamic_cast<P::Yield_exprContext*>(stmt->children.back()) != nullptr;
        if (yieldValue)
            visit(static_cast<ParserRuleContext*>(stmt->children.back()), s);
        else
            visit(parts.back(), s);
        const size_t count = yieldValue ? parts.size() : parts.size() - 1;
        for (size_t i = 0; i < count; ++i)
            targets(parts[i], BindingKind::Assignment, s);
    }

    void targets(ParserRuleContext* node, BindingKind kind, Scope* s) {
        const size_t rule = node->getRuleIndex();
        if (rule == P::RuleTestlist_star_expr || rule == P::RuleExprlist) {
            for (auto* child : node->children)
                if (!child->children.empty())
                    targets(static_cast<ParserRuleContext*>(child), kind, s);
            return;
        }
        if (rule == P::RuleStar_expr)
            return targets(static_cast<P::Star_exprContext*>(node)->expr(), kind, s);
        auto* primary = dynamic_cast<P::Await_primaryContext*>(unwrapExpression(node));
        if (primary && !primary->AWAIT() && primary->trailer().empty()) {
            auto* atom = primary->atom();
            if (auto* name = atom->name()) return bind(s, name, kind);
            auto* content = atom->testlist_comp();
            if ((atom->LPAR() || atom->LSQB()) && content && !content->comp_for()) {
                for (auto* child : content->children)
                    if (!child->children.empty())
                        targets(static_cast<ParserRuleContext*>(child), kind, s);
                return;
            }
        }
        visit(node, s);  // attribute or subscript targets use their base
    }

    Scope* typeParameters(P::Type_paramsContext* params, const std::string& owner, Scope* s) {
        if (!params) return s;
        Scope* inner = open(s, Scope::Kind::TypeParameters, owner, params->getStart());
        for (auto* param : params->type_param()) {
            bind(inner, param->name(), BindingKind::TypeParameter);
            if (param->test()) visit(param->test(), inner);
        }
        return inner;
    }

    void function(P::FuncdefContext* def, Scope* s) {
        bind(s, def->name(), BindingKind::Function);
        Scope* outer = typeParameters(def->type_params(), def->name()->getText(), s);
        auto* list = def->parameters()->typedargslist();
        if (list) {
            for (auto* param : list->typed_param()) {
                if (param->test())
                    visit(param->test(),
                          param->EQUAL() ? s : outer);  // default or *args annotation
                if (param->star_expr()) visit(param->star_expr(), outer);
                if (param->tfpdef() && param->tfpdef()->test())
                    visit(param->tfpdef()->test(), outer);
            }
        }
        if (def->test()) visit(def->test(), outer);
        Scope* body = open(outer, Scope::Kind::Function, def->name()->getText(), def->getStart());
        index_.add(def, body);
        if (list) {
            for (auto* param : list->typed_param())
                bind(body, param->tfpdef() ? param->tfpdef()->name() : param->name(),
                     BindingKind::Parameter);
        }
        visit(def->block(), body);
    }

    void klass(P::ClassdefContext* def, Scope* s) {
        bind(s, def->name(), BindingKind::Class);
        Scope* outer = typeParameters(def->type_params(), def->name()->getText(), s);
        if (def->arglist()) visit(def->arglist(), outer);
        Scope* body = open(outer, Scope::Kind::Class, def->name()->getText(), def->getStart());
        index_.add(def, body);
        visit(def->block(), body);
    }

    void lambda(P::LambdefContext* lambda, Scope* s) {
        auto* list = lambda->varargslist();
        if (list)
            for (auto* param : list->lambda_param())
                if (param->test()) visit(param->test(), s);
        Scope* body = open(s, Scope::Kind::Lambda, "<lambda>", lambda->getStart());
        if (list)
            for (auto* param : list->lambda_param())
                bind(body, param->name(), BindingKind::Parameter);
        visit(lambda->test(), body);
    }

    // Capture names bind; value and class patterns use their leading name.
    void pattern(ParserRuleContext* node, Scope* s) {
        switch (node->getRuleIndex()) {
            case P::RuleName_or_class_pattern: {
                auto* p = static_cast<P::Name_or_class_patternContext*>(node);
                auto names = p->name();
                if (p->LPAR()) {
                    use(s, names[0]);
                    if (auto* args = p->pattern_arguments())
                        for (auto* arg : args->pattern_argument())
                            pattern(arg->pattern(), s);
                } else if (names.size() > 1) {
                    use(s, names[0]);
                } else if (names[0]->getText() != "_") {
                    bind(s, names[0], BindingKind::Pattern);
                }
                return;
            }
            case P::RuleMaybe_star_pattern: {
                auto* p = static_cast<P::Maybe_star_patternContext*>(node);
                if (p->STAR()) {
                    if (p->name()->getText() != "_") bind(s, p->name(), BindingKind::Pattern);
                    return;
                }
                return pattern(p->pattern(), s);
            }
            case P::RulePattern: {
                auto* p = static_cast<P::PatternContext*>(node);
                pattern(p->or_pattern(), s);
                bind(s, p->name(), BindingKind::Pattern);
                return;
            }
            case P::RuleMapping_item: {
                auto* item = static_cast<P::Mapping_itemContext*>(node);
                if (item->DOUBLESTAR()) return bind(s, item->name(0), BindingKind::Pattern);
                if (!item->name().empty()) use(s, item->name(0));
                return pattern(item->pattern(), s);
            }
            case P::RuleLiteral_pattern:
                return;
            default:
                for (auto* child : node->children)
                    if (!child->children.empty())
                        pattern(static_cast<ParserRuleContext*>(child), s);
        }
    }

    ScopeIndex& index_;
};

}  // namespace

std::unique_ptr<Scope> buildScopes(gen::PythonParser::File_inputContext* root, ScopeIndex& index) {
    return ScopeWalker(index).run(root);
}

}  // namespace assay::pyparse
