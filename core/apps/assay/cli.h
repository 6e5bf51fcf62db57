#pragma once
// The `assay` command line: subcommands share the options that locate the installation.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "assay/core/config.h"
#include "assay/core/store/db.h"
#include "assay/core/store/store.h"

namespace assay::cli {

// Thrown for wrong usage; main prints it with the command's help and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Context {
    Config config;
    std::vector<std::string> args;  // after the subcommand words and common options
    std::string server;             // --server: a running assayd (default: public_url)
    std::string token;              // --token: an API token (default: $ASSAY_TOKEN)

    // Opened on first use, migrated.
    Store& store();
    db::Database& database();

    // Options of the form --name VALUE or --name=VALUE; flags as --name.
    std::string option(const std::string& name, const std::string& fallback = "");
    bool flag(const std::string& name);
    std::string positional(size_t index, const std::string& what);
    void noMoreArgs();

  private:
    std::unique_ptr<db::Database> db_;
    std::unique_ptr<Store> store_;
};

struct Command {
    std::vector<std::string> words;  // e.g. {"assignment", "import"}
    std::string usage;               // arguments after the words
    std::string summary;
    std::function<int(Context&)> run;
};

void registerDoctor(std::vector<Command>& cmds);
void registerAdmin(
    std::vector<Command>& cmds);  // admin create-user, admin reset-password, db migrate/status
void registerAssignment(std::vector<Command>& cmds);  // assignment import/export/list
void registerPlugins(std::vector<Command>& cmds);
void registerGrade(std::vector<Command>& cmds);    // grade BUNDLE DIR (offline)
void registerAnalyze(std::vector<Command>& cmds);  // analyze FILE_OR_DIR (static analysis, offline)
void registerSandbox(std::vector<Command>& cmds);  // sandbox run/status     // plugins
                                                   // list/load/enable/disable (via the API)

void registerPlatforms(
    std::vector<Command>& cmds);               // platforms add/list/remove/registration-url (LTI)
void registerLrs(std::vector<Command>& cmds);  // lrs credentials add/list/remove (xAPI)

}  // namespace assay::cli
