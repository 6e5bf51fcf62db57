// Scopes, bindings and name uses, following Python's scoping rules: functions, lambdas,
// comprehensions and classes open scopes; a walrus binds in the nearest enclosing
// function; the first iterable of a comprehension is evaluated outside it; type
// parameters live in a scope of their own between a definition and its body.
#pragma once

#include <map>
#include <memory>

#include "PythonParser.h"
#include "assay/pyparse/Model.h"

namespace assay::pyparse {

// The scope opened by each function or class definition.
class ScopeIndex {
  public:
    void add(antlr4::ParserRuleContext* definition, Scope* scope) { scopes_[definition] = scope; }
    Scope* of(antlr4::ParserRuleContext* definition) const {
        auto it = scopes_.find(definition);
        return it == scopes_.end() ? nullptr : it->second;
    }

  private:
    std::map<antlr4::ParserRuleContext*, Scope*> scopes_;
};

std::unique_ptr<Scope> buildScopes(gen::PythonParser::File_inputContext* root, ScopeIndex& index);

}  // namespace assay::pyparse
