// correctness: mistakes that are likely bugs (pyflakes-like checks over the model's scopes,
// plus a few token and tree checks).
#include <map>
#include <set>

#include "Builtins.h"
#include "Checks.h"
#include "Walk.h"
#include "antlr4-runtime.h"
#include "assay/pyparse/Tree.h"

namespace assay::analysis {

const std::vector<Rule>& correctnessRules() {
    static const std::vector<Rule> rules{
        {"correctness/undefined-name", "A name is used but never defined"},
        {"correctness/unused-import", "A module is imported but never used"},
        {"correctness/unused-variable", "A local variable is assigned but never used"},
        {"correctness/redefinition",
         "A function or class is defined again before the first one is used"},
        {"correctness/shadowed-builtin", "A builtin such as list or id is hidden by a new binding"},
        {"correctness/unreachable-code", "Code after return, raise, break or continue never runs"},
        {"correctness/mutable-default", "A list, dict or set is used as a default argument"},
        {"correctness/bare-except", "An except clause catches every exception"},
        {"correctness/is-literal", "'is' compares with a literal"},
    };
    return rules;
}

namespace {

using pyparse::BindingKind;
using pyparse::PyLexer;
using pyparse::PyParser;
using pyparse::Scope;

using UseKey = std::pair<const Scope*, std::string>;

// Every use, keyed by the scope it resolves to, with its positions.
std::map<UseKey, std::vector<pyparse::Position>> resolvedUses(const Scope& root) {
    std::map<UseKey, std::vector<pyparse::Position>> uses;
    forEachScope(root, [&](const Scope& s) {
        for (const auto& u : s.uses) {
            if (const Scope* target = s.resolve(u.name)) uses[{target, u.name}].push_back(u.at);
        }
    });
    return uses;
}

bool before(const pyparse::Position& a, const pyparse::Position& b) {
    return a.line < b.line || (a.line == b.line && a.column < b.column);
}

bool decoratedAt(const SourceFile& f, int line) {
    if (line < 2) return false;
    const std::string& above = f.lines[static_cast<size_t>(line - 2)];
    const auto p = above.find_first_not_of(" \t");
    return p != std::string::npos && above[p] == '@';
}

// True if the two definitions sit in the same block: same column, and no line between them
// is indented less (an else/except/elif branch in between makes them alternatives).
bool sameBlock(const SourceFile& f, const pyparse::Position& a, const pyparse::Position& b) {
    if (a.column != b.column) return false;
    for (int line = a.line + 1; line < b.line; ++line) {
        const std::string& text = f.lines[static_cast<size_t>(line - 1)];
        const auto p = text.find_first_not_of(" \t\f");
        if (p == std::string::npos || text[p] == '#') continue;
        if (static_cast<int>(p) + 1 < a.column) return false;
    }
    return true;
}

void scopeChecks(const SourceFile& f, std::vector<Finding>& out) {
    const Scope& root = *f.model->scope;
    const auto uses = resolvedUses(root);
    bool starImport = false;
    std::set<int> futureLines;
    for (const auto& imp : f.model->imports) {
        starImport = starImport || imp.name == "*";
        if (imp.module == "__future__") futureLines.insert(imp.at.line);
    }
    std::set<std::string> declaredGlobal;
    forEachScope(
        root, [&](const Scope& s) { declaredGlobal.insert(s.globals.begin(), s.globals.end()); });
    const bool isInit =
        f.path.size() >= 11 && f.path.compare(f.path.size() - 11, 11, "__init__.py") == 0;
    const bool hasAll = root.binds("__all__");

    forEachScope(root, [&](const Scope& s) {
        std::set<std::string> reported;
        for (const auto& u : s.uses) {
            if (starImport || s.resolve(u.name) || isBuiltin(u.name) ||
                declaredGlobal.count(u.name))
                continue;
            if (!reported.insert(u.name).second) continue;
            out.push_back(
                {"correctness/undefined-name", "error",
                 "'" + u.name +
                     "' is not defined here. Check the spelling, assign it before use, or "
                     "import it (Python would stop with a NameError when this line runs).",
                 f.path, u.at.line, u.at.column});
        }
        std::set<std::string> seen;
        const bool usesLocals = s.binds("locals") ? false : [&] {
            for (const auto& u : s.uses)
                if (u.name == "locals") return true;
            return false;
        }();
        std::map<std::string, const pyparse::Binding*> definitions;
        for (const auto& b : s.bindings) {
            const auto it = uses.find({&s, b.name});
            const bool used = it != uses.end();
            if (b.kind == BindingKind::Import && !used && !futureLines.count(b.at.line) &&
                !(s.kind == Scope::Kind::Module && (isInit || hasAll)) &&
                seen.insert("import:" + b.name).second) {
                out.push_back(
                    {"correctness/unused-import", "warning",
                     "'" + b.name + "' is imported but never used. Remove the import, or use it.",
                     f.path, b.at.line, b.at.column});
            }
            if (b.kind == BindingKind::Assignment && s.kind == Scope::Kind::Function && !used &&
                !usesLocals && b.name[0] != '_' &&
                std::find(s.globals.begin(), s.globals.end(), b.name) == s.globals.end() &&
                std::find(s.nonlocals.begin(), s.nonlocals.end(), b.name) == s.nonlocals.end() &&
                seen.insert("var:" + b.name).second) {
                out.push_back(
                    {"correctness/unused-variable", "warning",
                     "The local variable '" + b.name +
                         "' is assigned but never used. Remove the assignment, or use the value "
                         "(a typo in a later name often causes this).",
                     f.path, b.at.line, b.at.column});
            }
            const bool isDef = b.kind == BindingKind::Function || b.kind == BindingKind::Class;
            if (isDef || b.kind == BindingKind::Import) {
                auto prev = definitions.find(b.name);
                if (isDef && prev != definitions.end() && !decoratedAt(f, b.at.line) &&
                    sameBlock(f, prev->second->at, b.at)) {
                    bool usedBetween = false;
                    if (used) {
                        for (const auto& p : it->second)
                            usedBetween =
                                usedBetween || (before(prev->second->at, p) && before(p, b.at));
                    }
                    if (!usedBetween) {
                        out.push_back({"correctness/redefinition", "warning",
                                       "'" + b.name +
                                           "' is defined again here; the definition on line " +
                                           std::to_string(prev->second->at.line) +
                                           " is replaced before it is ever used. Rename one of "
                                           "them or remove "
                                           "the older one.",
                                       f.path, b.at.line, b.at.column});
                    }
                }
                definitions[b.name] = &b;
            } else {
                definitions.erase(b.name);
            }
            const bool shadowKind =
                b.kind == BindingKind::Assignment || b.kind == BindingKind::Parameter ||
                b.kind == BindingKind::Function || b.kind == BindingKind::Class ||
                b.kind == BindingKind::Loop || b.kind == BindingKind::Import;
            if (shadowKind && s.kind != Scope::Kind::Class && isShadowableBuiltin(b.name) &&
                seen.insert("builtin:" + b.name).second) {
                out.push_back(
                    {"correctness/shadowed-builtin", "warning",
                     "'" + b.name + "' hides Python's builtin " + b.name +
                         "() here, so it cannot be used any more in this scope. Choose another "
                         "name, e.g. '" +
                         b.name + "_value' or a more descriptive one.",
                     f.path, b.at.line, b.at.column});
            }
        }
    });
}

// The last simple statement of `stmt` ends the block (return, raise, break, continue).
const char* endsFlow(PyParser::StmtContext* stmt) {
    auto* ss = stmt->simple_stmts();
    if (!ss) return nullptr;
    auto list = ss->simple_stmt();
    if (list.empty() || !list.back()->flow_stmt()) return nullptr;
    auto* flow = list.back()->flow_stmt();
    if (flow->return_stmt()) return "return";
    if (flow->raise_stmt()) return "raise";
    if (flow->break_stmt()) return "break";
    if (flow->continue_stmt()) return "continue";
    return nullptr;
}

void unreachableIn(const SourceFile& f, const std::vector<PyParser::StmtContext*>& stmts,
                   std::vector<Finding>& out) {
    for (size_t i = 0; i + 1 < stmts.size(); ++i) {
        if (const char* what = endsFlow(stmts[i])) {
            auto* next = stmts[i + 1]->getStart();
            out.push_back({"correctness/unreachable-code", "warning",
                           std::string("This code never runs: the '") + what + "' on line " +
                               std::to_string(stmts[i]->getStart()->getLine()) +
                               " always leaves the block first. Remove it or move it before the '" +
                               what + "'.",
                           f.path, static_cast<int>(next->getLine()),
                           static_cast<int>(next->getCharPositionInLine()) + 1});
            return;
        }
    }
}

void walkBlocks(const SourceFile& f, antlr4::tree::ParseTree* node, std::vector<Finding>& out) {
    if (auto* block = dynamic_cast<PyParser::BlockContext*>(node))
        unreachableIn(f, block->stmt(), out);
    for (auto* child : node->children) {
        if (dynamic_cast<antlr4::ParserRuleContext*>(child)) walkBlocks(f, child, out);
    }
}

void tokenChecks(const SourceFile& f, std::vector<Finding>& out) {
    static const std::set<std::string> mutableCalls{
        "list", "dict", "set", "bytearray", "defaultdict", "deque", "OrderedDict", "Counter"};
    const auto& t = f.tokens;
    for (size_t i = 0; i + 1 < t.size(); ++i) {
        const size_t type = t[i]->getType();
        if (type == PyLexer::EXCEPT && t[i + 1]->getType() == PyLexer::COLON) {
            out.push_back(
                {"correctness/bare-except", "warning",
                 "A bare 'except:' also catches KeyboardInterrupt and SystemExit and hides "
                 "programming errors. Name the exceptions you expect, e.g. 'except ValueError:', "
                 "or at "
                 "least 'except Exception:'.",
                 f.path, lineOf(t[i]), columnOf(t[i])});
        }
        if (type == PyLexer::IS) {
            size_t j = i + 1;
            if (t[j]->getType() == PyLexer::NOT && j + 1 < t.size()) ++j;
            if (t[j]->getType() == PyLexer::MINUS && j + 1 < t.size()) ++j;
            const size_t right = t[j]->getType();
            const size_t left = t[i - (i > 0 ? 1 : 0)]->getType();
            const auto literal = [](size_t k) {
                return k == PyLexer::NUMBER || k == PyLexer::STRING ||
                       k == PyLexer::FSTRING_START || k == PyLexer::FSTRING_END;
            };
            if (literal(right) || (i > 0 && literal(left))) {
                out.push_back({"correctness/is-literal", "error",
                               "'is' checks whether two names refer to the same object, not "
                               "whether values are "
                               "equal; with a literal the answer depends on the interpreter. Use "
                               "'==' (or '!=') "
                               "instead.",
                               f.path, lineOf(t[i]), columnOf(t[i])});
            }
        }
        if (type == PyLexer::DEF) {
            size_t j = i + 1;
            while (j < t.size() && t[j]->getType() != PyLexer::LPAR)
                ++j;
            int depth = 0;
            for (; j < t.size(); ++j) {
                const size_t k = t[j]->getType();
                if (k == PyLexer::LPAR || k == PyLexer::LSQB || k == PyLexer::LBRACE) ++depth;
                if (k == PyLexer::RPAR || k == PyLexer::RSQB || k == PyLexer::RBRACE) {
                    if (--depth == 0) break;
                }
                if (k != PyLexer::EQUAL || depth != 1 || j + 1 >= t.size()) continue;
                const auto* v = t[j + 1];
                const bool display =
                    v->getType() == PyLexer::LSQB || v->getType() == PyLexer::LBRACE;
                const bool call = mutableCalls.count(v->getText()) && j + 2 < t.size() &&
                                  t[j + 2]->getType() == PyLexer::LPAR;
                if (display || call) {
                    const std::string param = t[j - 1]->getText();
                    out.push_back(
                        {"correctness/mutable-default", "warning",
                         "The default value of '" + param +
                             "' is created once, when the function is defined, and shared by every "
                             "call: changes made in one call show up in the next. Use 'None' as "
                             "the "
                             "default and create a new object inside the function ('if " +
                             param + " is None: " + param + " = []').",
                         f.path, lineOf(v), columnOf(v)});
                }
            }
        }
    }
}

}  // namespace

void runCorrectness(const std::vector<SourceFile>& files, const Options&,
                    std::vector<Finding>& out) {
    for (const auto& f : files) {
        if (f.model->scope) scopeChecks(f, out);
        if (auto* root = pyparse::fileInput(*f.parse); root && f.parse->ok()) {
            unreachableIn(f, root->stmt(), out);
            walkBlocks(f, root, out);
        }
        tokenChecks(f, out);
    }
}

}  // namespace assay::analysis
