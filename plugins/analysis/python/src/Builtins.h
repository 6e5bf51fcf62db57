// Python's builtin names.
#pragma once

#include <string>

namespace assay::analysis {

bool isBuiltin(const std::string& name);
// Builtin functions and types a student might shadow by accident (list, id, input, ...).
bool isShadowableBuiltin(const std::string& name);

}  // namespace assay::analysis
