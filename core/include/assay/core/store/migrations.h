#pragma once
// Versioned schema migrations, applied at start-up and by `assay db migrate`.
// Each migration runs once; re-running is a no-op. SQLite applies each one inside a
// transaction; MySQL commits DDL implicitly, so every step there is written to be re-runnable.
#include <string>
#include <vector>

#include "assay/core/store/db.h"

namespace assay::db {

// One step: portable SQL, or an index created when it is missing. SQL may use the tokens
// {ID} (auto-increment primary key), {KEY} (indexable string), {TEXT} (large text),
// {BLOB} (large binary) and {TABLE} (table options), expanded for each engine.
struct MigrationStep {
    std::string text;
    std::string indexName, indexTable, indexColumns;
    bool unique = false;

    static MigrationStep sql(std::string text);
    static MigrationStep index(std::string name, std::string table, std::string cols,
                               bool unique = false);
};

struct Migration {
    int version;  // 1, 2, ... within its module
    std::string name;
    std::vector<MigrationStep> steps;
};

// A module's own schema (lti, xapi, ...), versioned separately from the core's.
struct ModuleMigrations {
    std::string module;
    std::vector<Migration> migrations;
};

struct MigrationReport {
    int fromVersion = 0;  // the core schema's version before and after
    int toVersion = 0;
    std::vector<std::string> applied;  // "core 2 plugins_and_outbox"
};

int latestSchemaVersion();               // of the core schema
int currentSchemaVersion(Database& db);  // of the core schema
// Applies the core's migrations, then each module's, in order.
MigrationReport migrate(Database& db, const std::vector<ModuleMigrations>& modules = {});

}  // namespace assay::db
