// Shared set-up of the suites that run real containers: the image (or host-bind mode when
// ASSAY_SANDBOX_HOST_BIND=1), the built assay-init, and a private lxc path, name prefix and
// uid range so that tests never touch a runner daemon's containers.
#pragma once

#include <assay/containers/sandbox/sandbox_config.h>
#include <assay/containers/sandbox/sandbox_pool.h>

#include <unistd.h>
#include <cstdlib>
#include <memory>
#include <string>

namespace assay::containers::test {

inline std::string envOr(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

inline SandboxConfig testConfig(unsigned poolSize, const std::string& tag) {
    SandboxConfig c;
    c.hostBind = envOr("ASSAY_SANDBOX_HOST_BIND", "0") == "1";
    c.liblxcAttach = envOr("ASSAY_SANDBOX_LIBLXC_ATTACH", "0") == "1";
    c.rootfs = envOr("ASSAY_SANDBOX_IMAGE", "/var/lib/assay/images/default/rootfs");
    c.initBinary = envOr("ASSAY_BINARY_DIR", ".") + "/containers/assay-init";
    const std::string id = std::to_string(::getpid());
    c.lxcPath = "/run/assay/test-" + tag + "-" + id;
    c.namePrefix = "t" + tag;
    c.poolSize = poolSize;
    // A uid range of its own per test process: 8 containers' worth above 10^6.
    c.idmapBase = 1000000u + static_cast<unsigned>(::getpid() % 4000) * 8u * 65536u;
    return c;
}

inline Job pythonJob(const std::string& code, Limits limits = {}) {
    Job j;
    j.files = {{"main.py", code, false}};
    j.argv = {"python3", "main.py"};
    j.limits = limits;
    return j;
}

}  // namespace assay::containers::test
