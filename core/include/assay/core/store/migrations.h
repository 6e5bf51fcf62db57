#pragma once
// Versioned schema migrations, applied at start-up and by `assay db migrate`.
// Each migration runs once; re-running is a no-op. SQLite applies each one inside a
// transaction; MySQL commits DDL implicitly, so every step there is written to be re-runnable.
#include <string>
#include <vector>

#include "assay/core/store/db.h"

namespace assay::db {

struct MigrationReport {
    int fromVersion = 0;
    int toVersion = 0;
    std::vector<std::string> applied;  // "3 submissions_ordinal"
};

int latestSchemaVersion();
int currentSchemaVersion(Database& db);
MigrationReport migrate(Database& db);

}  // namespace assay::db
