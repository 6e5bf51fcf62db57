#pragma once
// A real assay-runner started for a test: its own socket and liblxc directory, stopped (or
// killed) on demand. Needs root and the sandbox image, like the containers suites.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

namespace assay::test {

class RunnerProcess {
  public:
    // `group`: who else may use the socket (the group an unprivileged assayd runs in).
    explicit RunnerProcess(std::string dir, int pool = 2, std::string group = "")
        : dir_(std::move(dir)), pool_(pool), group_(std::move(group)) {
        start();
    }
    ~RunnerProcess() { stop(SIGTERM); }

    void start() {
        std::filesystem::create_directories(dir_ + "/lxc");
        const char* b = std::getenv("ASSAY_BINARY_DIR");
        const std::string bin = std::string(b ? b : ".") + "/containers/assay-runner";
        pid_ = fork();
        if (pid_ == 0) {
            const std::string log = dir_ + "/runner.log";
            if (!freopen(log.c_str(), "a", stdout)) _exit(126);
            dup2(fileno(stdout), 2);
            const std::string pool = std::to_string(pool_);
            const std::string lxc = dir_ + "/lxc";
            if (group_.empty())
                execl(bin.c_str(), "assay-runner", "--socket", socket().c_str(), "--pool",
                      pool.c_str(), "--lxc-path", lxc.c_str(), nullptr);
            else
                execl(bin.c_str(), "assay-runner", "--socket", socket().c_str(), "--pool",
                      pool.c_str(), "--lxc-path", lxc.c_str(), "--group", group_.c_str(), nullptr);
            _exit(127);
        }
        for (int i = 0; i < 300; ++i) {
            if (std::filesystem::exists(socket())) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        throw std::runtime_error("assay-runner did not start; see " + dir_ + "/runner.log");
    }

    void stop(int sig) {
        if (pid_ <= 0) return;
        kill(pid_, sig);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
        if (sig == SIGKILL) {
            std::error_code ec;
            std::filesystem::remove(socket(), ec);
        }
    }

    std::string socket() const { return dir_ + "/runner.sock"; }

  private:
    std::string dir_;
    int pool_;
    std::string group_;
    pid_t pid_ = -1;
};

}  // namespace assay::test
