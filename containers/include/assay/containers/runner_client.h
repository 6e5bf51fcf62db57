// Client side of the runner protocol: what assayd and the assay CLI use to run jobs.
#pragma once

#include <assay/containers/job.h>
#include <assay/containers/protocol.h>

#include <chrono>
#include <memory>
#include <string>

namespace assay::containers {

inline constexpr const char* kDefaultRunnerSocket = "/run/assay/runner.sock";

// Thread-safe. Connections are kept open between calls and reused (by one call at a time), so
// that a job costs the runner no new connection and thread; copies share them. A kept
// connection the runner has closed meanwhile (it closes idle ones after 30 s) is replaced.
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
    struct Idle;  // the kept connections
    std::string roundTrip(const std::string& payload) const;
    int connectNew() const;

    std::string socketPath_;
    std::chrono::milliseconds ioTimeout_;
    std::shared_ptr<Idle> idle_;
};

}  // namespace assay::containers
