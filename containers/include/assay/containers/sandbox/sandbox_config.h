// Settings of the privileged side: where the image is, how many containers, which limits.
#pragma once

#include <assay/containers/job.h>

#include <string>

namespace assay::containers {

struct SandboxConfig {
    std::string rootfs;      // image root (read-only); see containers/image/build-image.sh
    bool hostBind = false;   // development mode: read-only binds of the host's /usr etc.
    std::string initBinary;  // the static assay-init, bind-mounted as the containers' PID 1
    std::string lxcPath = "/run/assay/lxc";  // liblxc's container directory (logs, state)
    std::string namePrefix = "assay";
    unsigned poolSize = 0;        // 0: number of cores
    unsigned idmapBase = 200000;  // host uid/gid of root in container 0; each next one +65536
    Limits defaults{10000, 20000, 256ull << 20, 1ull << 20, 64, 16ull << 20, 64ull << 20};
    Limits maximum{120000, 300000, 2ull << 30, 64ull << 20, 1024, 1ull << 30, 1ull << 30};
    // Start runs with liblxc's attach instead of through the container's helper, which lives
    // inside the container and needs no cgroup migration or namespace entry per run.
    bool liblxcAttach = false;
    unsigned cpuShares = 1024;  // cgroup v1 cpu.shares (v2: cpu.weight 100)
};

// Fills zero fields of `job` from `defaults` and clamps every field to `maximum`.
Limits effectiveLimits(const Limits& requested, const SandboxConfig& config);

}  // namespace assay::containers
