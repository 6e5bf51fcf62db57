// assay plugins list|load|enable|disable: talks to the running assayd through its admin API,
// so changes take effect at once, without a restart.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "assay/core/json.h"
#include "cli.h"

namespace assay::cli {
namespace {

struct Reply {
    int status = 0;
    json::Object body;
};

Reply callApi(Context& ctx, const std::string& method, const std::string& path,
              const std::string& body = "") {
    std::string token = ctx.token;
    if (token.empty()) {
        const char* env = std::getenv("ASSAY_TOKEN");
        token = env ? env : "";
    }
    const std::string server = ctx.server.empty() ? ctx.config.publicUrl() : ctx.server;
    ctx.noMoreArgs();
    if (token.empty())
        throw UsageError(
            "give an administrator's API token with --token or ASSAY_TOKEN (create one on the "
            "admin page "
            "or with POST /api/v1/tokens)");
    Poco::URI uri(server);
    std::unique_ptr<Poco::Net::HTTPClientSession> s;
    if (uri.getScheme() == "https") {
        Poco::Net::Context::Ptr tls =
            new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                   Poco::Net::Context::VERIFY_RELAXED, 9, true);
        s = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls);
    } else {
        s = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    s->setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Authorization", "Bearer " + token);
    if (method == "POST") {
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    try {
        s->sendRequest(req) << body;
        Poco::Net::HTTPResponse resp;
        std::istream& in = s->receiveResponse(resp);
        std::stringstream ss;
        ss << in.rdbuf();
        Reply r;
        r.status = resp.getStatus();
        r.body = json::parseObject(ss.str());
        return r;
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot reach assayd at " + server + ": " + e.displayText() +
                                 " (is it running? use --server URL)");
    }
}

int report(const Reply& r) {
    if (r.status >= 400) {
        auto e = r.body->getObject("error");
        std::cerr << "assay: " << (e ? e->getValue<std::string>("message") : "request failed")
                  << " [" << (e ? e->getValue<std::string>("code") : std::to_string(r.status))
                  << "]\n";
        return 1;
    }
    std::cout << r.body->getValue<std::string>("name") << " "
              << r.body->getValue<std::string>("version") << ": "
              << r.body->getValue<std::string>("state") << "\n";
    return 0;
}

}  // namespace

void registerPlugins(std::vector<Command>& cmds) {
    const std::string common = " [--server URL] [--token TOKEN]";
    cmds.push_back({{"plugins", "list"},
                    common,
                    "list plugins with their version and state",
                    [](Context& ctx) {
                        Reply r = callApi(ctx, "GET", "/api/v1/plugins");
                        if (r.status >= 400) return report(r);
                        auto arr = r.body->getArray("plugins");
                        if (arr->size() == 0) std::cout << "no plugins\n";
                        for (size_t i = 0; i < arr->size(); ++i) {
                            auto p = arr->getObject(static_cast<unsigned>(i));
                            std::string kinds;
                            auto k = p->getArray("kinds");
                            for (size_t j = 0; j < k->size(); ++j) {
                                if (j) kinds += ',';
                                kinds += k->getElement<std::string>(j);
                            }
                            std::cout << p->getValue<std::string>("name") << "\t"
                                      << p->getValue<std::string>("version") << "\t"
                                      << p->getValue<std::string>("state") << "\t" << kinds;
                            if (p->has("last_error"))
                                std::cout << "\t" << p->getValue<std::string>("last_error");
                            std::cout << "\n";
                        }
                        return 0;
                    }});
    cmds.push_back(
        {{"plugins", "load"},
         "PATH|NAME" + common,
         "load a plugin, or a new version of one, into the running server (manifest or .so path, "
         "or a "
         "name in the plugin directory)",
         [](Context& ctx) {
             std::string target = ctx.positional(0, "PATH or NAME");
             ctx.args.erase(ctx.args.begin());
             std::error_code ec;
             const bool isPath =
                 target.find('/') != std::string::npos || std::filesystem::exists(target, ec);
             if (isPath) target = std::filesystem::absolute(target).string();
             auto body = json::parseObject("{}");
             body->set(isPath ? "path" : "name", target);
             return report(callApi(ctx, "POST", "/api/v1/plugins/load", json::stringify(body)));
         }});
    for (const char* verb : {"enable", "disable"}) {
        const std::string v = verb;
        cmds.push_back(
            {{"plugins", v},
             "NAME" + common,
             v == "enable" ? "enable a plugin (also one disabled after repeated failures)"
                           : "disable a plugin; it stays disabled across restarts",
             [v](Context& ctx) {
                 std::string name = ctx.positional(0, "NAME");
                 ctx.args.erase(ctx.args.begin());
                 return report(callApi(ctx, "POST", "/api/v1/plugins/" + name + "/" + v));
             }});
    }
}

}  // namespace assay::cli
