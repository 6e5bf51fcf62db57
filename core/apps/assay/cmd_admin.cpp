// assay admin ..., assay db ...
#include <unistd.h>

#include <iostream>

#include "assay/core/auth/crypto.h"
#include "assay/core/log.h"
#include "assay/core/store/migrations.h"
#include "cli.h"

namespace assay::cli {
namespace {

std::string readPasswordOrGenerate(Context& ctx, bool& generated) {
    generated = false;
    if (ctx.flag("password-stdin")) {
        std::string p;
        std::getline(std::cin, p);
        if (p.size() < 10) throw UsageError("the password needs at least 10 characters");
        return p;
    }
    generated = true;
    return crypto::randomToken(12);
}

int hashIterations(Context& ctx) {
    return static_cast<int>(ctx.config.integer("auth.pbkdf2_iterations"));
}

}  // namespace

void registerAdmin(std::vector<Command>& cmds) {
    cmds.push_back({{"db", "migrate"},
                    "",
                    "apply pending schema migrations (safe to run again)",
                    [](Context& ctx) {
                        ctx.noMoreArgs();
                        auto db = db::open(ctx.config.databaseUrl(), 1, 5000);
                        std::cout << "database " << log::redactUrl(ctx.config.databaseUrl())
                                  << "\n";
                        auto r = db::migrate(*db);
                        for (const auto& m : r.applied)
                            std::cout << "  applied " << m << "\n";
                        std::cout << "schema version " << r.toVersion
                                  << (r.applied.empty() ? " (already up to date)" : "") << "\n";
                        return 0;
                    }});
    cmds.push_back({{"db", "status"}, "", "show the schema version", [](Context& ctx) {
                        ctx.noMoreArgs();
                        auto db = db::open(ctx.config.databaseUrl(), 1, 5000);
                        const int cur = db::currentSchemaVersion(*db),
                                  latest = db::latestSchemaVersion();
                        std::cout << "schema version " << cur << " of " << latest
                                  << (cur < latest ? " (run 'assay db migrate')" : " (up to date)")
                                  << "\n";
                        return cur < latest ? 1 : 0;
                    }});
    cmds.push_back({{"admin", "create-user"},
                    "USERNAME --role admin|instructor|student [--name NAME] [--email EMAIL] "
                    "[--password-stdin]",
                    "create a local account; without --password-stdin a one-time password is "
                    "generated and printed",
                    [](Context& ctx) {
                        NewUser n;
                        auto role = parseRole(ctx.option("role"));
                        if (!role) throw UsageError("--role must be admin, instructor or student");
                        n.role = *role;
                        n.displayName = ctx.option("name");
                        n.email = ctx.option("email");
                        bool generated = false;
                        const std::string password = readPasswordOrGenerate(ctx, generated);
                        n.username = ctx.positional(0, "USERNAME");
                        n.passwordHash = crypto::hashPassword(password, hashIterations(ctx));
                        n.mustChangePassword = generated;
                        User u = ctx.store().createUser(n);
                        ctx.store().logEvent(
                            Event{0, 0, std::nullopt, "user.created", u.username, "cli", "", "{}"});
                        std::cout << "created " << roleName(u.role) << " '" << u.username
                                  << "' (id " << u.id << ")\n";
                        if (generated) std::cout << "one-time password: " << password << "\n";
                        return 0;
                    }});
    cmds.push_back({{"admin", "reset-password"},
                    "USERNAME [--password-stdin]",
                    "set a new password; without --password-stdin a one-time password is generated "
                    "and printed",
                    [](Context& ctx) {
                        bool generated = false;
                        const std::string password = readPasswordOrGenerate(ctx, generated);
                        const std::string name = ctx.positional(0, "USERNAME");
                        auto u = ctx.store().findUserByName(name);
                        if (!u) {
                            std::cerr << "assay: no user named '" << name << "'\n";
                            return 1;
                        }
                        ctx.store().setPassword(
                            u->id, crypto::hashPassword(password, hashIterations(ctx)), generated);
                        ctx.store().logEvent(Event{0, 0, std::nullopt, "auth.password_reset",
                                                   u->username, "cli", "", "{}"});
                        std::cout << "password of '" << u->username << "' reset\n";
                        if (generated) std::cout << "one-time password: " << password << "\n";
                        return 0;
                    }});
}

}  // namespace assay::cli
