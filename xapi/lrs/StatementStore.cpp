#include "StatementStore.h"

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>

#include "assay/core/auth/crypto.h"
#include "assay/core/error.h"
#include "assay/xapi/Comparison.h"
#include "assay/xapi/Serialise.h"
#include "assay/xapi/StatementIndex.h"
#include "assay/xapi/Syntax.h"
#include "assay/xapi/Vocabulary.h"

namespace assay::xapi {
namespace {

constexpr size_t kRowsPerInsert = 200;  // keeps the bound parameters far below engine limits
const std::string kVoided = "http://adlnet.gov/expapi/verbs/voided";

std::string placeholders(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i)
        s += i ? ",?" : "?";
    return s;
}

// INSERT of many rows of `cols` columns, in chunks.
void insertRows(db::Connection& c, const std::string& head, size_t cols,
                const std::vector<db::Value>& values) {
    const size_t rows = values.size() / cols;
    std::string row = "(";
    row += placeholders(cols);
    row += ')';
    for (size_t start = 0; start < rows; start += kRowsPerInsert) {
        const size_t n = std::min(kRowsPerInsert, rows - start);
        std::string sql = head + " VALUES ";
        for (size_t i = 0; i < n; ++i)
            sql += (i ? "," : "") + row;
        std::vector<db::Value> chunk(values.begin() + static_cast<long>(start * cols),
                                     values.begin() + static_cast<long>((start + n) * cols));
        c.execute(sql, chunk);
    }
}

std::vector<db::Value> asValues(const std::vector<std::string>& v) {
    return std::vector<db::Value>(v.begin(), v.end());
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser p;
    return p.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Keeps xapi_statement_targets closed under StatementRef chains: a statement that targets
// another has a row for that statement and for everything it targets in turn, so a query
// follows a chain of any length with one join. Statements may arrive in any order: a
// statement stored before its own target gains that target's targets when it arrives.
void linkTargets(db::Connection& c, db::Dialect dialect,
                 const std::vector<std::pair<std::string, std::string>>& refs) {
    if (refs.empty()) return;
    const bool mysql = dialect == db::Dialect::MySQL;
    const std::string insert = mysql ? "INSERT IGNORE INTO xapi_statement_targets "
                                     : "INSERT OR IGNORE INTO xapi_statement_targets ";
    // MariaDB: locking reads see what other transactions committed and lock the ranges read,
    // so two links of one chain stored at once either see each other or deadlock (the store
    // then runs again). SQLite writers are serialised already.
    const std::string lock = mysql ? " FOR UPDATE" : "";
    for (const auto& [id, target] : refs) {
        std::set<std::string> up{target};  // what `id` targets, directly or not
        for (const auto& row :
             c.query("SELECT target_id FROM xapi_statement_targets WHERE statement_id = ?" + lock,
                     {target}))
            up.insert(row.text(0));
        std::set<std::string> down{id};  // `id` and the statements that already target it
        for (const auto& row :
             c.query("SELECT statement_id FROM xapi_statement_targets WHERE target_id = ?" + lock,
                     {id}))
            down.insert(row.text(0));
        std::vector<db::Value> rows;
        for (const auto& d : down)
            for (const auto& u : up)
                if (d != u) rows.insert(rows.end(), {d, u});  // a cycle never targets itself
        if (!rows.empty()) insertRows(c, insert + "(statement_id, target_id)", 2, rows);
    }
}

}  // namespace

std::string hashKey(const std::string& text) {
    return crypto::sha256Hex(text);
}

int64_t nowMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t parseTimestampMillis(const std::string& iso) {
    auto t = parseTimestamp(iso, true);
    if (!t) throw std::runtime_error("bad timestamp " + iso);
    return *t;
}

std::vector<std::string> StatementStore::store(
    const std::vector<Poco::JSON::Object::Ptr>& statements,
    const std::vector<AttachmentPart>& attachments, const StoreOptions& options,
    int64_t credentialId,
    const std::function<void(db::Connection&, const std::vector<std::string>&)>& onStored,
    bool define) {
    std::vector<std::string> ids;
    std::vector<StatementIndex> indexes;
    std::vector<bool> hadTimestamp;  // the LRS fills in a missing timestamp; comparisons ignore it
    ids.reserve(statements.size());
    for (Poco::JSON::Object::Ptr s : statements) {  // a non-const handle: storage completes it
        hadTimestamp.push_back(s->has("timestamp"));
        ids.push_back(prepareForStorage(*s, options));
        indexes.push_back(indexStatement(*s));
    }
    // Two writers of one statement id (or of rows that share an index key) can both find it
    // absent and then collide on insert (MariaDB: duplicate key or deadlock; the loser's
    // transaction is rolled back whole). Running the transaction again lets the loser see the
    // winner's statement and answer as if they had come one after the other.
    for (int attempt = 1;; ++attempt) {
        try {
            return storeOnce(statements, attachments, credentialId, onStored, define, ids, indexes,
                             hadTimestamp);
        } catch (const db::DbError& e) {
            const bool collision =
                e.kind() == db::DbError::Kind::Constraint || e.kind() == db::DbError::Kind::Busy;
            if (!collision || attempt >= 5) throw;
        }
    }
}

std::vector<std::string> StatementStore::storeOnce(
    const std::vector<Poco::JSON::Object::Ptr>& statements,
    const std::vector<AttachmentPart>& attachments, int64_t credentialId,
    const std::function<void(db::Connection&, const std::vector<std::string>&)>& onStored,
    bool define, const std::vector<std::string>& ids, const std::vector<StatementIndex>& indexes,
    const std::vector<bool>& hadTimestamp) {
    std::map<std::string, size_t> batchPos;
    for (size_t i = 0; i < ids.size(); ++i)
        batchPos[ids[i]] = i;

    // SQLite has one writer at a time; queueing here is cheaper than its busy-wait back-off.
    std::unique_lock<std::mutex> writer(writeMutex_, std::defer_lock);
    if (db_.dialect() == db::Dialect::SQLite) writer.lock();
    std::vector<std::pair<std::string, std::string>> merged;  // activity id, definition merged
    auto result = db_.transaction([&](db::Connection& c) {
        merged.clear();
        // Ids already stored: equal statements are skipped, different ones conflict.
        std::set<std::string> skip;
        for (const auto& row :
             c.query("SELECT statement_id, body FROM xapi_statements WHERE statement_id IN (" +
                         placeholders(ids.size()) + ")",
                     asValues(ids))) {
            const std::string id = row.text(0);
            auto existing = parse(row.text(1));
            auto incoming = statements[batchPos[id]];
            if (!hadTimestamp[batchPos[id]]) {
                incoming = parse(toJson(*incoming));
                incoming->remove("timestamp");
                existing->remove("timestamp");
            }
            if (!statementsEquivalent(*existing, *incoming))
                throw ApiError(409, "xapi.statement_conflict",
                               "statement " + id + " is already stored with different content");
            skip.insert(id);
        }
        // Voiding: the target must not itself be a voiding statement.
        std::vector<std::string> targets;
        for (size_t i = 0; i < ids.size(); ++i) {
            if (skip.count(ids[i]) || !indexes[i].voidedStatementId) continue;
            const std::string& t = *indexes[i].voidedStatementId;
            auto inBatch = batchPos.find(t);
            if (inBatch != batchPos.end() && indexes[inBatch->second].voidedStatementId)
                throw ApiError(400, "xapi.voiding_voiding_statement",
                               "a voiding statement cannot be voided");
            targets.push_back(t);
        }
        if (!targets.empty()) {
            auto rows = c.query(
                "SELECT statement_id FROM xapi_statements WHERE voids_id IS NOT NULL AND "
                "statement_id IN (" +
                    placeholders(targets.size()) + ")",
                asValues(targets));
            if (!rows.empty())
                throw ApiError(400, "xapi.voiding_voiding_statement",
                               "statement " + rows[0].text(0) +
                                   " is a voiding statement and cannot be voided");
        }
        // New statements that an earlier voiding statement already targets arrive voided.
        std::set<std::string> voidedOnArrival;
        for (const auto& row : c.query("SELECT voids_id FROM xapi_statements WHERE voids_id IN (" +
                                           placeholders(ids.size()) + ")",
                                       asValues(ids)))
            voidedOnArrival.insert(row.text(0));
        for (const auto& t : targets)
            voidedOnArrival.insert(t);

        std::vector<db::Value> st, ag, ac;
        std::vector<std::pair<std::string, std::string>> refs;  // statement, target
        std::vector<std::string> inserted;
        for (size_t i = 0; i < ids.size(); ++i) {
            if (skip.count(ids[i])) continue;
            skip.insert(ids[i]);  // the same id twice in one batch (rejected earlier) stays safe
            const auto& ix = indexes[i];
            const bool voided = voidedOnArrival.count(ids[i]) && !ix.voidedStatementId;
            const int64_t stored =
                parseTimestampMillis(statements[i]->getValue<std::string>("stored"));
            st.insert(
                st.end(),
                {ids[i], stored, hashKey(ix.verb),
                 ix.registration ? db::Value(*ix.registration) : db::Value(db::Null{}),
                 int64_t{voided ? 1 : 0},
                 ix.voidedStatementId ? db::Value(*ix.voidedStatementId) : db::Value(db::Null{}),
                 credentialId > 0 ? db::Value(credentialId) : db::Value(db::Null{}),
                 toJson(*statements[i])});
            std::set<std::string> direct(ix.agents.begin(), ix.agents.end());
            for (const auto& a : ix.relatedAgents)
                ag.insert(ag.end(), {ids[i], hashKey(a), int64_t{direct.count(a) ? 1 : 0}});
            std::set<std::string> directAct(ix.activities.begin(), ix.activities.end());
            for (const auto& a : ix.relatedActivities)
                ac.insert(ac.end(), {ids[i], hashKey(a), int64_t{directAct.count(a) ? 1 : 0}});
            // A StatementRef (voiding ones too): queries matching the target return this one.
            auto object = statements[i]->getObject("object");
            if (object && object->has("objectType") &&
                object->getValue<std::string>("objectType") == "StatementRef") {
                const std::string target = object->getValue<std::string>("id");
                if (target != ids[i]) refs.emplace_back(ids[i], target);
            }
            inserted.push_back(ids[i]);
        }
        if (!st.empty())
            insertRows(c,
                       "INSERT INTO xapi_statements (statement_id, stored_ms, verb_hash, "
                       "registration, voided, "
                       "voids_id, credential_id, body)",
                       8, st);
        if (!ag.empty())
            insertRows(c, "INSERT INTO xapi_statement_agents (statement_id, agent_hash, direct)", 3,
                       ag);
        if (!ac.empty())
            insertRows(
                c, "INSERT INTO xapi_statement_activities (statement_id, activity_hash, direct)", 3,
                ac);
        linkTargets(c, db_.dialect(), refs);
        if (!targets.empty())
            c.execute(
                "UPDATE xapi_statements SET voided = 1 WHERE voids_id IS NULL AND statement_id IN "
                "(" +
                    placeholders(targets.size()) + ")",
                asValues(targets));

        // Attachments by hash, stored once.
        for (const auto& a : attachments) {
            if (!c.query("SELECT 1 FROM xapi_attachments WHERE sha2 = ?", {a.sha2}).empty())
                continue;
            c.execute("INSERT INTO xapi_attachments (sha2, content_type, content) VALUES (?, ?, ?)",
                      {a.sha2, a.contentType, db::Blob{a.content}});
        }

        // Canonical activity definitions: the newest definition wins, language maps merge. A
        // definition this process merged last time for the activity changes nothing: skipped.
        std::map<std::string, Poco::JSON::Object::Ptr> incoming;
        for (size_t i = 0; i < statements.size() && define; ++i) {
            if (!std::count(inserted.begin(), inserted.end(), ids[i])) continue;
            for (auto& m : activitiesWithDefinitions(*statements[i]))
                if (m.definition)
                    incoming[m.id] = mergeActivityDefinition(incoming[m.id], *m.definition);
        }
        {
            std::lock_guard lock(cacheMutex_);
            for (auto it = incoming.begin(); it != incoming.end();) {
                const std::string text = toJson(*it->second);
                auto seen = lastDefinition_.find(it->first);
                if (seen != lastDefinition_.end() && seen->second == text) {
                    it = incoming.erase(it);
                } else {
                    merged.emplace_back(it->first, text);
                    ++it;
                }
            }
        }
        if (!incoming.empty()) {
            std::vector<std::string> hashes;
            for (auto& [id, def] : incoming)
                hashes.push_back(hashKey(id));
            std::map<std::string, std::string> current;
            for (const auto& row : c.query("SELECT activity_hash, definition FROM xapi_activities "
                                           "WHERE activity_hash IN (" +
                                               placeholders(hashes.size()) + ")",
                                           asValues(hashes)))
                current[row.text(0)] = row.text(1);
            for (auto& [id, def] : incoming) {
                const std::string h = hashKey(id);
                auto it = current.find(h);
                if (it == current.end()) {
                    // Another request may insert the same activity at the same moment: upsert.
                    const std::string text = toJson(*def);
                    c.execute(db_.dialect() == db::Dialect::MySQL
                                  ? "INSERT INTO xapi_activities (activity_hash, activity_id, "
                                    "definition) VALUES (?, ?, ?) "
                                    "ON DUPLICATE KEY UPDATE definition = VALUES(definition)"
                                  : "INSERT INTO xapi_activities (activity_hash, activity_id, "
                                    "definition) VALUES (?, ?, ?) "
                                    "ON CONFLICT (activity_hash) DO UPDATE SET definition = "
                                    "excluded.definition",
                              {h, id, text});
                    continue;
                }
                auto old = it->second.empty() ? Poco::JSON::Object::Ptr() : parse(it->second);
                auto mergedDef = mergeActivityDefinition(old, *def);
                if (old && jsonEqual(Poco::Dynamic::Var(old), Poco::Dynamic::Var(mergedDef)))
                    continue;
                c.execute("UPDATE xapi_activities SET definition = ? WHERE activity_hash = ?",
                          {toJson(*mergedDef), h});
            }
        }
        if (onStored && !inserted.empty()) onStored(c, inserted);
        return ids;
    });
    std::lock_guard lock(cacheMutex_);
    if (lastDefinition_.size() > 20000)
        lastDefinition_.clear();  // bounded; a miss only costs a lookup
    for (auto& [id, text] : merged)
        lastDefinition_[id] = std::move(text);
    return result;
}

std::optional<StoredStatement> StatementStore::byId(const std::string& id, bool voided) {
    auto rows = db_.acquire()->query(
        "SELECT statement_id, stored_ms, body, credential_id FROM xapi_statements WHERE "
        "statement_id = ? AND voided = ?",
        {id, int64_t{voided ? 1 : 0}});
    if (rows.empty()) return std::nullopt;
    return StoredStatement{rows[0].text(0), rows[0].integer(1), rows[0].text(2),
                           rows[0].isNull(3) ? 0 : rows[0].integer(3)};
}

std::vector<StoredStatement> StatementStore::byIds(const std::vector<std::string>& ids) {
    std::vector<StoredStatement> out;
    if (ids.empty()) return out;
    std::map<std::string, StoredStatement> found;
    for (const auto& row : db_.acquire()->query(
             "SELECT statement_id, stored_ms, body FROM xapi_statements WHERE statement_id IN (" +
                 placeholders(ids.size()) + ")",
             asValues(ids)))
        found[row.text(0)] = StoredStatement{row.text(0), row.integer(1), row.text(2)};
    for (const auto& id : ids)
        if (auto it = found.find(id); it != found.end()) out.push_back(it->second);
    return out;
}

StatementPage StatementStore::query(const StatementQuery& q, uint32_t limit,
                                    int64_t consistentThrough,
                                    const std::optional<PageCursor>& after, int64_t credentialId) {
    // The filters (agent, verb, activity, registration) applied to the statement alias `t`;
    // joins go to `joins`, conditions to `where`.
    auto filter = [&](const std::string& t, std::string& joins, std::string& where,
                      std::vector<db::Value>& params) {
        if (q.agent) {
            joins += " JOIN xapi_statement_agents a ON a.statement_id = " + t +
                     ".statement_id AND a.agent_hash = ?";
            params.emplace_back(hashKey(q.agent->key()));
            if (!q.relatedAgents) joins += " AND a.direct = 1";
        }
        if (q.activity) {
            joins += " JOIN xapi_statement_activities c ON c.statement_id = " + t +
                     ".statement_id AND c.activity_hash = ?";
            params.emplace_back(hashKey(*q.activity));
            if (!q.relatedActivities) joins += " AND c.direct = 1";
        }
        if (q.verb) {
            where += " AND " + t + ".verb_hash = ?";
            params.emplace_back(hashKey(*q.verb));
        }
        if (q.registration) {
            where += " AND " + t + ".registration = ?";
            params.emplace_back(*q.registration);
        }
    };
    // Voiding, snapshot, since / until and the page cursor, on the returned statement `s`.
    const char* cmp = q.ascending ? ">" : "<";
    const char* dir = q.ascending ? " ASC" : " DESC";
    const std::string order = std::string(" ORDER BY stored_ms") + dir + ", statement_id" + dir;
    const std::string cap = " LIMIT " + std::to_string(limit + 1);
    auto window = [&](std::string& where, std::vector<db::Value>& params) {
        where += " AND s.voided = 0 AND s.stored_ms <= ?";
        params.emplace_back(consistentThrough);
        if (credentialId > 0) {
            where += " AND s.credential_id = ?";
            params.emplace_back(credentialId);
        }
        if (q.since) {
            where += " AND s.stored_ms > ?";
            params.emplace_back(*q.since);
        }
        if (q.until) {
            where += " AND s.stored_ms <= ?";
            params.emplace_back(*q.until);
        }
        if (after) {
            where += std::string(" AND (s.stored_ms ") + cmp +
                     " ? OR (s.stored_ms = ? AND s.statement_id " + cmp + " ?))";
            params.insert(params.end(),
                          {after->storedMillis, after->storedMillis, after->statementId});
        }
    };
    const std::string cols = "SELECT s.statement_id, s.stored_ms, s.body FROM xapi_statements s";
    std::vector<db::Value> params;
    std::string joins, where = " WHERE 1 = 1";
    filter("s", joins, where, params);
    window(where, params);
    std::string sql = cols + joins + where;
    const bool filtered = q.agent || q.activity || q.verb || q.registration;
    if (filtered) {
        // Statements that target a matching statement (StatementRef, along chains) match too.
        std::string refJoins = " JOIN xapi_statements t ON t.statement_id = r.target_id",
                    refFilter = " WHERE 1 = 1";
        std::vector<db::Value> refParams;
        filter("t", refJoins, refFilter, refParams);
        std::string refWhere =
            " WHERE s.statement_id IN (SELECT r.statement_id FROM "
            "xapi_statement_targets r" +
            refJoins + refFilter + ")";
        window(refWhere, refParams);
        std::string first = sql, second = cols + refWhere;
        sql = "SELECT statement_id, stored_ms, body FROM (SELECT * FROM (" + first +
              std::string(" ORDER BY s.stored_ms") + dir + ", s.statement_id" + dir + cap +
              ") x UNION SELECT * FROM (" + second + std::string(" ORDER BY s.stored_ms") + dir +
              ", s.statement_id" + dir + cap + ") y) u" + order + cap;
        params.insert(params.end(), refParams.begin(), refParams.end());
    } else {
        sql += std::string(" ORDER BY s.stored_ms") + dir + ", s.statement_id" + dir + cap;
    }
    StatementPage page;
    for (const auto& row : db_.acquire()->query(sql, params))
        page.statements.push_back(StoredStatement{row.text(0), row.integer(1), row.text(2)});
    if (page.statements.size() > limit) {
        page.statements.pop_back();
        page.more = true;
    }
    return page;
}

std::optional<AttachmentPart> StatementStore::attachment(const std::string& sha2) {
    auto rows = db_.acquire()->query(
        "SELECT sha2, content_type, content FROM xapi_attachments WHERE sha2 = ?", {sha2});
    if (rows.empty()) return std::nullopt;
    return AttachmentPart{rows[0].text(0), rows[0].text(1), rows[0].text(2)};
}

Poco::JSON::Object::Ptr StatementStore::activityDefinition(const std::string& activityId) {
    auto rows = db_.acquire()->query(
        "SELECT definition FROM xapi_activities WHERE activity_hash = ?", {hashKey(activityId)});
    if (rows.empty() || rows[0].text(0).empty()) return nullptr;
    return parse(rows[0].text(0));
}

}  // namespace assay::xapi
