#pragma once
// Connects the plugin host's sandbox handle to assay-runner over its Unix socket.
#include <string>

#include "assay/core/plugins/plugin_manager.h"

namespace assay::app {

// A SandboxRunner that sends each job to assay-runner at `socket`. When the build has no
// containers module, every job answers sandbox_error.
SandboxRunner runnerAt(const std::string& socket);

// assay-runner's own metrics in the Prometheus text format ("" without the containers module).
std::string runnerMetrics(const std::string& socket);

// assay-runner's pool and counters as a JSON object's text. Throws when the runner cannot
// answer or the build has no containers module.
std::string runnerStatus(const std::string& socket);

}  // namespace assay::app
