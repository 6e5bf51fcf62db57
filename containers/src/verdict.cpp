// Names of the verdicts as they appear on the wire and in metrics.
#include <assay/containers/job.h>

namespace assay::containers {

const char* verdictName(Verdict v) {
    switch (v) {
        case Verdict::Ok:
            return "ok";
        case Verdict::RuntimeError:
            return "runtime_error";
        case Verdict::CpuTimeExceeded:
            return "cpu_time_exceeded";
        case Verdict::WallTimeExceeded:
            return "wall_time_exceeded";
        case Verdict::MemoryExceeded:
            return "memory_exceeded";
        case Verdict::OutputExceeded:
            return "output_exceeded";
        case Verdict::SandboxError:
            return "sandbox_error";
    }
    return "sandbox_error";
}

const std::vector<Verdict>& allVerdicts() {
    static const std::vector<Verdict> all = {Verdict::Ok,
                                             Verdict::RuntimeError,
                                             Verdict::CpuTimeExceeded,
                                             Verdict::WallTimeExceeded,
                                             Verdict::MemoryExceeded,
                                             Verdict::OutputExceeded,
                                             Verdict::SandboxError};
    return all;
}

std::optional<Verdict> verdictFromName(const std::string& name) {
    for (Verdict v : allVerdicts()) {
        if (name == verdictName(v)) return v;
    }
    return std::nullopt;
}

}  // namespace assay::containers
