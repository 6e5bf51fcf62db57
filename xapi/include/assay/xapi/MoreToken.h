// The opaque "more" paging token: a keyset cursor bound to its query, HMAC-protected so a
// client can neither forge nor alter it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "assay/xapi/Error.h"

namespace assay::xapi {

struct PageCursor {
    std::string query;              // StatementQuery::canonicalParameters() of the first request
    int64_t storedMillis = 0;       // stored time of the last statement already returned
    std::string statementId;        // its id: ties on stored are broken by id
    int64_t consistentThrough = 0;  // the snapshot the first page saw (epoch ms)
};

// Token text is URL-safe ([A-Za-z0-9_.-]). `key` is a server secret (at least 16 bytes).
std::string encodeMoreToken(const PageCursor& cursor, std::string_view key);

// InvalidMoreToken (400) for a damaged, forged or foreign token.
std::variant<PageCursor, XapiError> decodeMoreToken(std::string_view token, std::string_view key);

}  // namespace assay::xapi
