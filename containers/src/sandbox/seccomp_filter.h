// The seccomp filter of every run, compiled once (libseccomp) and installed by the attached
// process right before exec: a few microseconds instead of a per-run profile compilation.
#pragma once

#include <linux/filter.h>
#include <vector>

namespace assay::containers {

class SeccompFilter {
  public:
    // Builds the deny list (see seccomp_filter.cpp). Throws std::runtime_error.
    SeccompFilter();

    // Sets no_new_privs and installs the filter on the calling thread. Async-signal-safe.
    int install() const;

  private:
    std::vector<sock_filter> program_;
    sock_fprog fprog_{};
};

}  // namespace assay::containers
