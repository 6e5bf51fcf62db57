#include <assay/containers/sandbox_doctor.h>

#include <assay/containers/runner_client.h>

#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

namespace assay::containers {
namespace {

std::string readFirstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// Controllers usable by containers: v2 lists them in cgroup.controllers, v1 mounts one
// hierarchy each (as named in /proc/cgroups with enabled = 1).
std::set<std::string> controllers(bool& v2) {
    std::set<std::string> out;
    v2 = exists("/sys/fs/cgroup/cgroup.controllers");
    if (v2) {
        std::istringstream in(readFirstLine("/sys/fs/cgroup/cgroup.controllers"));
        std::string c;
        while (in >> c)
            out.insert(c);
        return out;
    }
    std::ifstream in("/proc/cgroups");
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name;
        int hierarchy = 0, groups = 0, enabled = 0;
        if (fields >> name >> hierarchy >> groups >> enabled && enabled == 1 && hierarchy != 0 &&
            exists("/sys/fs/cgroup/" + name)) {
            out.insert(name);
        }
    }
    return out;
}

}  // namespace

std::vector<DoctorCheck> sandboxChecks(const std::string& socketPath,
                                       const std::string& imageRoot) {
    std::vector<DoctorCheck> checks;
    {
        DoctorCheck c{"LXC library", false, ""};
        for (const char* lib :
             {"/usr/lib/x86_64-linux-gnu/liblxc.so.1", "/usr/lib/aarch64-linux-gnu/liblxc.so.1",
              "/usr/lib/liblxc.so.1", "/usr/lib64/liblxc.so.1"}) {
            if (exists(lib)) {
                c.ok = true;
                c.detail = std::string("found ") + lib;
            }
        }
        if (!c.ok) c.detail = "liblxc is not installed: apt-get install lxc";
        checks.push_back(c);
    }
    {
        DoctorCheck c{"user namespaces", false, ""};
        const std::string max = readFirstLine("/proc/sys/user/max_user_namespaces");
        const std::string unpriv = readFirstLine("/proc/sys/kernel/unprivileged_userns_clone");
        if (max.empty()) {
            c.detail =
                "the kernel has no user namespaces (CONFIG_USER_NS): containers cannot map ids";
        } else if (max == "0") {
            c.detail =
                "user namespaces are disabled: set sysctl user.max_user_namespaces to a positive "
                "number";
        } else {
            c.ok = true;
            c.detail = "max_user_namespaces = " + max +
                       (unpriv.empty() ? "" : ", unprivileged_userns_clone = " + unpriv);
        }
        checks.push_back(c);
    }
    {
        bool v2 = false;
        const auto have = controllers(v2);
        const std::vector<std::string> need =
            v2 ? std::vector<std::string>{"memory", "pids", "cpu"}
               : std::vector<std::string>{"memory", "pids", "cpuacct"};
        DoctorCheck c{std::string("cgroup controllers (") + (v2 ? "v2" : "v1") + ")", true, ""};
        std::string missing;
        for (const auto& n : need) {
            if (!have.count(n)) missing += (missing.empty() ? "" : ", ") + n;
        }
        if (!missing.empty()) {
            c.ok = false;
            c.detail = "missing: " + missing +
                       " (limits on memory, processes and CPU time need them; enable them on the "
                       "kernel command line"
                       " or in the init system)";
        } else {
            c.detail = "memory, pids and CPU accounting are available";
        }
        if (v2 && !exists("/sys/fs/cgroup/cgroup.freeze") && !have.empty())
            c.detail += "; no cgroup.freeze at the root";
        if (!v2 && !have.count("freezer"))
            c.detail += "; no freezer (runs are still ended, without freezing first)";
        if (!v2 && exists("/sys/fs/cgroup/memory") &&
            !exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")) {
            c.detail += "; no swap accounting (memory limits then exclude swap)";
        }
        checks.push_back(c);
    }
    {
        DoctorCheck c{"sandbox image", exists(imageRoot + "/usr/bin/python3"), ""};
        c.detail = c.ok ? imageRoot
                        : "no image at " + imageRoot +
                              ": run containers/image/build-image.sh as root (or start the "
                              "runner with --host-bind for development)";
        checks.push_back(c);
    }
    {
        DoctorCheck c{"runner", false, ""};
        try {
            RunnerClient(socketPath, std::chrono::seconds(5)).statusJson();
            c.ok = true;
            c.detail = "assay-runner answers on " + socketPath;
        } catch (const std::exception& e) {
            c.detail = std::string(e.what()) +
                       " (is assay-runner started, and may this user open its socket?)";
        }
        checks.push_back(c);
    }
    return checks;
}

int sandboxDoctor(const std::string& socketPath, const std::string& imageRoot, std::ostream& out) {
    int problems = 0;
    for (const auto& c : sandboxChecks(socketPath, imageRoot)) {
        out << (c.ok ? "ok       " : "MISSING  ") << c.name << ": " << c.detail << "\n";
        problems += c.ok ? 0 : 1;
    }
    return problems;
}

}  // namespace assay::containers
