// The statements Assay emits: valid under both versions, stable ids, the documented shape.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include "assay/xapi/StatementBuilder.h"
#include "assay/xapi/Syntax.h"
#include "assay/xapi/Validator.h"
#include "assay/xapi/Vocabulary.h"

using namespace assay::xapi;
using Obj = Poco::JSON::Object;

namespace {

StudentEvent event(const std::string& eventId = "outbox-17") {
    StudentEvent e;
    e.learner = {"https://moodle.example.edu", "u-8842", "Ada Lovelace"};
    e.assignment = {"a/42", "Loops & lists", {"c 7", "CS1"}};
    e.attemptId = "attempt-3";
    e.eventId = eventId;
    e.timestampMillis = 1717243200250;  // 2024-06-01T12:00:00.250Z
    return e;
}

StatementBuilder builder() {
    return StatementBuilder({"https://assay.example.edu/", "", "Assay", "en"});
}

void assertValid(const Obj::Ptr& s) {
    for (Version v : {Version::V1_0_3, Version::V2_0_0}) {
        auto err = validateStatement(s, v);
        CPPUNIT_ASSERT_MESSAGE(err ? err->describe() : "", !err);
    }
}

}  // namespace

class BuilderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BuilderTest);
    CPPUNIT_TEST(testCommonShape);
    CPPUNIT_TEST(testPracticeRun);
    CPPUNIT_TEST(testGrades);
    CPPUNIT_TEST(testEveryVerbValidates);
    CPPUNIT_TEST(testStableIds);
    CPPUNIT_TEST(testIris);
    CPPUNIT_TEST(testBadInput);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testCommonShape() {
        auto s = builder().launched(event());
        assertValid(s);
        auto account = s->getObject("actor")->getObject("account");
        CPPUNIT_ASSERT_EQUAL(std::string("https://moodle.example.edu"),
                             account->getValue<std::string>("homePage"));
        CPPUNIT_ASSERT_EQUAL(std::string("u-8842"), account->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(std::string(vocab::kLaunched),
                             s->getObject("verb")->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://assay.example.edu/xapi/activities/assignments/a%2F42"),
            s->getObject("object")->getValue<std::string>("id"));
        auto context = s->getObject("context");
        CPPUNIT_ASSERT_EQUAL(std::string("Assay"), context->getValue<std::string>("platform"));
        CPPUNIT_ASSERT_EQUAL(builder().registrationFor("attempt-3"),
                             context->getValue<std::string>("registration"));
        auto parent = context->getObject("contextActivities")->getArray("parent")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/xapi/activities/courses/c%207"),
                             parent->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string(vocab::kCourseType),
                             parent->getObject("definition")->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("2024-06-01T12:00:00.250Z"),
                             s->getValue<std::string>("timestamp"));
        CPPUNIT_ASSERT(!s->has("version"));
    }

    void testPracticeRun() {
        RunResult run;
        run.runId = "run-99";
        run.points = 7;
        run.maxPoints = 10;
        run.success = false;
        run.durationMillis = 1254;
        run.testsRun = 10;
        run.failingTests = {{"test_empty list"}, {"test_negative"}};
        auto s = builder().practiceRun(event(), run);
        assertValid(s);
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/xapi/vocab/verbs/ran"),
                             s->getObject("verb")->getValue<std::string>("id"));
        auto result = s->getObject("result");
        CPPUNIT_ASSERT_EQUAL(0.7, result->getObject("score")->getValue<double>("scaled"));
        CPPUNIT_ASSERT_EQUAL(7.0, result->getObject("score")->getValue<double>("raw"));
        CPPUNIT_ASSERT_EQUAL(false, result->getValue<bool>("success"));
        CPPUNIT_ASSERT_EQUAL(std::string("PT1.25S"), result->getValue<std::string>("duration"));
        auto failing =
            result->getObject("extensions")
                ->getArray("https://assay.example.edu/xapi/vocab/extensions/failing-tests");
        CPPUNIT_ASSERT_EQUAL(size_t(2), failing->size());
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu/xapi/activities/assignments/"
                                         "a%2F42/tests/test_empty%20list"),
                             failing->getObject(0)->getValue<std::string>("id"));
        auto testDefinition = failing->getObject(1)->getObject("definition");
        CPPUNIT_ASSERT_EQUAL(
            std::string("https://assay.example.edu/xapi/vocab/activity-types/test-case"),
            testDefinition->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("test_negative"),
                             testDefinition->getObject("name")->getValue<std::string>("en"));
        CPPUNIT_ASSERT_EQUAL(
            10, result->getObject("extensions")
                    ->getValue<int>("https://assay.example.edu/xapi/vocab/extensions/tests-run"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("run-99"),
            s->getObject("context")
                ->getObject("extensions")
                ->getValue<std::string>("https://assay.example.edu/xapi/vocab/extensions/run-id"));
    }

    void testGrades() {
        Grade g{"sub-5", 12, 8, true};  // above max is clamped
        auto scored = builder().scored(event(), g);
        assertValid(scored);
        CPPUNIT_ASSERT_EQUAL(
            1.0, scored->getObject("result")->getObject("score")->getValue<double>("scaled"));
        auto passed = builder().passedOrFailed(event(), g);
        assertValid(passed);
        CPPUNIT_ASSERT_EQUAL(std::string(vocab::kPassed),
                             passed->getObject("verb")->getValue<std::string>("id"));
        g.passed = false;
        g.points = 2;
        auto failed = builder().passedOrFailed(event(), g);
        assertValid(failed);
        CPPUNIT_ASSERT_EQUAL(std::string(vocab::kFailed),
                             failed->getObject("verb")->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(
            0.25, failed->getObject("result")->getObject("score")->getValue<double>("scaled"));
        CPPUNIT_ASSERT_EQUAL(false, failed->getObject("result")->getValue<bool>("success"));
        auto submitted = builder().submitted(event(), "sub-5");
        assertValid(submitted);
        CPPUNIT_ASSERT_EQUAL(
            std::string("sub-5"),
            submitted->getObject("context")
                ->getObject("extensions")
                ->getValue<std::string>(
                    "https://assay.example.edu/xapi/vocab/extensions/submission-id"));
    }

    void testEveryVerbValidates() {
        auto b = builder();
        StudentEvent anonymous = event();
        anonymous.learner.name.clear();
        anonymous.assignment.title.clear();
        for (const auto& s : {b.launched(anonymous), b.attempted(event()), b.completed(event()),
                              b.submitted(event(), ""),
                              b.practiceRun(event(), RunResult{"", 0, 3, false, 0, 0, {}})}) {
            assertValid(s);
        }
    }

    void testStableIds() {
        auto b = builder();
        const std::string first = b.launched(event())->getValue<std::string>("id");
        CPPUNIT_ASSERT(isUuid(first));
        CPPUNIT_ASSERT_EQUAL(first, b.launched(event())->getValue<std::string>("id"));
        CPPUNIT_ASSERT(first != b.launched(event("outbox-18"))->getValue<std::string>("id"));
        Grade g{"s", 1, 2, true};
        CPPUNIT_ASSERT(b.scored(event(), g)->getValue<std::string>("id") !=
                       b.passedOrFailed(event(), g)->getValue<std::string>("id"));
        StatementBuilder other({"https://other.example.edu", "", "Assay", "en"});
        CPPUNIT_ASSERT(first != other.launched(event())->getValue<std::string>("id"));
        CPPUNIT_ASSERT(b.registrationFor("a") != b.registrationFor("b"));
    }

    void testIris() {
        auto b = builder();
        CPPUNIT_ASSERT(isAbsoluteIri(b.testIri("x", "ünïcode name/1")));
        StatementBuilder custom(
            {"https://assay.example.edu", "https://vocab.example.org/assay#", "Assay", "de"});
        CPPUNIT_ASSERT_EQUAL(std::string("https://vocab.example.org/assay#verbs/ran"),
                             custom.vocabulary(vocab::kRanTerm));
        auto s = custom.launched(event());
        CPPUNIT_ASSERT(s->getObject("verb")->getObject("display")->has("de"));
        CPPUNIT_ASSERT_EQUAL(std::string("PT0S"), StatementBuilder::duration(0));
        CPPUNIT_ASSERT_EQUAL(std::string("PT61S"), StatementBuilder::duration(61000));
        CPPUNIT_ASSERT_EQUAL(std::string("PT0.05S"), StatementBuilder::duration(59));
    }

    void testBadInput() {
        CPPUNIT_ASSERT_THROW(StatementBuilder({"assay.example.edu", "", "Assay", "en"}),
                             std::invalid_argument);
        CPPUNIT_ASSERT_THROW(StatementBuilder({"https://a.example.edu", "", "Assay", "en_US"}),
                             std::invalid_argument);
        StudentEvent e = event();
        e.learner.ltiUserId.clear();
        CPPUNIT_ASSERT_THROW(builder().launched(e), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(builder().scored(event(), Grade{"s", 1, 0, true}),
                             std::invalid_argument);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuilderTest);
