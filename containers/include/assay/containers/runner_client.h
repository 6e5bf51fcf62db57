// Client side of the runner protocol: what assayd and the assay CLI use to run jobs.
#pragma once

#include <assay/containers/job.h>
#include <assay/containers/protocol.h>

#include <chrono>
#include <string>

namespace assay::containers {

inline constexpr const char* kDefaultRunnerSocket = "/run/assay/runner.sock";

// One request per connection; thread-safe (holds no connection between calls).
// Errors reach the caller as ProtocolError: Internal when the socket cannot be reached.
class RunnerClient {
  public:
    explicit RunnerClient(std::string socketPath = kDefaultRunnerSocket,
                          std::chrono::milliseconds ioTimeout = std::chrono::minutes(10));

    RunResult run(const Job& job) const;
    std::string statusJson() const;   // pool and counters as a JSON object
    std::string metricsText() const;  // the same in Prometheus text format

    const std::string& socketPath() const { return socketPath_; }

  private:
    std::string roundTrip(const std::string& payload) const;

    std::string socketPath_;
    std::chrono::milliseconds ioTimeout_;
};

}  // namespace assay::containers
