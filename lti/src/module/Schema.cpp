// The lti module's tables, in the portable SQL of the core migrations.
#include "assay/lti/PlatformStore.h"

namespace assay::lti {

using db::MigrationStep;

std::vector<db::Migration> schemaMigrations() {
    return {
        {1,
         "lti_registry_and_links",
         {
             // Registered platforms; deployment_ids is a JSON array of strings.
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS lti_platforms (
                id {ID}, issuer {KEY} NOT NULL, client_id {KEY} NOT NULL, name VARCHAR(400) NOT NULL DEFAULT '',
                auth_login_url {TEXT} NOT NULL, token_url {TEXT} NOT NULL, jwks_url {TEXT} NOT NULL,
                deployment_ids {TEXT} NOT NULL, created_at BIGINT NOT NULL){TABLE})"),
             MigrationStep::index("idx_lti_platforms_key", "lti_platforms", "issuer, client_id",
                                  true),
             // One-time dynamic-registration tokens (SHA-256 of the secret).
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS lti_registration_tokens (
                token_hash CHAR(64) NOT NULL PRIMARY KEY, created_by BIGINT, created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL, used_at BIGINT){TABLE})"),
             // OIDC login states (JSON of what the launch must match) and single-use nonces.
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS lti_login_states (
                state_hash CHAR(64) NOT NULL PRIMARY KEY, data {TEXT} NOT NULL,
                expires_at BIGINT NOT NULL){TABLE})"),
             MigrationStep::index("idx_lti_login_states_exp", "lti_login_states", "expires_at"),
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS lti_nonces (
                nonce_hash CHAR(64) NOT NULL PRIMARY KEY, expires_at BIGINT NOT NULL,
                used INTEGER NOT NULL DEFAULT 0){TABLE})"),
             MigrationStep::index("idx_lti_nonces_exp", "lti_nonces", "expires_at"),
             // LMS identities -> Assay users.
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS lti_users (
                issuer {KEY} NOT NULL, sub {KEY} NOT NULL, user_id BIGINT NOT NULL,
                created_at BIGINT NOT NULL, PRIMARY KEY (issuer, sub),
                FOREIGN KEY (user_id) REFERENCES users(id)){TABLE})"),
             MigrationStep::index("idx_lti_users_user", "lti_users", "user_id"),
             // LMS contexts -> Assay courses, with the NRPS URL of the context.
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS lti_contexts (
                id {ID}, issuer {KEY} NOT NULL, client_id {KEY} NOT NULL, deployment_id {KEY} NOT NULL,
                context_id {KEY} NOT NULL, course_id BIGINT NOT NULL, memberships_url {TEXT},
                roster_synced_at BIGINT, created_at BIGINT NOT NULL,
                FOREIGN KEY (course_id) REFERENCES courses(id)){TABLE})"),
             MigrationStep::index("idx_lti_contexts_key", "lti_contexts",
                                  "issuer, deployment_id, context_id", true),
             MigrationStep::index("idx_lti_contexts_course", "lti_contexts", "course_id"),
             // Resource links -> assignments, with the AGS line item of the link.
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS lti_resource_links (
                id {ID}, issuer {KEY} NOT NULL, client_id {KEY} NOT NULL, deployment_id {KEY} NOT NULL,
                link_id {KEY} NOT NULL, course_id BIGINT NOT NULL, assignment_id BIGINT NOT NULL,
                lineitem_url {TEXT}, lineitems_url {TEXT}, created_at BIGINT NOT NULL){TABLE})"),
             MigrationStep::index("idx_lti_links_key", "lti_resource_links",
                                  "issuer, deployment_id, link_id", true),
             MigrationStep::index("idx_lti_links_assignment", "lti_resource_links",
                                  "assignment_id"),
             // Deep-linking requests waiting for the instructor's choice.
             MigrationStep::sql(R"(CREATE TABLE IF NOT EXISTS lti_deep_links (
                token_hash CHAR(64) NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, course_id BIGINT NOT NULL,
                request {TEXT} NOT NULL, expires_at BIGINT NOT NULL){TABLE})"),
         }},
    };
}

}  // namespace assay::lti
