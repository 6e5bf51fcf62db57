#include "Walk.h"

namespace assay::analysis {
namespace {

using pyparse::Class;
using pyparse::Function;

void visitFunction(const Function& f, const std::function<void(const Function&)>* fn,
                   const std::function<void(const Class&)>* cls);

void visitClass(const Class& c, const std::function<void(const Function&)>* fn,
                const std::function<void(const Class&)>* cls) {
    if (cls) (*cls)(c);
    for (const auto& m : c.methods)
        visitFunction(*m, fn, cls);
    for (const auto& n : c.classes)
        visitClass(*n, fn, cls);
}

void visitFunction(const Function& f, const std::function<void(const Function&)>* fn,
                   const std::function<void(const Class&)>* cls) {
    if (fn) (*fn)(f);
    for (const auto& n : f.functions)
        visitFunction(*n, fn, cls);
    for (const auto& c : f.classes)
        visitClass(*c, fn, cls);
}

}  // namespace

void forEachFunction(const pyparse::Module& m, const std::function<void(const Function&)>& fn) {
    for (const auto& f : m.functions)
        visitFunction(*f, &fn, nullptr);
    for (const auto& c : m.classes)
        visitClass(*c, &fn, nullptr);
}

void forEachClass(const pyparse::Module& m, const std::function<void(const Class&)>& fn) {
    for (const auto& f : m.functions)
        visitFunction(*f, nullptr, &fn);
    for (const auto& c : m.classes)
        visitClass(*c, nullptr, &fn);
}

void forEachScope(const pyparse::Scope& s, const std::function<void(const pyparse::Scope&)>& fn) {
    fn(s);
    for (const auto& c : s.children)
        forEachScope(*c, fn);
}

}  // namespace assay::analysis
