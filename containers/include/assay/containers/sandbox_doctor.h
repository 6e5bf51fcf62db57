// Plain-words checks of what the sandbox needs on this machine, for `assay doctor`.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace assay::containers {

struct DoctorCheck {
    std::string name;  // e.g. "user namespaces"
    bool ok = false;
    std::string detail;  // what was found, or what is missing and how to fix it
};

// Looks at the kernel, cgroups, LXC, the image and the runner socket; needs no privileges.
std::vector<DoctorCheck> sandboxChecks(const std::string& socketPath, const std::string& imageRoot);

// Prints one line per check ("ok  ..." / "MISSING  ...") and returns the number of problems.
int sandboxDoctor(const std::string& socketPath, const std::string& imageRoot, std::ostream& out);

}  // namespace assay::containers
