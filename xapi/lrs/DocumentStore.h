// Documents of the State, Activity Profile and Agent Profile resources. A scope is the hash
// of everything that addresses a set of documents (kind, activity, agent, registration).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "assay/core/store/db.h"

namespace assay::xapi {

struct Document {
    std::string id;
    std::string contentType;
    std::string content;
    std::string etag;
    int64_t updatedMs = 0;
};

// What a write decides after seeing the current document: store new content, delete it, or
// keep it (when a precondition fails the decision throws instead).
struct DocumentWrite {
    enum class Kind { Store, Delete } kind = Kind::Store;
    std::string contentType;
    std::string content;
};

class DocumentStore {
  public:
    explicit DocumentStore(db::Database& db) : db_(db) {}
    std::optional<Document> get(const std::string& scope, const std::string& docId);
    std::vector<std::string> ids(const std::string& scope, std::optional<int64_t> since);
    void removeAll(const std::string& scope);
    // Reads the current document and applies `decide`'s answer in one transaction. Returns
    // the new ETag (empty after a delete).
    std::string write(const std::string& scope, const std::string& kind, const std::string& docId,
                      const std::function<DocumentWrite(const std::optional<Document>&)>& decide);

  private:
    db::Database& db_;
};

}  // namespace assay::xapi
