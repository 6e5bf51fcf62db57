// assay lrs credentials add|list|remove: client credentials of the built-in LRS, straight in
// the database (the same --config/--data-dir as assayd).
#include <iostream>
#include <sstream>

#include "cli.h"
#if __has_include("assay/xapi/XapiModule.h")
#include "assay/core/store/migrations.h"
#include "assay/xapi/LrsClients.h"
#include "assay/xapi/XapiModule.h"
#define ASSAY_HAVE_XAPI 1
#endif

namespace assay::cli {

#ifdef ASSAY_HAVE_XAPI
namespace {

xapi::Credentials& credentials(Context& ctx) {
    static std::unique_ptr<xapi::Credentials> store;
    if (!store) {
        db::migrate(ctx.database(), {{"xapi", xapi::XapiModule().migrations()}});
        store = std::make_unique<xapi::Credentials>(ctx.database());
    }
    return *store;
}

}  // namespace

void registerLrs(std::vector<Command>& cmds) {
    cmds.push_back({{"lrs", "credentials", "add"},
                    "NAME [--scope SCOPE]... (all, all/read, statements/write, statements/read, "
                    "statements/read/mine, state, define, profile; default all)",
                    "issue an LRS client credential; prints its key and secret once",
                    [](Context& ctx) {
                        const std::string name = ctx.positional(0, "NAME");
                        // --scope may repeat; --scopes "a b" is the older spelling.
                        std::string given = ctx.option("scopes");
                        for (std::string s; !(s = ctx.option("scope")).empty();)
                            given += " " + s;
                        for (auto& c : given)
                            if (c == ',') c = ' ';
                        std::vector<std::string> scopes;
                        std::istringstream in(given);
                        for (std::string s; in >> s;)
                            scopes.push_back(s);
                        ctx.noMoreArgs();
                        auto issued = credentials(ctx).add(name, scopes);
                        std::cout << "key:    " << issued.credential.key << "\n"
                                  << "secret: " << issued.secret << "\n"
                                  << "The secret is not stored and cannot be shown again.\n";
                        return 0;
                    }});
    cmds.push_back(
        {{"lrs", "credentials", "list"}, "", "list the LRS client credentials", [](Context& ctx) {
             ctx.noMoreArgs();
             for (const auto& c : credentials(ctx).list()) {
                 std::cout << c.id << "\t" << c.name << "\t" << c.key << "\t";
                 for (size_t i = 0; i < c.scopes.size(); ++i)
                     std::cout << (i ? " " : "") << c.scopes[i];
                 std::cout << "\n";
             }
             return 0;
         }});
    cmds.push_back({{"lrs", "credentials", "remove"},
                    "NAME|KEY",
                    "revoke an LRS client credential",
                    [](Context& ctx) {
                        const std::string which = ctx.positional(0, "NAME|KEY");
                        ctx.noMoreArgs();
                        if (!credentials(ctx).removeByName(which)) {
                            std::cerr << "no credential named " << which << "\n";
                            return 1;
                        }
                        std::cout << "removed " << which << "\n";
                        return 0;
                    }});
}
#else
void registerLrs(std::vector<Command>&) {}  // built without the xapi module
#endif

}  // namespace assay::cli
