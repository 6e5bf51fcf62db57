// Name resolution over the scope tree.
#include <algorithm>

#include "assay/pyparse/Model.h"

namespace assay::pyparse {

namespace {

bool declared(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

bool Scope::binds(const std::string& name) const {
    for (const auto& b : bindings)
        if (b.name == name && b.kind != BindingKind::Global && b.kind != BindingKind::Nonlocal)
            return true;
    return false;
}

const Scope* Scope::resolve(const std::string& name) const {
    const Scope* root = this;
    while (root->parent)
        root = root->parent;
    if (declared(globals, name)) return root->binds(name) ? root : nullptr;
    if (!declared(nonlocals, name) && binds(name)) return this;
    // Enclosing scopes; class bodies are not visible from the functions nested in them.
    for (const Scope* s = parent; s; s = s->parent) {
        if (s->kind == Kind::Class) continue;
        if (s->kind == Kind::Module) return s->binds(name) ? s : nullptr;
        if (declared(s->globals, name)) return root->binds(name) ? root : nullptr;
        if (!declared(s->nonlocals, name) && s->binds(name)) return s;
    }
    return nullptr;
}

}  // namespace assay::pyparse
