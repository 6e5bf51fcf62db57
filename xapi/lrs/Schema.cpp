// The xapi module's tables. Long identifiers (agent keys, activity and verb IRIs, document
// ids) are indexed by their SHA-256 so every key fits an index on both engines.
#include "assay/xapi/XapiModule.h"

namespace assay::xapi {

using db::MigrationStep;

namespace {

const char* const kClosurePass = R"(INSERT INTO xapi_statement_targets (statement_id, target_id)
                SELECT DISTINCT a.statement_id, b.target_id FROM xapi_statement_targets a
                JOIN xapi_statement_targets b ON b.statement_id = a.target_id
                WHERE a.statement_id <> b.target_id AND NOT EXISTS (SELECT 1 FROM
                xapi_statement_targets c WHERE c.statement_id = a.statement_id AND
                c.target_id = b.target_id))";

}  // namespace

std::vector<db::Migration> XapiModule::migrations() const {
    return {
        {1,
         "lrs_statements_documents_credentials_forwarding",
         {
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_statements (
                statement_id CHAR(36) NOT NULL PRIMARY KEY, stored_ms BIGINT NOT NULL,
                verb_hash CHAR(64) NOT NULL, registration CHAR(36), voided INTEGER NOT NULL DEFAULT 0,
                voids_id CHAR(36), credential_id BIGINT, body {TEXT} NOT NULL){TABLE})"),
             MigrationStep::index("idx_xapi_st_stored", "xapi_statements",
                                  "stored_ms, statement_id"),
             MigrationStep::index("idx_xapi_st_verb", "xapi_statements", "verb_hash, stored_ms"),
             MigrationStep::index("idx_xapi_st_reg", "xapi_statements", "registration, stored_ms"),
             MigrationStep::index("idx_xapi_st_voids", "xapi_statements", "voids_id"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_statement_agents (
                statement_id CHAR(36) NOT NULL, agent_hash CHAR(64) NOT NULL,
                direct INTEGER NOT NULL, PRIMARY KEY (agent_hash, statement_id)){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_statement_activities (
                statement_id CHAR(36) NOT NULL, activity_hash CHAR(64) NOT NULL,
                direct INTEGER NOT NULL, PRIMARY KEY (activity_hash, statement_id)){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_attachments (
                sha2 VARCHAR(128) NOT NULL PRIMARY KEY, content_type VARCHAR(255) NOT NULL,
                content {BLOB} NOT NULL){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_activities (
                activity_hash CHAR(64) NOT NULL PRIMARY KEY, activity_id {TEXT} NOT NULL,
                definition {TEXT}){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_documents (
                id {ID}, kind VARCHAR(16) NOT NULL, scope CHAR(64) NOT NULL, doc_hash CHAR(64) NOT NULL,
                doc_id {TEXT} NOT NULL, content_type VARCHAR(255) NOT NULL, content {BLOB} NOT NULL,
                etag VARCHAR(80) NOT NULL, updated_ms BIGINT NOT NULL){TABLE})"),
             MigrationStep::index("idx_xapi_doc_key", "xapi_documents", "scope, doc_hash", true),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_credentials (
                id {ID}, name {KEY} NOT NULL, client_key {KEY} NOT NULL UNIQUE, secret_hash CHAR(64) NOT NULL,
                scopes VARCHAR(255) NOT NULL, created_ms BIGINT NOT NULL){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_targets (
                id {ID}, name {KEY} NOT NULL, endpoint VARCHAR(1000) NOT NULL, username VARCHAR(255) NOT NULL,
                secret_sealed {TEXT} NOT NULL, verbs {TEXT} NOT NULL, created_ms BIGINT NOT NULL){TABLE})"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_forward_queue (
                id {ID}, target_id BIGINT NOT NULL, statement_id CHAR(36) NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, due_ms BIGINT NOT NULL, last_error {TEXT}){TABLE})"),
             MigrationStep::index("idx_xapi_fq_due", "xapi_forward_queue", "target_id, due_ms, id"),
         }},
        {2,
         "lrs_statement_refs",
         {
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_statement_refs (
                statement_id CHAR(36) NOT NULL PRIMARY KEY, target_id CHAR(36) NOT NULL){TABLE})"),
             MigrationStep::index("idx_xapi_refs_target", "xapi_statement_refs", "target_id"),
         }},
        {3,
         "lrs_statement_ref_chains_and_config_targets",
         {
             // Every statement a statement targets through a chain of StatementRefs (voiding
             // statements included), so queries follow chains with one join.
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS xapi_statement_targets (
                statement_id CHAR(36) NOT NULL, target_id CHAR(36) NOT NULL,
                PRIMARY KEY (statement_id, target_id)){TABLE})"),
             MigrationStep::index("idx_xapi_targets_target", "xapi_statement_targets",
                                  "target_id, statement_id"),
             MigrationStep::sql(R"(INSERT INTO xapi_statement_targets (statement_id, target_id)
                SELECT statement_id, target_id FROM xapi_statement_refs
                WHERE statement_id <> target_id)"),
             MigrationStep::sql(R"(INSERT INTO xapi_statement_targets (statement_id, target_id)
                SELECT statement_id, voids_id FROM xapi_statements
                WHERE voids_id IS NOT NULL AND voids_id <> statement_id)"),
             // Each pass doubles the chain length covered: six reach chains of 64.
             MigrationStep::sql(kClosurePass),
             MigrationStep::sql(kClosurePass),
             MigrationStep::sql(kClosurePass),
             MigrationStep::sql(kClosurePass),
             MigrationStep::sql(kClosurePass),
             MigrationStep::sql(kClosurePass),
             // Forwarding targets defined in the configuration file ("config") or by the API.
             MigrationStep::sql(
                 "ALTER TABLE xapi_targets ADD COLUMN origin VARCHAR(16) NOT NULL DEFAULT 'api'"),
         }},
    };
}

}  // namespace assay::xapi
