// Fuzz target for request-level input: the first line is a Content-Type (and, read as a
// query string, GET parameters; as a token, a "more" token); the rest is a statements body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "assay/xapi/MoreToken.h"
#include "assay/xapi/OutputForm.h"
#include "assay/xapi/StatementQuery.h"
#include "assay/xapi/StatementRequest.h"

using namespace assay::xapi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const size_t nl = text.find('\n');
    const std::string_view head = text.substr(0, nl);
    const std::string_view body =
        nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);

    StatementRequestOptions options;
    options.limits.maxBodyBytes = 1 << 20;
    for (Version v : {Version::V1_0_3, Version::V2_0_0}) {
        auto r = readStatementRequest(head, body, v, options);
        if (auto* err = std::get_if<XapiError>(&r)) {
            if (err->httpStatus != 400 && err->httpStatus != 413) __builtin_trap();
        } else {
            const auto& request = std::get<StatementRequest>(r);
            if (request.statements.empty()) __builtin_trap();
            if (!request.batch && request.statements.size() != 1) __builtin_trap();
        }
        auto q = parseStatementQuery(parseQueryString(head), v);
        if (auto* query = std::get_if<StatementQuery>(&q)) {
            // Canonical parameters parse back to an equal query.
            auto again = parseStatementQuery(parseQueryString(query->canonicalParameters()), v);
            auto* second = std::get_if<StatementQuery>(&again);
            if (!second || second->canonicalParameters() != query->canonicalParameters())
                __builtin_trap();
        }
    }
    auto cursor = decodeMoreToken(head, "fuzzing-key-0123456789");
    if (std::holds_alternative<PageCursor>(cursor)) __builtin_trap();  // forging needs the key
    const PageCursor c{std::string(body.substr(0, 256)), 1, "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
                       2};
    auto back =
        decodeMoreToken(encodeMoreToken(c, "fuzzing-key-0123456789"), "fuzzing-key-0123456789");
    if (!std::holds_alternative<PageCursor>(back) || std::get<PageCursor>(back).query != c.query) {
        __builtin_trap();
    }
    (void)LanguagePreference::parse(head);
    return 0;
}
