// assayd: the Assay host. Serves the REST API, LTI, xAPI and the pages; owns the database.
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <iostream>

#include "assay/core/config.h"
#include "assay/core/host.h"
#include "assay/core/log.h"
#include "assay/core/privileges.h"
// Modules are optional at build time (-DASSAY_ONLY): each is added when it was built.
#if __has_include("assay/lti/LtiModule.h")
#include "assay/lti/LtiModule.h"
#define ASSAY_HAVE_LTI 1
#endif
#if __has_include("assay/xapi/XapiModule.h")
#include "assay/xapi/XapiModule.h"
#define ASSAY_HAVE_XAPI 1
#endif
#include "sandbox_adapter.h"

using Poco::Util::Option;
using Poco::Util::OptionSet;

class AssaydApp : public Poco::Util::ServerApplication {
  protected:
    void defineOptions(OptionSet& options) override {
        ServerApplication::defineOptions(options);
        auto add = [&](const char* name, const char* arg, const char* help) {
            Option o(name, "", help);
            o.required(false).repeatable(false);
            if (arg) o.argument(arg);
            o.callback(Poco::Util::OptionCallback<AssaydApp>(this, &AssaydApp::onOption));
            options.addOption(o);
        };
        add("help", nullptr, "show this help and exit");
        add("version", nullptr, "print the version and exit");
        add("config", "FILE", "configuration file (docs/configuration.md)");
        add("listen", "HOST:PORT", "address to listen on (default 127.0.0.1:8080)");
        add("data-dir", "DIR", "SQLite database, keys and uploads (default ./var)");
        add("runner", "SOCKET", "Unix socket of assay-runner (default /run/assay/runner.sock)");
        add("db", "URL", "database: sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DB");
        add("log-level", "LEVEL", "debug, info, warning or error");
        add("demo-bundles", "DIR", "import the bundles in DIR into a Demo course on first start");
        add("user", "NAME", "account to switch to when started as root (default assay)");
        add("plugins-dir", "DIR",
            "directory of plugins loaded at start (default data_dir/plugins)");
        add("check-config", nullptr, "validate the configuration and exit");
    }

    void onOption(const std::string& name, const std::string& value) {
        if (name == "help")
            help_ = true;
        else if (name == "version")
            version_ = true;
        else if (name == "check-config")
            checkOnly_ = true;
        else if (name == "config")
            configFile_ = value;
        else
            overrides_.emplace_back(name, value);
        if (help_ || version_) stopOptionsProcessing();
    }

    int main(const std::vector<std::string>& args) override {
        if (help_) {
            Poco::Util::HelpFormatter hf(options());
            hf.setCommand("assayd");
            hf.setUsage("[--config FILE] [--listen HOST:PORT] [--data-dir DIR] [--runner SOCKET]");
            hf.setHeader(
                "The Assay host: REST API, LTI 1.3, xAPI, pages, grading queue and plugins.");
            hf.setFooter(
                "Stops cleanly on SIGTERM or Ctrl-C. See docs/configuration.md for every key.");
            hf.format(std::cout);
            return EXIT_OK;
        }
        if (version_) {
            std::cout << "assayd 0.1.0\n";
            return EXIT_OK;
        }
        if (!args.empty()) {
            std::cerr << "assayd: unexpected argument '" << args[0] << "' (see --help)\n";
            return EXIT_USAGE;
        }
        assay::Config cfg;
        try {
            if (!configFile_.empty()) cfg.loadFile(configFile_);
            static const std::map<std::string, std::string> keys = {
                {"listen", "listen"},
                {"data-dir", "data_dir"},
                {"runner", "runner.socket"},
                {"db", "db.url"},
                {"log-level", "log.level"},
                {"demo-bundles", "demo_bundles"},
                {"user", "user"},
                {"plugins-dir", "plugins.dir"}};
            for (const auto& [opt, value] : overrides_)
                cfg.set(keys.at(opt), value);
        } catch (const assay::ConfigError& e) {
            std::cerr << "assayd: configuration error: " << e.what() << "\n";
            return EXIT_CONFIG;
        }
        if (checkOnly_) {
            std::cout << "configuration is valid\n";
            return EXIT_OK;
        }
        assay::log::setup(cfg.str("log.level"), cfg.str("log.file"));
        auto& lg = assay::log::get("assayd");
        try {
            assay::dropPrivileges(cfg.str("user"));
            assay::Host host(cfg);
            host.setSandbox(assay::app::runnerAt(cfg.str("runner.socket")));
            host.metrics().addTextSource(
                [socket = cfg.str("runner.socket")] { return assay::app::runnerMetrics(socket); });
            host.setSandboxStatus(
                [socket = cfg.str("runner.socket")] { return assay::app::runnerStatus(socket); });
#ifdef ASSAY_HAVE_LTI
            host.addModule(std::make_unique<assay::lti::LtiModule>());
#endif
#ifdef ASSAY_HAVE_XAPI
            host.addModule(std::make_unique<assay::xapi::XapiModule>());
#endif
            auto oneTime = host.open();
            host.start();
            if (oneTime) {
                std::cout
                    << "\n  First start: sign in at " << cfg.publicUrl()
                    << "/ as 'admin' with the one-time password\n\n"
                    << "      " << *oneTime << "\n\n"
                    << "  You will be asked to choose a new password. It is not shown again.\n\n"
                    << std::flush;
            }
            lg.information("assayd ready at " + host.baseUrl() + " (public URL " + cfg.publicUrl() +
                           ")");
            waitForTerminationRequest();
            host.stop(cfg.durationMs("shutdown.grace"));
        } catch (const std::exception& e) {
            lg.fatal(std::string("cannot start: ") + e.what());
            std::cerr << "assayd: " << e.what() << "\n";
            return EXIT_SOFTWARE;
        }
        return EXIT_OK;
    }

  private:
    bool help_ = false, version_ = false, checkOnly_ = false;
    std::string configFile_;
    std::vector<std::pair<std::string, std::string>> overrides_;
};

POCO_SERVER_MAIN(AssaydApp)
