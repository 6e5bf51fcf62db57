#include "sandbox_adapter.h"

#include <stdexcept>

#if ASSAY_WITH_CONTAINERS
#include <assay/containers/runner_client.h>
#endif

namespace assay::app {

SandboxRunner runnerAt(const std::string& socket) {
#if ASSAY_WITH_CONTAINERS
    auto client = std::make_shared<containers::RunnerClient>(socket);
    return [client](const plugin::SandboxJob& job) {
        containers::Job j;
        for (const auto& f : job.files)
            j.files.push_back({f.path, f.content, false});
        j.argv = job.argv;
        j.stdinData = job.stdinText;
        j.limits.cpuMs = static_cast<uint64_t>(job.cpuSeconds * 1000);
        j.limits.wallMs = static_cast<uint64_t>(job.wallSeconds * 1000);
        j.limits.memoryBytes = static_cast<uint64_t>(job.memoryBytes);
        j.limits.outputBytes = static_cast<uint64_t>(job.outputBytes);
        plugin::SandboxResult r;
        try {
            auto res = client->run(j);
            r.verdict = containers::verdictName(res.verdict);
            r.exitCode = res.exitCode;
            r.signal = res.signal;
            r.stdoutText = std::move(res.stdoutData);
            r.stderrText = std::move(res.stderrData);
            r.truncated = res.truncated;
            r.wallMs = static_cast<int64_t>(res.wallMs);
            r.cpuMs = static_cast<int64_t>(res.cpuMs);
            r.memoryKb = static_cast<int64_t>(res.memoryKb);
            r.error = res.errorMessage;
        } catch (const std::exception& e) {
            r.verdict = "sandbox_error";
            r.error = std::string("assay-runner: ") + e.what();
        }
        return r;
    };
#else
    return [socket](const plugin::SandboxJob&) {
        plugin::SandboxResult r;
        r.verdict = "sandbox_error";
        r.error = "this build has no sandbox (containers module); cannot reach " + socket;
        return r;
    };
#endif
}

std::string runnerMetrics(const std::string& socket) {
#if ASSAY_WITH_CONTAINERS
    containers::RunnerClient client(socket, std::chrono::seconds(2));
    return client.metricsText();
#else
    (void)socket;
    return "";
#endif
}

std::string runnerStatus(const std::string& socket) {
#if ASSAY_WITH_CONTAINERS
    containers::RunnerClient client(socket, std::chrono::seconds(2));
    return client.statusJson();
#else
    throw std::runtime_error("this build has no sandbox (containers module)");
#endif
}

}  // namespace assay::app
