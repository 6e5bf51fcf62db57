// assay sandbox run|status: one job in the sandbox, or the runner's pool.
#include <algorithm>
#include <iostream>

#include "cli.h"
#if ASSAY_WITH_CONTAINERS
#include <assay/containers/runner_client.h>
#include <assay/containers/sandbox_cli.h>
#endif

namespace assay::cli {

void registerSandbox(std::vector<Command>& cmds) {
    cmds.push_back(
        {{"sandbox", "run"},
         "[--time S] [--wall S] [--memory SIZE] [--stdin FILE] DIR -- COMMAND...",
         "run COMMAND in a sandbox with the files of DIR and print the result as one JSON object "
         "(exit 0 whenever the sandbox worked, whatever the verdict)",
         [](Context& ctx) {
#if ASSAY_WITH_CONTAINERS
             containers::SandboxRunOptions o;
             o.socketPath = ctx.config.str("runner.socket");
             auto num = [&](const std::string& name) -> std::optional<double> {
                 const std::string v = ctx.option(name);
                 if (v.empty()) return std::nullopt;
                 try {
                     return std::stod(v);
                 } catch (...) {
                     throw UsageError("--" + name + " takes a number of seconds");
                 }
             };
             o.cpuSeconds = num("time");
             o.wallSeconds = num("wall");
             if (auto m = ctx.option("memory"); !m.empty()) o.memory = m;
             if (auto f = ctx.option("stdin"); !f.empty()) o.stdinFile = f;
             auto dash = std::find(ctx.args.begin(), ctx.args.end(), "--");
             if (dash == ctx.args.end() || dash + 1 == ctx.args.end())
                 throw UsageError("give the command after --, e.g. -- python3 main.py");
             o.argv.assign(dash + 1, ctx.args.end());
             ctx.args.erase(dash, ctx.args.end());
             o.dir = ctx.positional(0, "DIR");
             return containers::sandboxRun(o, std::cout, std::cerr);
#else
             (void)ctx;
             std::cerr << "assay: this build has no sandbox (containers module)\n";
             return 1;
#endif
         }});
    cmds.push_back({{"sandbox", "status"},
                    "",
                    "show the runner's pool, busy containers and counters",
                    [](Context& ctx) {
                        ctx.noMoreArgs();
#if ASSAY_WITH_CONTAINERS
                        return containers::sandboxStatus(ctx.config.str("runner.socket"), std::cout,
                                                         std::cerr);
#else
                        std::cerr << "assay: this build has no sandbox (containers module)\n";
                        return 1;
#endif
                    }});
}

}  // namespace assay::cli
