// assay-runner: the privileged daemon that owns the sandbox containers.
#include <assay/containers/runner_client.h>
#include <assay/containers/sandbox/runner_server.h>
#include <assay/containers/sandbox/sandbox_pool.h>

#include <grp.h>
#include <unistd.h>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

const char* const kUsage = R"(usage: assay-runner [options]
Runs student programs in a warm pool of LXC containers and serves jobs on a Unix socket.

  --socket PATH      socket to listen on (default /run/assay/runner.sock)
  --group NAME       group that may use the socket (mode 0660; default: root only)
  --image DIR        image root filesystem (default /var/lib/assay/images/default/rootfs,
                     built by containers/image/build-image.sh)
  --host-bind        development mode: bind the host's /usr read-only instead of an image
  --liblxc-attach    start runs with liblxc's attach instead of through each
                     container's helper (slower; see docs/PERFORMANCE.md)
  --pool N           containers in the warm pool (default: number of cores)
  --init PATH        the containers' init (default: assay-init beside this program)
  --lxc-path DIR     liblxc state and logs (default /run/assay/lxc)
  -h, --help         this text

Protocol and limits: docs/sandbox.md. Needs root, user namespaces and the memory, pids,
cpuacct (cgroup v1) or memory, pids, cpu (cgroup v2) controllers.
)";

std::string besideSelf(const std::string& name) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? name : (self.parent_path() / name).string();
}

}  // namespace

int main(int argc, char** argv) {
    using namespace assay::containers;
    SandboxConfig config;
    config.rootfs = "/var/lib/assay/images/default/rootfs";
    config.initBinary = besideSelf("assay-init");
    RunnerServerOptions server;
    server.socketPath = kDefaultRunnerSocket;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "assay-runner: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (a == "--socket") {
            server.socketPath = value();
        } else if (a == "--group") {
            const std::string name = value();
            const group* g = ::getgrnam(name.c_str());
            if (g == nullptr) {
                std::cerr << "assay-runner: no group " << name << "\n";
                return 2;
            }
            server.socketGroup = g->gr_gid;
        } else if (a == "--image") {
            config.rootfs = value();
        } else if (a == "--host-bind") {
            config.hostBind = true;
        } else if (a == "--liblxc-attach") {
            config.liblxcAttach = true;
        } else if (a == "--pool") {
            config.poolSize = static_cast<unsigned>(std::stoul(value()));
        } else if (a == "--init") {
            config.initBinary = value();
        } else if (a == "--lxc-path") {
            config.lxcPath = value();
        } else {
            std::cerr << "assay-runner: unknown option " << a << "\n" << kUsage;
            return 2;
        }
    }
    if (::geteuid() != 0) {
        std::cerr << "assay-runner: must run as root (it creates containers)\n";
        return 1;
    }
    if (!config.hostBind && !std::filesystem::exists(config.rootfs + "/usr/bin/python3")) {
        std::cerr << "assay-runner: no image at " << config.rootfs
                  << " (build it with containers/image/build-image.sh, or use --host-bind)\n";
        return 1;
    }
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        std::filesystem::create_directories(std::filesystem::path(server.socketPath).parent_path());
        SandboxPool pool(config);
        RunnerServer srv(pool, server);
        srv.start();
        std::cerr << "assay-runner: " << pool.config().poolSize
                  << " containers ready, listening on " << server.socketPath << "\n";
        int sig = 0;
        sigwait(&stopSignals, &sig);
        std::cerr << "assay-runner: stopping (signal " << sig << ")\n";
        srv.stop();
    } catch (const std::exception& e) {
        std::cerr << "assay-runner: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
