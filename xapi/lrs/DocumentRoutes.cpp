// The State, Activity Profile and Agent Profile resources (with ETag concurrency) and the
// Agents and Activities resources.
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/Timestamp.h>

#include "Lrs.h"
#include "assay/core/error.h"
#include "assay/xapi/Documents.h"
#include "assay/xapi/Serialise.h"
#include "assay/xapi/Validator.h"

namespace assay::xapi {
namespace {

[[noreturn]] void fail(const XapiError& e) {
    throw XapiException(e);
}

std::optional<std::string_view> headerOpt(LrsRequest& req, const char* name, std::string& keep) {
    auto v = req.headerOpt(name);
    if (!v) return std::nullopt;
    keep = *v;
    return std::string_view(keep);
}

bool isJson(const std::string& contentType) {
    return contentType.rfind("application/json", 0) == 0;
}

std::string httpDate(int64_t ms) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000),
                                           Poco::DateTimeFormat::HTTP_FORMAT);
}

}  // namespace

void Lrs::documents(LrsRequest& req, http::Response& res, const LrsCall& call, int resourceIndex) {
    static const DocumentResource kinds[] = {
        DocumentResource::State, DocumentResource::ActivityProfile, DocumentResource::AgentProfile};
    static const char* names[] = {"state", "activity_profile", "agent_profile"};
    const DocumentResource resource = kinds[resourceIndex];
    const std::string& m = req.method();
    const DocumentMethod method = m == "PUT"      ? DocumentMethod::Put
                                  : m == "POST"   ? DocumentMethod::Post
                                  : m == "DELETE" ? DocumentMethod::Delete
                                                  : DocumentMethod::Get;
    auto parsed = parseDocumentQuery(resource, method, req.query(), call.version);
    if (auto* e = std::get_if<XapiError>(&parsed)) fail(*e);
    const DocumentQuery& q = std::get<DocumentQuery>(parsed);
    const std::string scope =
        hashKey(std::string(names[resourceIndex]) + "\n" + q.activityId.value_or("") + "\n" +
                (q.agent ? q.agent->key() : "") + "\n" + q.registration.value_or(""));
    const std::string docId = q.stateId ? *q.stateId : q.profileId.value_or("");

    if (method == DocumentMethod::Get && q.addressesMany()) {
        Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
        for (const auto& id : documents_.ids(scope, q.since))
            ids->add(id);
        res.json(ids);
        return;
    }
    if (method == DocumentMethod::Get) {
        auto doc = documents_.get(scope, docId);
        if (!doc) throw ApiError(404, "xapi.not_found", "no such document");
        res.text(doc->content, doc->contentType, 200);
        res.header("ETag", doc->etag);
        res.header("Last-Modified", httpDate(doc->updatedMs));
        return;
    }
    if (method == DocumentMethod::Delete && q.addressesMany()) {
        documents_.removeAll(scope);
        res.status = 204;
        return;
    }
    std::string ifMatchText, ifNoneMatchText;
    const auto ifMatch = headerOpt(req, "If-Match", ifMatchText);
    const auto ifNoneMatch = headerOpt(req, "If-None-Match", ifNoneMatchText);
    const bool profile = resource != DocumentResource::State;
    std::string contentType = req.header("Content-Type");
    if (contentType.empty()) contentType = "application/octet-stream";
    const std::string& body = method == DocumentMethod::Delete ? std::string() : req.body();
    if (method == DocumentMethod::Post && isJson(contentType)) {
        auto parsedBody = parseJson(body);
        if (std::holds_alternative<XapiError>(parsedBody) ||
            std::get<Poco::Dynamic::Var>(parsedBody).type() != typeid(Poco::JSON::Object::Ptr))
            fail(makeError(ErrorCode::InvalidParameter,
                           "a JSON POST to a document must be a JSON object", "body"));
    }
    const std::string etag = documents_.write(
        scope, names[resourceIndex], docId, [&](const std::optional<Document>& cur) {
            std::optional<std::string_view> current;
            if (cur) current = cur->etag;
            switch (checkPreconditions(method, ifMatch, ifNoneMatch, current,
                                       profile && method == DocumentMethod::Put)) {
                case Precondition::Conflict:
                    throw ApiError(
                        409, "xapi.precondition_required",
                        "the document exists: send If-Match or If-None-Match to overwrite it");
                case Precondition::PreconditionFailed:
                    throw ApiError(412, "xapi.precondition_failed",
                                   "If-Match / If-None-Match not satisfied");
                case Precondition::Proceed:
                    break;
            }
            DocumentWrite w;
            if (method == DocumentMethod::Delete) {
                w.kind = DocumentWrite::Kind::Delete;
                return w;
            }
            w.contentType = contentType;
            w.content = body;
            if (method == DocumentMethod::Post && cur) {
                auto merged =
                    mergeDocumentPost(std::string_view(cur->content), isJson(cur->contentType),
                                      body, isJson(contentType));
                if (auto* e = std::get_if<XapiError>(&merged)) fail(*e);
                w.content = std::get<std::string>(merged);
                w.contentType = "application/json";
            }
            return w;
        });
    res.status = 204;
    if (!etag.empty()) res.header("ETag", etag);
}

void Lrs::agents(LrsRequest& req, http::Response& res, const LrsCall& call) {
    auto parsed = parseDocumentQuery(DocumentResource::Agents, DocumentMethod::Get, req.query(),
                                     call.version);
    if (auto* e = std::get_if<XapiError>(&parsed)) fail(*e);
    const auto& q = std::get<DocumentQuery>(parsed);
    // A Person built from what this LRS knows of the agent: the agent as given.
    Poco::JSON::Object::Ptr person = new Poco::JSON::Object;
    person->set("objectType", "Person");
    for (const char* key : {"name", "mbox", "mbox_sha1sum", "openid", "account"}) {
        if (!q.agentJson->has(key)) continue;
        Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
        arr->add(q.agentJson->get(key));
        person->set(key, arr);
    }
    res.json(person);
}

void Lrs::activities(LrsRequest& req, http::Response& res, const LrsCall& call) {
    auto parsed = parseDocumentQuery(DocumentResource::Activities, DocumentMethod::Get, req.query(),
                                     call.version);
    if (auto* e = std::get_if<XapiError>(&parsed)) fail(*e);
    const auto& q = std::get<DocumentQuery>(parsed);
    Poco::JSON::Object::Ptr a = new Poco::JSON::Object;
    a->set("objectType", "Activity");
    a->set("id", *q.activityId);
    if (auto def = statements_.activityDefinition(*q.activityId)) a->set("definition", def);
    res.json(a);
}

}  // namespace assay::xapi
