// assay doctor: checks what the appliance needs and says in plain words what is wrong.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "assay/core/log.h"
#include "assay/core/store/migrations.h"
#include "cli.h"
#if ASSAY_WITH_CONTAINERS
#include <assay/containers/sandbox_doctor.h>
#endif

namespace assay::cli {
namespace fs = std::filesystem;
namespace {

struct Report {
    int failures = 0, warnings = 0;
    void ok(const std::string& what) { std::cout << "  ok    " << what << "\n"; }
    void warn(const std::string& what, const std::string& fix) {
        ++warnings;
        std::cout << "  warn  " << what << "\n        -> " << fix << "\n";
    }
    void fail(const std::string& what, const std::string& fix) {
        ++failures;
        std::cout << "  FAIL  " << what << "\n        -> " << fix << "\n";
    }
};

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void checkKernel(Report& r) {
    std::cout << "Kernel features for LXC\n";
    if (fs::exists("/proc/self/ns/user")) {
        const std::string max = readFile("/proc/sys/user/max_user_namespaces");
        if (!max.empty() && std::stol(max) == 0)
            r.fail("user namespaces are disabled (user.max_user_namespaces = 0)",
                   "enable them: sysctl -w user.max_user_namespaces=15000 (and in /etc/sysctl.d/)");
        else
            r.ok("user namespaces available");
    } else {
        r.fail("the kernel has no user namespaces",
               "use a kernel built with CONFIG_USER_NS (Debian's is)");
    }
    if (fs::exists("/proc/self/ns/net"))
        r.ok("network namespaces available");
    else
        r.fail("the kernel has no network namespaces", "use a kernel built with CONFIG_NET_NS");

    const bool v2 = fs::exists("/sys/fs/cgroup/cgroup.controllers");
    if (v2) {
        const std::string ctl = readFile("/sys/fs/cgroup/cgroup.controllers");
        r.ok("cgroup v2 (unified hierarchy)");
        for (const char* c : {"memory", "pids", "cpu"}) {
            if (ctl.find(c) != std::string::npos)
                r.ok(std::string("cgroup controller '") + c + "'");
            else
                r.fail(std::string("cgroup v2 controller '") + c + "' is not enabled",
                       "enable it at boot (systemd.unified_cgroup_hierarchy=1; "
                       "cgroup_enable=memory on some kernels)");
        }
    } else {
        r.ok("cgroup v1 (legacy hierarchy)");
        for (const char* c : {"memory", "pids", "cpu", "cpuacct", "freezer"}) {
            if (fs::exists(std::string("/sys/fs/cgroup/") + c))
                r.ok(std::string("cgroup v1 controller '") + c + "' mounted");
            else
                r.fail(std::string("cgroup v1 controller '") + c + "' is not mounted",
                       std::string("mount it: mkdir -p /sys/fs/cgroup/") + c +
                           " && mount -t cgroup -o " + c + " cgroup /sys/fs/cgroup/" + c);
        }
    }
    bool lxc = false;
    for (const char* p : {"/usr/lib/x86_64-linux-gnu/liblxc.so.1",
                          "/usr/lib/aarch64-linux-gnu/liblxc.so.1", "/usr/lib/liblxc.so.1"})
        lxc = lxc || fs::exists(p);
    if (lxc)
        r.ok("liblxc installed");
    else
        r.fail("liblxc is not installed", "apt-get install lxc");
}

void checkRunner(Report& r, const std::string& socket) {
    std::cout << "Sandbox runner\n";
    try {
        Poco::Net::StreamSocket s;
        s.connect(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, socket),
                  Poco::Timespan(2, 0));
        r.ok("assay-runner answers at " + socket);
    } catch (const Poco::Exception& e) {
        r.fail("assay-runner is not reachable at " + socket + " (" + e.displayText() + ")",
               fs::exists(socket)
                   ? "the socket exists but nobody listens: restart it (systemctl restart "
                     "assay-runner)"
                   : "start it: systemctl start assay-runner, or assay-runner --socket " + socket);
    }
}

void checkDatabase(Report& r, Context& ctx) {
    std::cout << "Database\n";
    const std::string url = ctx.config.databaseUrl();
    try {
        auto db = db::open(url, 1, 2000);
        r.ok("connected to " + db->description());
        const int cur = db::currentSchemaVersion(*db), latest = db::latestSchemaVersion();
        if (cur == latest)
            r.ok("schema is at version " + std::to_string(cur));
        else if (cur < latest)
            r.warn("schema is at version " + std::to_string(cur) + " of " + std::to_string(latest),
                   "run 'assay db migrate' (assayd also migrates when it starts)");
        else
            r.fail("schema version " + std::to_string(cur) + " is newer than this program knows",
                   "upgrade Assay");
    } catch (const std::exception& e) {
        r.fail(std::string("cannot open the database ") + log::redactUrl(url) + ": " + e.what(),
               url.rfind("sqlite:", 0) == 0
                   ? "check that data_dir exists and is writable by the assay user"
                   : "check db.url, that MariaDB runs, and the account's password and grants");
    }
}

void checkDirs(Report& r, Context& ctx) {
    std::cout << "Files and disk\n";
    const std::string data = ctx.config.dataDir();
    std::error_code ec;
    if (!fs::is_directory(data, ec)) {
        r.fail("data directory '" + data + "' does not exist",
               "create it and give it to the assay user: install -d -o assay -m 700 " + data);
    } else {
        r.ok("data directory " + fs::absolute(data).string());
        struct statvfs st {};
        if (statvfs(data.c_str(), &st) == 0) {
            const double gib =
                static_cast<double>(st.f_bavail) * st.f_frsize / (1024.0 * 1024 * 1024);
            std::ostringstream s;
            s.precision(1);
            s << std::fixed << gib << " GiB free";
            if (gib < 1)
                r.fail("only " + s.str() + " on the data directory's disk",
                       "free space or move data_dir; submissions need room");
            else if (gib < 5)
                r.warn(s.str() + " on the data directory's disk", "plan more space before an exam");
            else
                r.ok(s.str());
        }
    }
    std::string plugins = ctx.config.str("plugins.dir");
    if (plugins.empty()) plugins = data + "/plugins";
    if (fs::is_directory(plugins, ec))
        r.ok("plugin directory " + plugins);
    else
        r.warn("plugin directory '" + plugins + "' does not exist",
               "create it to install vendor plugins: mkdir -p " + plugins);
}

}  // namespace

