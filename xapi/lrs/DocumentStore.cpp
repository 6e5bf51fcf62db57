#include "DocumentStore.h"

#include "StatementStore.h"
#include "assay/xapi/Documents.h"

namespace assay::xapi {
namespace {

std::optional<Document> read(db::Connection& c, const std::string& scope,
                             const std::string& docId) {
    auto rows = c.query(
        "SELECT doc_id, content_type, content, etag, updated_ms FROM xapi_documents WHERE scope = "
        "? AND doc_hash = ?",
        {scope, hashKey(docId)});
    if (rows.empty()) return std::nullopt;
    return Document{rows[0].text(0), rows[0].text(1), rows[0].text(2), rows[0].text(3),
                    rows[0].integer(4)};
}

}  // namespace

std::optional<Document> DocumentStore::get(const std::string& scope, const std::string& docId) {
    auto h = db_.acquire();
    return read(*h, scope, docId);
}

std::vector<std::string> DocumentStore::ids(const std::string& scope,
                                            std::optional<int64_t> since) {
    std::vector<std::string> out;
    std::string sql = "SELECT doc_id FROM xapi_documents WHERE scope = ?";
    std::vector<db::Value> params{scope};
    if (since) {
        sql += " AND updated_ms > ?";
        params.emplace_back(*since);
    }
    for (const auto& r : db_.acquire()->query(sql + " ORDER BY id", params))
        out.push_back(r.text(0));
    return out;
}

void DocumentStore::removeAll(const std::string& scope) {
    db_.acquire()->execute("DELETE FROM xapi_documents WHERE scope = ?", {scope});
}

std::string DocumentStore::write(
    const std::string& scope, const std::string& kind, const std::string& docId,
    const std::function<DocumentWrite(const std::optional<Document>&)>& decide) {
    return db_.transaction([&](db::Connection& c) -> std::string {
        auto current = read(c, scope, docId);
        DocumentWrite w = decide(current);
        if (w.kind == DocumentWrite::Kind::Delete) {
            c.execute("DELETE FROM xapi_documents WHERE scope = ? AND doc_hash = ?",
                      {scope, hashKey(docId)});
            return "";
        }
        const std::string etag = documentEtag(w.content);
        const int64_t now = std::max(nowMillis(), current ? current->updatedMs + 1 : int64_t{0});
        if (current)
            c.execute(
                "UPDATE xapi_documents SET content_type = ?, content = ?, etag = ?, updated_ms = ? "
                "WHERE scope = ? AND doc_hash = ?",
                {w.contentType, db::Blob{w.content}, etag, now, scope, hashKey(docId)});
        else
            c.execute(
                "INSERT INTO xapi_documents (kind, scope, doc_hash, doc_id, content_type, content, "
                "etag, updated_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {kind, scope, hashKey(docId), docId, w.contentType, db::Blob{w.content}, etag,
                 now});
        return etag;
    });
}

}  // namespace assay::xapi
