// GET /statements parameters, filter semantics and "more" paging tokens.
#include <cppunit/extensions/HelperMacros.h>

#include <cctype>

#include "StatementCases.h"
#include "assay/xapi/MoreToken.h"
#include "assay/xapi/StatementQuery.h"
#include "assay/xapi/Syntax.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;
using Obj = Poco::JSON::Object;

namespace {

constexpr Version V1 = Version::V1_0_3;
const std::string kKey = "0123456789abcdef-paging-secret";

StatementQuery parseOk(const QueryParameters& p, Version v = V1) {
    auto r = parseStatementQuery(p, v);
    if (auto* e = std::get_if<XapiError>(&r)) CPPUNIT_FAIL(e->describe());
    return std::get<StatementQuery>(r);
}

ErrorCode failure(const QueryParameters& p, Version v = V1) {
    auto r = parseStatementQuery(p, v);
    CPPUNIT_ASSERT(std::holds_alternative<XapiError>(r));
    CPPUNIT_ASSERT_EQUAL(400, std::get<XapiError>(r).httpStatus);
    return std::get<XapiError>(r).code;
}

Obj::Ptr parse(const std::string& json) {
    return std::get<Poco::Dynamic::Var>(parseJson(json)).extract<Obj::Ptr>();
}

const std::string kOther = R"({"mbox":"mailto:other@example.com"})";
const std::string kAdaParam = R"({"mbox":"mailto:ada@example.com"})";

}  // namespace

class QueryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(QueryTest);
    CPPUNIT_TEST(testAllParameters);
    CPPUNIT_TEST(testBadParameters);
    CPPUNIT_TEST(testConflicts);
    CPPUNIT_TEST(testAgentFilter);
    CPPUNIT_TEST(testActivityFilter);
    CPPUNIT_TEST(testOtherFilters);
    CPPUNIT_TEST(testQueryString);
    CPPUNIT_TEST(testMoreToken);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testAllParameters() {
        auto q = parseOk({{"agent", kAdaParam},
                          {"verb", "http://adlnet.gov/expapi/verbs/attempted"},
                          {"activity", "http://example.com/activities/a1"},
                          {"registration", "EC531277-B57B-4C15-8D91-D292C5B2B8F7"},
                          {"related_activities", "true"},
                          {"related_agents", "false"},
                          {"since", "2024-01-01T00:00:00Z"},
                          {"until", "2024-02-01T00:00:00.5+01:00"},
                          {"limit", "25"},
                          {"format", "canonical"},
                          {"attachments", "true"},
                          {"ascending", "true"}});
        CPPUNIT_ASSERT_EQUAL(std::string("mbox:mailto:ada@example.com"), q.agent->key());
        CPPUNIT_ASSERT_EQUAL(std::string("ec531277-b57b-4c15-8d91-d292c5b2b8f7"), *q.registration);
        CPPUNIT_ASSERT(q.relatedActivities && !q.relatedAgents && q.attachments && q.ascending);
        CPPUNIT_ASSERT_EQUAL(*parseTimestamp("2024-01-01T00:00:00Z", true), *q.since);
        CPPUNIT_ASSERT_EQUAL(*parseTimestamp("2024-01-31T23:00:00.5Z", true), *q.until);
        CPPUNIT_ASSERT_EQUAL(uint32_t(25), q.limit);
        CPPUNIT_ASSERT(q.format == StatementFormat::Canonical);
        const std::string canon = q.canonicalParameters();
        CPPUNIT_ASSERT(canon.find("agent=%7B%22mbox%22") == 0);
        CPPUNIT_ASSERT(canon.find("&limit=25&format=canonical&attachments=true&ascending=true") !=
                       std::string::npos);
        auto empty = parseOk({});
        CPPUNIT_ASSERT_EQUAL(uint32_t(0), empty.limit);
        CPPUNIT_ASSERT(empty.format == StatementFormat::Exact);
        CPPUNIT_ASSERT_EQUAL(std::string(), empty.canonicalParameters());
    }

    void testBadParameters() {
        CPPUNIT_ASSERT(failure({{"actor", kAdaParam}}) == ErrorCode::UnknownParameter);
        CPPUNIT_ASSERT(failure({{"Verb", "http://e.com/v"}}) == ErrorCode::UnknownParameter);
        CPPUNIT_ASSERT(failure({{"verb", "http://e.com/v"}, {"verb", "http://e.com/w"}}) ==
                       ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"agent", "mailto:ada@example.com"}}) ==
                       ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"agent", R"({"mbox":"ada@example.com"})"}}) ==
                       ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(
            failure(
                {{"agent", R"({"objectType":"Group","member":[{"mbox":"mailto:a@e.com"}]})"}}) ==
            ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"verb", "attempted"}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"activity", ""}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"registration", "abc"}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"related_agents", "yes"}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"ascending", "TRUE"}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"since", "yesterday"}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"until", "2024-01-01T00:00:00"}}, Version::V2_0_0) ==
                       ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"limit", "-1"}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"limit", "ten"}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"limit", ""}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"format", "full"}}) == ErrorCode::InvalidParameter);
        CPPUNIT_ASSERT(failure({{"statementId", "not-a-uuid"}}) == ErrorCode::InvalidParameter);
    }

    void testConflicts() {
        const std::string id = "6690e6c9-3ef0-4ed3-8b37-7f3964730bee";
        auto ok = parseOk({{"statementId", id}, {"format", "ids"}, {"attachments", "true"}});
        CPPUNIT_ASSERT_EQUAL(id, *ok.statementId);
        CPPUNIT_ASSERT(parseOk({{"voidedStatementId", id}}).voidedStatementId);
        CPPUNIT_ASSERT(failure({{"statementId", id}, {"verb", "http://e.com/v"}}) ==
                       ErrorCode::ConflictingParameters);
        CPPUNIT_ASSERT(failure({{"voidedStatementId", id}, {"limit", "1"}}) ==
                       ErrorCode::ConflictingParameters);
        CPPUNIT_ASSERT(failure({{"statementId", id}, {"voidedStatementId", id}}) ==
                       ErrorCode::ConflictingParameters);
        CPPUNIT_ASSERT(parseOk({{"more", "m1.abc.def"}}).more);
        CPPUNIT_ASSERT(failure({{"more", "m1.abc.def"}, {"limit", "2"}}) ==
                       ErrorCode::ConflictingParameters);
    }

    void testAgentFilter() {
        auto q = parseOk({{"agent", kAdaParam}});
        auto byActor = parse(xapitest::statement());
        CPPUNIT_ASSERT(matchesQuery(*byActor, 0, q));
        auto byObject = parse(xapitest::statement(
            kOther, xapitest::kVerb, R"({"objectType":"Agent","mbox":"mailto:ada@example.com"})"));
        CPPUNIT_ASSERT(matchesQuery(*byObject, 0, q));
        auto asInstructor =
            parse(xapitest::statement(kOther, xapitest::kVerb, xapitest::kObject,
                                      R"("context":{"instructor":)" + kAdaParam + "}"));
        CPPUNIT_ASSERT(!matchesQuery(*asInstructor, 0, q));
        auto asAuthority = parse(xapitest::statement(kOther, xapitest::kVerb, xapitest::kObject,
                                                     R"("authority":)" + kAdaParam));
        CPPUNIT_ASSERT(!matchesQuery(*asAuthority, 0, q));
        auto inSub = parse(xapitest::statement(kOther, xapitest::kVerb,
                                               R"({"objectType":"SubStatement","actor":)" +
                                                   kAdaParam + R"(,"verb":)" + xapitest::kVerb +
                                                   R"(,"object":)" + xapitest::kObject + "}"));
        CPPUNIT_ASSERT(!matchesQuery(*inSub, 0, q));
        auto related = parseOk({{"agent", kAdaParam}, {"related_agents", "true"}});
        CPPUNIT_ASSERT(matchesQuery(*asInstructor, 0, related));
        CPPUNIT_ASSERT(matchesQuery(*asAuthority, 0, related));
        CPPUNIT_ASSERT(matchesQuery(*inSub, 0, related));
        auto unrelated = parse(xapitest::withActor(kOther));
        CPPUNIT_ASSERT(!matchesQuery(*unrelated, 0, related));
        // Case of the e-mail domain does not matter.
        auto upper = parseOk({{"agent", R"({"mbox":"mailto:ada@EXAMPLE.com"})"}});
        CPPUNIT_ASSERT(matchesQuery(*byActor, 0, upper));
    }

    void testActivityFilter() {
        const std::string target = "http://example.com/activities/target";
        auto q = parseOk({{"activity", target}});
        auto direct = parse(xapitest::withObject(R"({"id":")" + target + R"("})"));
        CPPUNIT_ASSERT(matchesQuery(*direct, 0, q));
        auto parent = parse(xapitest::withObject(
            xapitest::kObject,
            R"("context":{"contextActivities":{"parent":{"id":")" + target + R"("}}})"));
        auto grouping = parse(xapitest::withObject(
            xapitest::kObject,
            R"("context":{"contextActivities":{"grouping":[{"id":"http://e.com/x"},{"id":")" +
                target + R"("}]}})"));
        auto sub = parse(xapitest::withObject(R"({"objectType":"SubStatement","actor":)" +
                                              xapitest::kActor + R"(,"verb":)" + xapitest::kVerb +
                                              R"(,"object":{"id":")" + target + R"("}})"));
        CPPUNIT_ASSERT(!matchesQuery(*parent, 0, q));
        CPPUNIT_ASSERT(!matchesQuery(*grouping, 0, q));
        CPPUNIT_ASSERT(!matchesQuery(*sub, 0, q));
        auto related = parseOk({{"activity", target}, {"related_activities", "true"}});
        CPPUNIT_ASSERT(matchesQuery(*parent, 0, related));
        CPPUNIT_ASSERT(matchesQuery(*grouping, 0, related));
        CPPUNIT_ASSERT(matchesQuery(*sub, 0, related));
        CPPUNIT_ASSERT(!matchesQuery(*parse(xapitest::statement()), 0, related));
    }

    void testOtherFilters() {
        auto s = parse(
            xapitest::with(R"("context":{"registration":"EC531277-B57B-4C15-8D91-D292C5B2B8F7"})"));
        CPPUNIT_ASSERT(matchesQuery(
            *s, 0, parseOk({{"registration", "ec531277-b57b-4c15-8d91-d292c5b2b8f7"}})));
        CPPUNIT_ASSERT(!matchesQuery(
            *s, 0, parseOk({{"registration", "ec531277-b57b-4c15-8d91-d292c5b2b8f8"}})));
        CPPUNIT_ASSERT(
            matchesQuery(*s, 0, parseOk({{"verb", "http://adlnet.gov/expapi/verbs/attempted"}})));
        CPPUNIT_ASSERT(
            !matchesQuery(*s, 0, parseOk({{"verb", "http://adlnet.gov/expapi/verbs/passed"}})));
        const int64_t t = *parseTimestamp("2024-01-01T00:00:00Z", true);
        auto since = parseOk({{"since", "2024-01-01T00:00:00Z"}});
        auto until = parseOk({{"until", "2024-01-01T00:00:00Z"}});
        CPPUNIT_ASSERT(!matchesQuery(*s, t, since));  // since is exclusive
        CPPUNIT_ASSERT(matchesQuery(*s, t + 1, since));
        CPPUNIT_ASSERT(matchesQuery(*s, t, until));  // until is inclusive
        CPPUNIT_ASSERT(!matchesQuery(*s, t + 1, until));
    }

    void testQueryString() {
        auto p = parseQueryString(
            "agent=%7B%22mbox%22%3A%22mailto%3Aa%40e.com%22%7D&limit=5&&format=ids&x");
        CPPUNIT_ASSERT_EQUAL(size_t(4), p.size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"mbox":"mailto:a@e.com"})"), p[0].second);
        CPPUNIT_ASSERT_EQUAL(std::string("x"), p[3].first);
        CPPUNIT_ASSERT_EQUAL(std::string(), p[3].second);
        // The canonical parameters parse back to the same query.
        auto q =
            parseOk({{"agent", kAdaParam}, {"since", "2024-01-01T00:00:00Z"}, {"format", "ids"}});
        auto again = parseOk(parseQueryString(q.canonicalParameters()));
        CPPUNIT_ASSERT_EQUAL(q.canonicalParameters(), again.canonicalParameters());
    }

    void testMoreToken() {
        PageCursor c{"verb=http%3A%2F%2Fe.com%2Fv&limit=2", 1700000000123,
                     "6690e6c9-3ef0-4ed3-8b37-7f3964730bee", 1700000000999};
        const std::string token = encodeMoreToken(c, kKey);
        for (char ch : token) {
            CPPUNIT_ASSERT(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' ||
                           ch == '.');
        }
        auto back = std::get<PageCursor>(decodeMoreToken(token, kKey));
        CPPUNIT_ASSERT_EQUAL(c.query, back.query);
        CPPUNIT_ASSERT_EQUAL(c.storedMillis, back.storedMillis);
        CPPUNIT_ASSERT_EQUAL(c.statementId, back.statementId);
        CPPUNIT_ASSERT_EQUAL(c.consistentThrough, back.consistentThrough);
        // Any change of any character is detected.
        for (size_t i = 0; i < token.size(); ++i) {
            std::string t = token;
            t[i] = t[i] == 'A' ? 'B' : 'A';
            auto r = decodeMoreToken(t, kKey);
            CPPUNIT_ASSERT_MESSAGE("accepted altered token at " + std::to_string(i),
                                   std::holds_alternative<XapiError>(r));
            CPPUNIT_ASSERT(std::get<XapiError>(r).code == ErrorCode::InvalidMoreToken);
        }
        CPPUNIT_ASSERT(
            std::holds_alternative<XapiError>(decodeMoreToken(token, "another-key-of-16-bytes")));
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(decodeMoreToken("", kKey)));
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(decodeMoreToken("m1.", kKey)));
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(decodeMoreToken(token + "x", kKey)));
        CPPUNIT_ASSERT_THROW(encodeMoreToken(c, "short"), std::invalid_argument);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(QueryTest);
