// assay platforms add|list|remove|registration-url: the LTI platform registry, straight in the
// database (the same --config/--data-dir as assayd).
#include <iostream>

#include "assay/core/store/migrations.h"
#include "assay/lti/Error.h"
#include "assay/lti/PlatformStore.h"
#include "cli.h"

namespace assay::cli {
namespace {

lti::PlatformStore& registry(Context& ctx) {
    static std::unique_ptr<lti::PlatformStore> store;
    if (!store) {
        db::migrate(ctx.database(), {{lti::kModuleName, lti::schemaMigrations()}});
        store = std::make_unique<lti::PlatformStore>(ctx.database());
    }
    return *store;
}

std::string required(Context& ctx, const std::string& name) {
    std::string v = ctx.option(name);
    if (v.empty()) throw UsageError("--" + name + " is required");
    return v;
}

}  // namespace

void registerPlatforms(std::vector<Command>& cmds) {
    cmds.push_back(
        {{"platforms", "list"}, "", "list the registered LTI platforms", [](Context& ctx) {
             ctx.noMoreArgs();
             for (const auto& p : registry(ctx).list()) {
                 std::cout << p.id << "\t" << p.registration.issuer << "\tclient "
                           << p.registration.clientId << "\tdeployments";
                 for (const auto& d : p.registration.deploymentIds)
                     std::cout << " " << d;
                 std::cout << (p.name.empty() ? "" : "\t" + p.name) << "\n";
             }
             return 0;
         }});
    cmds.push_back(
        {{"platforms", "add"},
         "--issuer URL --client-id ID --auth-login-url URL --token-url URL --jwks-url URL "
         "[--deployment-id ID]... [--name NAME]",
         "register an LTI 1.3 platform by hand (or add deployment ids to one)",
         [](Context& ctx) {
             lti::PlatformRegistration r;
             r.issuer = required(ctx, "issuer");
             r.clientId = required(ctx, "client-id");
             r.authLoginUrl = required(ctx, "auth-login-url");
             r.tokenUrl = required(ctx, "token-url");
             r.jwksUrl = required(ctx, "jwks-url");
             for (std::string d = ctx.option("deployment-id"); !d.empty();
                  d = ctx.option("deployment-id"))
                 r.deploymentIds.push_back(d);
             const std::string name = ctx.option("name");
             ctx.noMoreArgs();
             try {
                 auto p = registry(ctx).save(r, name);
                 std::cout << "platform " << p.id << " saved\n";
             } catch (const lti::LtiError& e) {
                 throw UsageError(e.what());
             }
             return 0;
         }});
    cmds.push_back(
        {{"platforms", "remove"}, "ID", "remove a registered platform", [](Context& ctx) {
             const std::string id = ctx.positional(0, "ID");
             ctx.noMoreArgs();
             int64_t n = 0;
             try {
                 n = std::stoll(id);
             } catch (const std::exception&) {
                 throw UsageError("ID must be a number (see 'assay platforms list')");
             }
             if (!registry(ctx).remove(n)) {
                 std::cerr << "no platform " << id << "\n";
                 return 1;
             }
             std::cout << "platform " << id << " removed\n";
             return 0;
         }});
    cmds.push_back({{"platforms", "registration-url"},
                    "[--days N]",
                    "print a one-time LTI dynamic registration URL for an LMS administrator",
                    [](Context& ctx) {
                        const std::string days = ctx.option("days", "7");
                        ctx.noMoreArgs();
                        int64_t d = 0;
                        try {
                            d = std::stoll(days);
                        } catch (const std::exception&) {
                        }
                        if (d < 1 || d > 90) throw UsageError("--days must be 1 to 90");
                        const auto token =
                            registry(ctx).createRegistrationToken(std::nullopt, d * 86400);
                        std::cout << ctx.config.publicUrl() << "/lti/register?token=" << token
                                  << "\n";
                        return 0;
                    }});
}

}  // namespace assay::cli
