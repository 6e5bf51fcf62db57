// Visiting every function and class of a model, nested ones included.
#pragma once

#include <functional>

#include "assay/pyparse/Model.h"

namespace assay::analysis {

void forEachFunction(const pyparse::Module& m,
                     const std::function<void(const pyparse::Function&)>& fn);
void forEachClass(const pyparse::Module& m, const std::function<void(const pyparse::Class&)>& fn);
// Every scope below (and including) `s`.
void forEachScope(const pyparse::Scope& s, const std::function<void(const pyparse::Scope&)>& fn);

}  // namespace assay::analysis