void registerDoctor(std::vector<Command>& cmds) {
    cmds.push_back(
        {{"doctor"},
         "",
         "check kernel features, cgroups, the runner, the database, directories and disk",
         [](Context& ctx) {
             ctx.noMoreArgs();
             Report r;
             checkKernel(r);
             checkRunner(r, ctx.config.str("runner.socket"));
             checkDatabase(r, ctx);
             checkDirs(r, ctx);
#if ASSAY_WITH_CONTAINERS
             // The sandbox's own view: image, LXC, namespaces, cgroups, the runner.
             std::cout << "Sandbox image and containers\n";
             for (const auto& c : containers::sandboxChecks(
                      ctx.config.str("runner.socket"), "/var/lib/assay/images/default/rootfs")) {
                 if (c.ok)
                     r.ok(c.name + (c.detail.empty() ? "" : ": " + c.detail));
                 else
                     r.fail(c.name, c.detail);
             }
#endif
             std::cout << "\n"
                       << (r.failures ? std::to_string(r.failures) + " problem(s) found"
                                      : std::string("everything needed is in place"))
                       << (r.warnings ? ", " + std::to_string(r.warnings) + " warning(s)" : "")
                       << "\n";
             return r.failures ? 1 : 0;
         }});
}

}  // namespace assay::cli
