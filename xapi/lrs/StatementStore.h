// Statements, their index rows, attachments and canonical activity definitions in the
// host's database (SQLite or MariaDB). Every GET filter is an index lookup.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <Poco/JSON/Object.h>

#include "assay/core/store/db.h"
#include "assay/xapi/MoreToken.h"
#include "assay/xapi/Multipart.h"
#include "assay/xapi/StatementIndex.h"
#include "assay/xapi/StatementQuery.h"
#include "assay/xapi/StoredForm.h"

namespace assay::xapi {

struct StoredStatement {
    std::string id;
    int64_t storedMillis = 0;
    std::string body;          // JSON as stored
    int64_t credentialId = 0;  // the LRS credential that stored it (0: Assay or an admin)
};

struct StatementPage {
    std::vector<StoredStatement> statements;
    bool more = false;  // another page follows the last statement
};

class StatementStore {
  public:
    explicit StatementStore(db::Database& db) : db_(db) {}

    // Completes (prepareForStorage) and stores validated statements in one transaction; an
    // id already stored with an equivalent statement is not stored again. Throws ApiError:
    // 409 when a stored statement with the same id differs, 400 when a voiding statement
    // targets a voiding statement. `onStored` runs inside the transaction (e.g. to queue
    // forwarding) with the statements actually inserted. Returns the ids in request order.
    // `define` = false (a credential without the define scope): the statements' activity
    // definitions do not change the canonical ones. Two requests storing one id at the same
    // moment are serialised: the loser sees the winner's statement (equal: accepted, else 409).
    std::vector<std::string> store(
        const std::vector<Poco::JSON::Object::Ptr>& statements,
        const std::vector<AttachmentPart>& attachments, const StoreOptions& options,
        int64_t credentialId,
        const std::function<void(db::Connection&, const std::vector<std::string>&)>& onStored =
            nullptr,
        bool define = true);

    // A statement by id: voided=false finds only statements not voided, voided=true only voided
    // ones.
    std::optional<StoredStatement> byId(const std::string& id, bool voided);
    // Statements by id regardless of voiding (forwarding).
    std::vector<StoredStatement> byIds(const std::vector<std::string>& ids);

    // One page of a filtered query; `after` continues after a cursor; only statements stored
    // at or before `consistentThrough`; `credentialId` > 0: only statements that credential
    // stored. A statement whose object is a StatementRef matches when a statement it targets,
    // directly or along a chain of StatementRefs, matches the filters (voided targets too).
    StatementPage query(const StatementQuery& q, uint32_t limit, int64_t consistentThrough,
                        const std::optional<PageCursor>& after, int64_t credentialId = 0);

    std::optional<AttachmentPart> attachment(const std::string& sha2);
    Poco::JSON::Object::Ptr activityDefinition(const std::string& activityId);

  private:
    std::vector<std::string> storeOnce(
        const std::vector<Poco::JSON::Object::Ptr>& statements,
        const std::vector<AttachmentPart>& attachments, int64_t credentialId,
        const std::function<void(db::Connection&, const std::vector<std::string>&)>& onStored,
        bool define, const std::vector<std::string>& ids,
        const std::vector<StatementIndex>& indexes, const std::vector<bool>& hadTimestamp);
    db::Database& db_;
    std::mutex writeMutex_;  // serialises writers on SQLite
    std::mutex cacheMutex_;
    std::unordered_map<std::string, std::string>
        lastDefinition_;  // activity id → last merged input
};

std::string hashKey(const std::string& text);  // SHA-256 hex: index key of a long identifier
int64_t nowMillis();
int64_t parseTimestampMillis(const std::string& iso);  // RFC 3339 → epoch ms (throws)

}  // namespace assay::xapi
