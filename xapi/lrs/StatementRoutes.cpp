// The Statement resource: POST / PUT (JSON or multipart/mixed with attachments and
// signatures) and GET / HEAD (single statements and filtered, paged queries).
#include <Poco/JSON/Parser.h>

#include <set>

#include "Lrs.h"
#include "assay/core/error.h"
#include "assay/xapi/MoreToken.h"
#include "assay/xapi/OutputForm.h"
#include "assay/xapi/Serialise.h"
#include "assay/xapi/StatementRequest.h"
#include "assay/xapi/Syntax.h"

namespace assay::xapi {
namespace {

constexpr uint32_t kMaxPage = 500;

[[noreturn]] void fail(const XapiError& e) {
    throw XapiException(e);
}

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser p;
    return p.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// The sha2 of every attachment a statement declares (sub-statements have none).
void attachmentHashes(const Poco::JSON::Object& s, std::vector<std::string>& out) {
    auto arr = s.getArray("attachments");
    if (!arr) return;
    for (size_t i = 0; i < arr->size(); ++i) {
        auto a = arr->getObject(static_cast<unsigned>(i));
        if (a && a->has("sha2")) out.push_back(a->getValue<std::string>("sha2"));
    }
}

}  // namespace

void Lrs::postStatements(LrsRequest& req, http::Response& res, const LrsCall& call, bool put) {
    const auto& params = req.query();
    std::optional<std::string> statementId;
    for (const auto& [k, v] : params) {
        if (put && k == "statementId" && !statementId)
            statementId = v;
        else
            fail(makeError(put && k == "statementId" ? ErrorCode::InvalidParameter
                                                     : ErrorCode::UnknownParameter,
                           "parameter not allowed here", k));
    }
    if (put && !statementId)
        fail(makeError(ErrorCode::InvalidParameter, "PUT needs the statementId parameter",
                       "statementId"));
    StatementRequestOptions opts;
    opts.limits.maxBodyBytes = static_cast<size_t>(host_.config().bytes("http.max_body"));
    std::string contentType = req.header("Content-Type");
    // The alternate request syntax carries JSON only (no attachments).
    if (req.alternate() && contentType.empty()) contentType = "application/json";
    auto parsed = readStatementRequest(contentType, req.body(), call.version, opts);
    if (auto* e = std::get_if<XapiError>(&parsed)) fail(*e);
    auto& request = std::get<StatementRequest>(parsed);
    if (put) {
        if (auto e = applyStatementIdParameter(request, *statementId)) fail(*e);
    }
    StoreOptions so;
    so.authority = call.authority;
    so.version = call.version;
    so.storedMillis = clock_.begin();
    std::vector<std::string> ids;
    try {
        ids = statements_.store(request.statements, request.attachments, so,
                                call.credential ? call.credential->id : 0, nullptr, call.define);
    } catch (...) {
        clock_.end(so.storedMillis);
        throw;
    }
    clock_.end(so.storedMillis);
    if (put) {
        res.status = 204;
        res.body.clear();
        return;
    }
    res.text(statementIdsJson(ids), "application/json", 200);
}

void Lrs::getStatements(LrsRequest& req, http::Response& res, const LrsCall& call) {
    auto parsedQuery = parseStatementQuery(req.query(), call.version);
    if (auto* e = std::get_if<XapiError>(&parsedQuery)) fail(*e);
    StatementQuery q = std::get<StatementQuery>(parsedQuery);
    std::optional<PageCursor> cursor;
    int64_t consistent = 0;
    if (q.more) {
        auto c = decodeMoreToken(*q.more, moreKey_);
        if (auto* e = std::get_if<XapiError>(&c)) fail(*e);
        cursor = std::get<PageCursor>(c);
        auto again = parseStatementQuery(parseQueryString(cursor->query), call.version);
        if (auto* e = std::get_if<XapiError>(&again)) fail(*e);
        q = std::get<StatementQuery>(again);
        consistent = cursor->consistentThrough;
    } else {
        consistent = clock_.consistentThrough();
    }
    const auto languages = LanguagePreference::parse(req.header("Accept-Language"));
    CanonicalDefinitions definitions = [this](const std::string& id) {
        return statements_.activityDefinition(id);
    };
    auto render = [&](const std::string& body) {
        return renderForVersion(
            renderStatement(parseObject(body), q.format, languages, definitions), call.version);
    };

    std::vector<Poco::JSON::Object::Ptr> out;
    std::string json;
    res.header("X-Experience-API-Consistent-Through", formatTimestamp(clock_.consistentThrough()));
    if (q.statementId || q.voidedStatementId) {
        auto s = q.statementId ? statements_.byId(*q.statementId, false)
                               : statements_.byId(*q.voidedStatementId, true);
        // statements/read/mine: another credential's statement is as good as absent.
        if (s && call.mineOnly && s->credentialId != call.credential->id) s.reset();
        if (!s) throw ApiError(404, "xapi.not_found", "no such statement");
        out.push_back(render(s->body));
        json = toJson(*out.back());
        res.header("Last-Modified", formatTimestamp(s->storedMillis));
    } else {
        const uint32_t limit = q.limit == 0 || q.limit > kMaxPage ? kMaxPage : q.limit;
        auto page = statements_.query(q, limit, consistent, cursor,
                                      call.mineOnly ? call.credential->id : 0);
        for (const auto& s : page.statements)
            out.push_back(render(s.body));
        std::string more;
        if (page.more) {
            PageCursor next{q.canonicalParameters(), page.statements.back().storedMillis,
                            page.statements.back().id, consistent};
            more = "/xapi/statements?more=" + encodeMoreToken(next, moreKey_);
        }
        json = statementResultJson(out, more);
    }
    if (!q.attachments) {
        res.text(json, "application/json", 200);
        return;
    }
    std::vector<std::string> hashes;
    for (const auto& s : out)
        attachmentHashes(*s, hashes);
    std::vector<AttachmentPart> parts;
    std::set<std::string> seen;
    for (const auto& h : hashes) {
        if (!seen.insert(h).second) continue;
        if (auto a = statements_.attachment(h)) parts.push_back(*a);
    }
    const std::string boundary = chooseBoundary(parts, json);
    res.text(buildStatementsMultipart(boundary, json, parts),
             "multipart/mixed; boundary=" + boundary, 200);
}

}  // namespace assay::xapi
