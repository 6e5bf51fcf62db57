// Document resource rules: parameters, ETags, concurrency preconditions, POST merging.
#include <cppunit/extensions/HelperMacros.h>

#include "assay/xapi/Documents.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;

namespace {

constexpr Version V1 = Version::V1_0_3;
const std::string kAgent = R"({"mbox":"mailto:ada@example.com"})";
const std::string kActivity = "http://example.com/activities/a1";

DocumentQuery parseOk(DocumentResource r, DocumentMethod m, const QueryParameters& p) {
    auto q = parseDocumentQuery(r, m, p, V1);
    if (auto* e = std::get_if<XapiError>(&q)) CPPUNIT_FAIL(e->describe());
    return std::get<DocumentQuery>(q);
}

XapiError failure(DocumentResource r, DocumentMethod m, const QueryParameters& p) {
    auto q = parseDocumentQuery(r, m, p, V1);
    if (!std::holds_alternative<XapiError>(q)) CPPUNIT_FAIL("accepted");
    return std::get<XapiError>(q);
}

}  // namespace

class DocumentsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DocumentsTest);
    CPPUNIT_TEST(testStateParameters);
    CPPUNIT_TEST(testProfileParameters);
    CPPUNIT_TEST(testAgentsAndActivities);
    CPPUNIT_TEST(testEtags);
    CPPUNIT_TEST(testPreconditions);
    CPPUNIT_TEST(testPostMerge);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testStateParameters() {
        using R = DocumentResource;
        using M = DocumentMethod;
        auto q = parseOk(R::State, M::Put,
                         {{"activityId", kActivity},
                          {"agent", kAgent},
                          {"stateId", "bookmark"},
                          {"registration", "EC531277-B57B-4C15-8D91-D292C5B2B8F7"}});
        CPPUNIT_ASSERT_EQUAL(std::string("bookmark"), *q.stateId);
        CPPUNIT_ASSERT_EQUAL(std::string("ec531277-b57b-4c15-8d91-d292c5b2b8f7"), *q.registration);
        CPPUNIT_ASSERT_EQUAL(std::string("mbox:mailto:ada@example.com"), q.agent->key());
        auto list = parseOk(
            R::State, M::Get,
            {{"activityId", kActivity}, {"agent", kAgent}, {"since", "2024-01-01T00:00:00Z"}});
        CPPUNIT_ASSERT(list.addressesMany() && list.since);
        CPPUNIT_ASSERT(parseOk(R::State, M::Delete, {{"activityId", kActivity}, {"agent", kAgent}})
                           .addressesMany());
        CPPUNIT_ASSERT_EQUAL(
            std::string("stateId"),
            failure(R::State, M::Put, {{"activityId", kActivity}, {"agent", kAgent}}).path);
        CPPUNIT_ASSERT_EQUAL(std::string("agent"),
                             failure(R::State, M::Get, {{"activityId", kActivity}}).path);
        CPPUNIT_ASSERT_EQUAL(std::string("activityId"),
                             failure(R::State, M::Get, {{"agent", kAgent}}).path);
        CPPUNIT_ASSERT(
            failure(R::State, M::Get, {{"activityId", "not an iri"}, {"agent", kAgent}}).code ==
            ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure(R::State, M::Get,
                               {{"activityId", kActivity},
                                {"agent", R"({"objectType":"Group","mbox":"mailto:g@e.com"})"}})
                           .code == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(
            failure(R::State, M::Get,
                    {{"activityId", kActivity}, {"agent", kAgent}, {"registration", "x"}})
                .code == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure(R::State, M::Get,
                               {{"activityId", kActivity}, {"agent", kAgent}, {"profileId", "p"}})
                           .code == ErrorCode::UnknownParameter);
        CPPUNIT_ASSERT(failure(R::State, M::Put,
                               {{"activityId", kActivity},
                                {"agent", kAgent},
                                {"stateId", "s"},
                                {"since", "2024-01-01T00:00:00Z"}})
                           .code == ErrorCode::UnknownParameter);
        CPPUNIT_ASSERT(failure(R::State, M::Get,
                               {{"activityId", kActivity},
                                {"agent", kAgent},
                                {"stateId", "s"},
                                {"since", "2024-01-01T00:00:00Z"}})
                           .code == ErrorCode::ConflictingParameters);
        CPPUNIT_ASSERT(
            failure(R::State, M::Get,
                    {{"activityId", kActivity}, {"activityId", kActivity}, {"agent", kAgent}})
                .code == ErrorCode::InvalidParameter);
    }

    void testProfileParameters() {
        using R = DocumentResource;
        using M = DocumentMethod;
        CPPUNIT_ASSERT(
            parseOk(R::ActivityProfile, M::Get, {{"activityId", kActivity}}).addressesMany());
        CPPUNIT_ASSERT_EQUAL(
            std::string("p1"),
            *parseOk(R::ActivityProfile, M::Post, {{"activityId", kActivity}, {"profileId", "p1"}})
                 .profileId);
        CPPUNIT_ASSERT_EQUAL(
            std::string("profileId"),
            failure(R::ActivityProfile, M::Delete, {{"activityId", kActivity}}).path);
        CPPUNIT_ASSERT(
            failure(R::ActivityProfile, M::Get, {{"activityId", kActivity}, {"agent", kAgent}})
                .code == ErrorCode::UnknownParameter);
        CPPUNIT_ASSERT(
            parseOk(R::AgentProfile, M::Put, {{"agent", kAgent}, {"profileId", "p"}}).agent);
        CPPUNIT_ASSERT_EQUAL(std::string("agent"),
                             failure(R::AgentProfile, M::Get, {{"profileId", "p"}}).path);
        CPPUNIT_ASSERT_EQUAL(std::string("profileId"),
                             failure(R::AgentProfile, M::Put, {{"agent", kAgent}}).path);
        CPPUNIT_ASSERT(
            failure(R::AgentProfile, M::Put, {{"agent", kAgent}, {"profileId", ""}}).code ==
            ErrorCode::InvalidParameter);
    }

    void testAgentsAndActivities() {
        using R = DocumentResource;
        using M = DocumentMethod;
        CPPUNIT_ASSERT(parseOk(R::Agents, M::Get, {{"agent", kAgent}}).agent);
        CPPUNIT_ASSERT(failure(R::Agents, M::Get, {}).code == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(
            failure(R::Agents, M::Get, {{"agent", kAgent}, {"since", "2024-01-01T00:00:00Z"}})
                .code == ErrorCode::UnknownParameter);
        CPPUNIT_ASSERT_EQUAL(
            kActivity, *parseOk(R::Activities, M::Get, {{"activityId", kActivity}}).activityId);
        CPPUNIT_ASSERT(
            failure(R::Activities, M::Get, {{"activityId", kActivity}, {"agent", kAgent}}).code ==
            ErrorCode::UnknownParameter);
    }

    void testEtags() {
        const std::string a = documentEtag("{\"x\":1}");
        CPPUNIT_ASSERT_EQUAL(size_t(42), a.size());
        CPPUNIT_ASSERT_EQUAL('"', a.front());
        CPPUNIT_ASSERT_EQUAL(a, documentEtag("{\"x\":1}"));
        CPPUNIT_ASSERT(a != documentEtag("{\"x\":2}"));
        // SHA-1 of the empty string.
        CPPUNIT_ASSERT_EQUAL(std::string("\"da39a3ee5e6b4b0d3255bfef95601890afd80709\""),
                             documentEtag(""));
    }

    void testPreconditions() {
        using M = DocumentMethod;
        const std::string tag = documentEtag("doc");
        const std::string other = documentEtag("other");
        // PUT without headers: fine for a new document, 409 over an existing one.
        CPPUNIT_ASSERT(checkPreconditions(M::Put, {}, {}, {}, true) == Precondition::Proceed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, {}, {}, tag, true) == Precondition::Conflict);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, {}, {}, tag, false) == Precondition::Proceed);
        CPPUNIT_ASSERT(checkPreconditions(M::Post, {}, {}, tag, true) == Precondition::Proceed);
        // If-Match.
        CPPUNIT_ASSERT(checkPreconditions(M::Put, tag, {}, tag, true) == Precondition::Proceed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, other, {}, tag, true) ==
                       Precondition::PreconditionFailed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, other + ", " + tag, {}, tag, true) ==
                       Precondition::Proceed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, "W/" + tag, {}, tag, true) ==
                       Precondition::Proceed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, "*", {}, tag, true) == Precondition::Proceed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, "*", {}, {}, true) ==
                       Precondition::PreconditionFailed);
        CPPUNIT_ASSERT(checkPreconditions(M::Delete, tag, {}, {}, true) ==
                       Precondition::PreconditionFailed);
        // If-None-Match.
        CPPUNIT_ASSERT(checkPreconditions(M::Put, {}, "*", {}, true) == Precondition::Proceed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, {}, "*", tag, true) ==
                       Precondition::PreconditionFailed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, {}, tag, tag, true) ==
                       Precondition::PreconditionFailed);
        CPPUNIT_ASSERT(checkPreconditions(M::Put, {}, other, tag, true) == Precondition::Proceed);
    }

    void testPostMerge() {
        auto merged = mergeDocumentPost(std::string_view(R"({"a":1,"b":{"c":2}})"), true,
                                        R"({"b":3,"d":4})", true);
        auto* text = std::get_if<std::string>(&merged);
        CPPUNIT_ASSERT(text);
        auto obj =
            std::get<Poco::Dynamic::Var>(parseJson(*text)).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(1, obj->getValue<int>("a"));
        CPPUNIT_ASSERT_EQUAL(3, obj->getValue<int>("b"));
        CPPUNIT_ASSERT_EQUAL(4, obj->getValue<int>("d"));
        CPPUNIT_ASSERT_EQUAL(std::string("raw"), std::get<std::string>(mergeDocumentPost(
                                                     std::nullopt, false, "raw", false)));
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(
            mergeDocumentPost(std::string_view("x"), false, "{}", true)));
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(
            mergeDocumentPost(std::string_view("{}"), true, "{}", false)));
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(
            mergeDocumentPost(std::string_view("[1]"), true, "{}", true)));
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(
            mergeDocumentPost(std::string_view("{}"), true, "{", true)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DocumentsTest);
