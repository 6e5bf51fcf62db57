// assay: the command line for administrators, instructors and developers.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

#include "assay/core/error.h"
#include "assay/core/log.h"
#include "assay/core/privileges.h"
#include "assay/core/store/migrations.h"
#include "cli.h"

namespace assay::cli {

db::Database& Context::database() {
    if (!db_) {
        // Files the CLI creates must stay usable by assayd: as root, act as the service account
        // when it owns the data directory.
        struct stat st {};
        struct passwd* pw = getpwnam(config.str("user").c_str());
        if (geteuid() == 0 && pw && stat(config.dataDir().c_str(), &st) == 0 &&
            st.st_uid == pw->pw_uid)
            dropPrivileges(config.str("user"));
        db_ = db::open(config.databaseUrl(), 2,
                       static_cast<int>(config.durationMs("db.busy_timeout")));
        db::migrate(*db_);
    }
    return *db_;
}

Store& Context::store() {
    if (!store_) store_ = std::make_unique<Store>(database());
    return *store_;
}

std::string Context::option(const std::string& name, const std::string& fallback) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--" + name) {
            if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
            std::string v = args[i + 1];
            args.erase(args.begin() + static_cast<long>(i),
                       args.begin() + static_cast<long>(i) + 2);
            return v;
        }
        if (args[i].rfind("--" + name + "=", 0) == 0) {
            std::string v = args[i].substr(name.size() + 3);
            args.erase(args.begin() + static_cast<long>(i));
            return v;
        }
    }
    return fallback;
}

bool Context::flag(const std::string& name) {
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i] == "--" + name) {
            args.erase(args.begin() + static_cast<long>(i));
            return true;
        }
    return false;
}

std::string Context::positional(size_t index, const std::string& what) {
    size_t seen = 0;
    for (const auto& a : args) {
        if (a.rfind("--", 0) == 0) throw UsageError("unknown option " + a);
        if (seen++ == index) return a;
    }
    throw UsageError("missing " + what);
}

void Context::noMoreArgs() {
    for (const auto& a : args)
        if (a.rfind("--", 0) == 0) throw UsageError("unknown option " + a);
}

}  // namespace assay::cli

namespace {

using assay::cli::Command;

void printHelp(const std::vector<Command>& cmds) {
    std::cout << "usage: assay [--config FILE] [--data-dir DIR] [--db URL] [--runner SOCKET]\n"
                 "             [--server URL] [--token TOKEN] COMMAND [ARGS]\n\n"
                 "Commands:\n";
    for (const auto& c : cmds) {
        std::string words;
        for (const auto& w : c.words)
            words += w + " ";
        std::string line = "  " + words + c.usage;
        if (line.size() < 48)
            line.resize(48, ' ');
        else
            line += "\n" + std::string(48, ' ');
        std::cout << line << c.summary << "\n";
    }
    std::cout << "\nRun 'assay COMMAND --help' for a command's details. Common options locate the "
                 "installation\n"
                 "the same way assayd does (see docs/configuration.md).\n";
}

void printCommandHelp(const Command& c) {
    std::string words;
    for (const auto& w : c.words)
        words += w + " ";
    std::cout << "usage: assay [--config FILE] [--data-dir DIR] [--db URL] " << words << c.usage
              << "\n\n"
              << c.summary << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<Command> cmds;
    assay::cli::registerDoctor(cmds);
    assay::cli::registerAdmin(cmds);
    assay::cli::registerAssignment(cmds);
    assay::cli::registerPlugins(cmds);
#ifdef ASSAY_WITH_LTI
    assay::cli::registerPlatforms(cmds);
#endif
#ifdef ASSAY_WITH_XAPI
    assay::cli::registerLrs(cmds);
#endif
    assay::cli::registerGrade(cmds);
    assay::cli::registerAnalyze(cmds);
    assay::cli::registerSandbox(cmds);

    assay::cli::Context ctx;
    std::vector<std::string> args(argv + 1, argv + argc);
    // Common options may stand anywhere.
    std::string configFile;
    std::vector<std::pair<std::string, std::string>> overrides;
    std::vector<std::string> rest;
    for (size_t i = 0; i < args.size(); ++i) {
        static const std::map<std::string, std::string> keys = {
            {"--data-dir", "data_dir"}, {"--db", "db.url"},      {"--runner", "runner.socket"},
            {"--config", ""},           {"--server", "#server"}, {"--token", "#token"}};
        auto eq = args[i].find('=');
        std::string name = args[i].substr(0, eq);
        auto it = keys.find(name);
        if (it == keys.end()) {
            rest.push_back(args[i]);
            continue;
        }
        std::string value;
        if (eq != std::string::npos)
            value = args[i].substr(eq + 1);
        else if (i + 1 < args.size())
            value = args[++i];
        else {
            std::cerr << "assay: " << name << " needs a value\n";
            return 2;
        }
        if (it->second.empty())
            configFile = value;
        else if (it->second == "#server")
            ctx.server = value;
        else if (it->second == "#token")
            ctx.token = value;
        else
            overrides.emplace_back(it->second, value);
    }
    try {
        if (!configFile.empty()) ctx.config.loadFile(configFile);
        for (const auto& [k, v] : overrides)
            ctx.config.set(k, v);
    } catch (const assay::ConfigError& e) {
        std::cerr << "assay: configuration error: " << e.what() << "\n";
        return 2;
    }
    if (rest.empty() || rest[0] == "--help" || rest[0] == "-h" || rest[0] == "help") {
        printHelp(cmds);
        return rest.empty() ? 2 : 0;
    }
    // Longest match of command words.
    const Command* found = nullptr;
    size_t used = 0;
    for (const auto& c : cmds) {
        if (c.words.size() > rest.size()) continue;
        bool match = true;
        for (size_t i = 0; i < c.words.size() && match; ++i)
            match = c.words[i] == rest[i];
        if (match && c.words.size() > used) {
            found = &c;
            used = c.words.size();
        }
    }
    if (!found) {
        std::string group = rest[0];
        bool isGroup = false;
        for (const auto& c : cmds)
            isGroup = isGroup || c.words[0] == group;
        std::cerr << "assay: "
                  << (isGroup ? "unknown or missing subcommand for '" + group + "'"
                              : "unknown command '" + group + "'")
                  << "\n\n";
        printHelp(cmds);
        return 2;
    }
    ctx.args.assign(rest.begin() + static_cast<long>(used), rest.end());
    for (const auto& a : ctx.args)
        if (a == "--help" || a == "-h") {
            printCommandHelp(*found);
            return 0;
        }
    assay::log::setup("warning");
    try {
        return found->run(ctx);
    } catch (const assay::cli::UsageError& e) {
        std::cerr << "assay: " << e.what() << "\n\n";
        printCommandHelp(*found);
        return 2;
    } catch (const assay::ApiError& e) {
        std::cerr << "assay: " << e.what() << " [" << e.code() << "]\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "assay: " << e.what() << "\n";
        return 1;
    }
}
