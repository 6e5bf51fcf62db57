// Storage index entries, activity definitions and JSON output helpers.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include <Poco/JSON/Array.h>

#include "StatementCases.h"
#include "assay/xapi/Serialise.h"
#include "assay/xapi/StatementIndex.h"
#include "assay/xapi/StatementQuery.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;
using Obj = Poco::JSON::Object;

namespace {

Obj::Ptr parse(const std::string& json) {
    return std::get<Poco::Dynamic::Var>(parseJson(json)).extract<Obj::Ptr>();
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

const std::string kAda = R"({"mbox":"mailto:ada@example.com"})";
const std::string kBob = R"({"mbox":"mailto:bob@example.com"})";
const std::string kTina = R"({"account":{"homePage":"http://lms.example.com","name":"tina"}})";

// Statements touching agents and activities in every position the filters know.
std::vector<std::string> statements() {
    const std::string sub =
        R"({"objectType":"SubStatement","actor":)" + kTina + R"(,"verb":)" + xapitest::kVerb +
        R"(,"object":{"id":"http://e.com/inner"},"context":{"contextActivities":{"other":{"id":"http://e.com/inner-ctx"}}}})";
    return {
        xapitest::statement(kAda),
        xapitest::statement(kBob, xapitest::kVerb,
                            R"({"objectType":"Agent","mbox":"mailto:ada@example.com"})"),
        xapitest::statement(
            kBob, xapitest::kVerb, xapitest::kObject,
            R"("context":{"instructor":)" + kAda +
                R"(,"team":{"objectType":"Group","mbox":"mailto:team@example.com"},"contextActivities":{"parent":{"id":"http://e.com/course"},"grouping":[{"id":"http://e.com/program"}]}})"),
        xapitest::statement(kBob, xapitest::kVerb, sub, R"("authority":)" + kTina),
        xapitest::statement(R"({"objectType":"Group","mbox":"mailto:team@example.com","member":[)" +
                            kAda + "]}"),
    };
}

}  // namespace

class IndexTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(IndexTest);
    CPPUNIT_TEST(testEntries);
    CPPUNIT_TEST(testAgreesWithQueryMatching);
    CPPUNIT_TEST(testVoiding);
    CPPUNIT_TEST(testDefinitions);
    CPPUNIT_TEST(testJsonOutput);
    CPPUNIT_TEST(testSupportedVersions);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testEntries() {
        auto s = parse(statements()[2]);
        s->getObject("context")->set("registration",
                                     std::string("EC531277-B57B-4C15-8D91-D292C5B2B8F7"));
        const auto index = indexStatement(*s);
        CPPUNIT_ASSERT_EQUAL(size_t(1), index.agents.size());
        CPPUNIT_ASSERT_EQUAL(std::string("mbox:mailto:bob@example.com"), index.agents[0]);
        CPPUNIT_ASSERT(contains(index.relatedAgents, "mbox:mailto:ada@example.com"));
        CPPUNIT_ASSERT(contains(index.relatedAgents, "mbox:mailto:team@example.com"));
        CPPUNIT_ASSERT(index.activities ==
                       std::vector<std::string>{"http://example.com/activities/a1"});
        CPPUNIT_ASSERT(contains(index.relatedActivities, "http://e.com/course"));
        CPPUNIT_ASSERT(contains(index.relatedActivities, "http://e.com/program"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://adlnet.gov/expapi/verbs/attempted"), index.verb);
        CPPUNIT_ASSERT_EQUAL(std::string("ec531277-b57b-4c15-8d91-d292c5b2b8f7"),
                             *index.registration);
        CPPUNIT_ASSERT(!index.voidedStatementId);
        auto withSub = indexStatement(*parse(statements()[3]));
        CPPUNIT_ASSERT(contains(withSub.relatedAgents, "account:http://lms.example.com tina"));
        CPPUNIT_ASSERT(contains(withSub.relatedActivities, "http://e.com/inner"));
        CPPUNIT_ASSERT(contains(withSub.relatedActivities, "http://e.com/inner-ctx"));
        CPPUNIT_ASSERT(withSub.activities.empty());
    }

    // The index gives the same answers as the reference filter semantics.
    void testAgreesWithQueryMatching() {
        const std::vector<std::string> agents = {
            kAda, kBob, kTina, R"({"objectType":"Group","mbox":"mailto:team@example.com"})"};
        const std::vector<std::string> activities = {
            "http://example.com/activities/a1", "http://e.com/course", "http://e.com/program",
            "http://e.com/inner", "http://e.com/inner-ctx"};
        int checks = 0;
        for (const auto& json : statements()) {
            auto s = parse(json);
            CPPUNIT_ASSERT(!validateStatement(s, Version::V1_0_3));
            const auto index = indexStatement(*s);
            for (const auto& agent : agents) {
                for (const char* related : {"false", "true"}) {
                    auto q = std::get<StatementQuery>(parseStatementQuery(
                        {{"agent", agent}, {"related_agents", related}}, Version::V1_0_3));
                    const auto& list =
                        std::string(related) == "true" ? index.relatedAgents : index.agents;
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(json).append(" / ").append(agent),
                                                 matchesQuery(*s, 0, q),
                                                 contains(list, q.agent->key()));
                    ++checks;
                }
            }
            for (const auto& activity : activities) {
                for (const char* related : {"false", "true"}) {
                    auto q = std::get<StatementQuery>(parseStatementQuery(
                        {{"activity", activity}, {"related_activities", related}},
                        Version::V1_0_3));
                    const auto& list =
                        std::string(related) == "true" ? index.relatedActivities : index.activities;
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(json).append(" / ").append(activity),
                                                 matchesQuery(*s, 0, q), contains(list, activity));
                    ++checks;
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(90, checks);
    }

    void testVoiding() {
        auto voiding = parse(xapitest::statement(
            kAda, R"({"id":"http://adlnet.gov/expapi/verbs/voided"})",
            R"({"objectType":"StatementRef","id":"e05aa883-acaf-40ad-bf54-02c8ce485fb0"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("e05aa883-acaf-40ad-bf54-02c8ce485fb0"),
                             *indexStatement(*voiding).voidedStatementId);
        auto reference = parse(xapitest::statement(
            kAda, xapitest::kVerb,
            R"({"objectType":"StatementRef","id":"e05aa883-acaf-40ad-bf54-02c8ce485fb0"})"));
        CPPUNIT_ASSERT(!indexStatement(*reference).voidedStatementId);
    }

    void testDefinitions() {
        auto s = parse(xapitest::statement(
            kAda, xapitest::kVerb, R"({"id":"http://e.com/a","definition":{"name":{"en":"A"}}})",
            R"("context":{"contextActivities":{"parent":[{"id":"http://e.com/p"}]}})"));
        auto mentions = activitiesWithDefinitions(*s);
        CPPUNIT_ASSERT_EQUAL(size_t(2), mentions.size());
        CPPUNIT_ASSERT_EQUAL(std::string("http://e.com/a"), mentions[0].id);
        CPPUNIT_ASSERT(mentions[0].definition);
        CPPUNIT_ASSERT(!mentions[1].definition);

        auto stored = parse(
            R"({"name":{"en":"Old","de":"Alt"},"type":"http://e.com/t1","moreInfo":"http://e.com/m"})");
        auto incoming = parse(R"({"name":{"en":"New","fr":"Nouveau"},"type":"http://e.com/t2"})");
        auto merged = mergeActivityDefinition(stored, *incoming);
        auto name = merged->getObject("name");
        CPPUNIT_ASSERT_EQUAL(std::string("New"), name->getValue<std::string>("en"));
        CPPUNIT_ASSERT_EQUAL(std::string("Alt"), name->getValue<std::string>("de"));
        CPPUNIT_ASSERT_EQUAL(std::string("Nouveau"), name->getValue<std::string>("fr"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://e.com/t2"), merged->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://e.com/m"),
                             merged->getValue<std::string>("moreInfo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Old"),
                             stored->getObject("name")->getValue<std::string>("en"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), mergeActivityDefinition(nullptr, *incoming)->size());
    }

    void testJsonOutput() {
        auto a = parse(xapitest::statement());
        auto b = parse(xapitest::statement(kBob));
        auto result = parse(statementResultJson({a, b}, "/xapi/statements?more=m1.x.y"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), result->getArray("statements")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("/xapi/statements?more=m1.x.y"),
                             result->getValue<std::string>("more"));
        auto empty = parse(statementResultJson({}, ""));
        CPPUNIT_ASSERT_EQUAL(size_t(0), empty->getArray("statements")->size());
        CPPUNIT_ASSERT_EQUAL(std::string(), empty->getValue<std::string>("more"));
        auto ids = std::get<Poco::Dynamic::Var>(parseJson(statementIdsJson({"a\"b", "c"})))
                       .extract<Poco::JSON::Array::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("a\"b"), ids->getElement<std::string>(0));
        CPPUNIT_ASSERT(!validateStatement(std::string_view(toJson(*a)), Version::V2_0_0));
    }

    void testSupportedVersions() {
        CPPUNIT_ASSERT_EQUAL(size_t(5), supportedVersions().size());
        for (auto v : supportedVersions()) {
            CPPUNIT_ASSERT(std::holds_alternative<Version>(versionFromHeader(v)));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IndexTest);
