// The runner's Unix-socket server: reads framed requests, runs jobs in the pool, replies.
#pragma once

#include <assay/containers/sandbox/sandbox_pool.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace assay::containers {

struct RunnerServerOptions {
    std::string socketPath;
    std::size_t maxMessageBytes = 64u << 20;
    unsigned maxConnections = 256;  // further connections get a "busy" error
    int socketMode = 0660;
    gid_t socketGroup = static_cast<gid_t>(-1);  // -1: keep root's group
};

class RunnerServer {
  public:
    RunnerServer(SandboxPool& pool, RunnerServerOptions options);
    ~RunnerServer();  // stops serving
    RunnerServer(const RunnerServer&) = delete;
    RunnerServer& operator=(const RunnerServer&) = delete;

    void start();  // binds the socket (replacing a stale one) and starts the accept thread
    void stop();

    // Handles one request payload and returns the reply payload (also used by the fuzz target).
    std::string handle(const std::string& payload);

  private:
    void acceptLoop();
    void serveConnection(int fd);

    SandboxPool& pool_;
    RunnerServerOptions options_;
    int listenFd_ = -1;
    bool bound_ = false;  // the socket file is ours to remove
    int wakeFd_[2] = {-1, -1};
    std::atomic<bool> stopping_{false};
    std::atomic<unsigned> connections_{0};
    std::thread acceptThread_;
};

}  // namespace assay::containers
