// Table of malformed and well-formed statements under both xAPI versions.
#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <sstream>
#include <vector>

#include <Poco/JSON/Stringifier.h>

#include "ValidationCases.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;
using namespace xapitest;

class ValidatorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ValidatorTest);
    CPPUNIT_TEST(testBadStatements);
    CPPUNIT_TEST(testGoodStatements);
    CPPUNIT_TEST(testVersionSpecificCases);
    CPPUNIT_TEST(testBatchPaths);
    CPPUNIT_TEST(testTextOverloads);
    CPPUNIT_TEST(testRoundTrip);
    CPPUNIT_TEST(testVersionHeader);
    CPPUNIT_TEST(testActorParameter);
    CPPUNIT_TEST(testCodeNames);
    CPPUNIT_TEST(testLongComponentLists);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testBadStatements() {
        const auto cases = badCases();
        CPPUNIT_ASSERT(cases.size() >= 60);
        int checked = 0;
        for (const auto& c : cases) {
            for (Version v : {V1, V2}) {
                if (v != c.version && !c.bothVersions) continue;
                const std::string label = std::string(c.name) + (v == V1 ? " (1.0.3)" : " (2.0)");
                auto err = validateStatement(std::string_view(c.json), v);
                CPPUNIT_ASSERT_MESSAGE("accepted: " + label, err.has_value());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(label + ": " + err->describe(),
                                             std::string(codeName(c.code)),
                                             std::string(err->name()));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(label, std::string(c.path), err->path);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(label, 400, err->httpStatus);
                ++checked;
            }
        }
        CPPUNIT_ASSERT(checked > 200);
    }

    void testGoodStatements() {
        const auto cases = goodCases();
        CPPUNIT_ASSERT(cases.size() >= 20);
        int i = 0;
        for (const auto& c : cases) {
            for (Version v : {V1, V2}) {
                if (v != c.version && !c.bothVersions) continue;
                auto err = validateStatement(std::string_view(c.json), v);
                CPPUNIT_ASSERT_MESSAGE(
                    "good case " + std::to_string(i) + " rejected: " + (err ? err->describe() : ""),
                    !err);
            }
            ++i;
        }
    }

    // The version-specific cases really differ between the versions.
    void testVersionSpecificCases() {
        int specific = 0;
        for (const auto& c : badCases()) {
            if (c.bothVersions) continue;
            const Version other = c.version == V1 ? V2 : V1;
            auto err = validateStatement(std::string_view(c.json), other);
            CPPUNIT_ASSERT_MESSAGE(c.name, !err || err->code != c.code || err->path != c.path);
            ++specific;
        }
        for (const auto& c : goodCases()) {
            if (c.bothVersions) continue;
            CPPUNIT_ASSERT(validateStatement(std::string_view(c.json), c.version == V1 ? V2 : V1));
            ++specific;
        }
        CPPUNIT_ASSERT_EQUAL(12, specific);
    }

    // Text of every string type goes to the JSON text overload.
    void testTextOverloads() {
        const std::string text = statement();
        CPPUNIT_ASSERT(!validateStatement(text, V1));
        CPPUNIT_ASSERT(!validateStatement(text.c_str(), V2));
        CPPUNIT_ASSERT(validateStatement("{}", V1)->code == ErrorCode::MissingProperty);
        CPPUNIT_ASSERT(validateStatement(std::string("not json"), V1)->code ==
                       ErrorCode::InvalidJson);
    }

    void testBatchPaths() {
        std::string body = "[";
        body.append(statement()).append(",").append(withActor(R"({"mbox":"x"})")).append("]");
        auto r = parseStatements(body, V1);
        auto* err = std::get_if<XapiError>(&r);
        CPPUNIT_ASSERT(err);
        CPPUNIT_ASSERT_EQUAL(std::string("$[1].actor.mbox"), err->path);
        std::string two = "[";
        two.append(statement()).append(",").append(statement()).append("]");
        auto ok = parseStatements(two, V2);
        auto* parsed = std::get_if<ParsedStatements>(&ok);
        CPPUNIT_ASSERT(parsed);
        CPPUNIT_ASSERT(parsed->batch);
        CPPUNIT_ASSERT_EQUAL(size_t(2), parsed->statements.size());
        const std::string withId = with(R"("id":"6690e6c9-3ef0-4ed3-8b37-7f3964730bee")");
        const std::string upperId = with(R"("id":"6690E6C9-3EF0-4ED3-8B37-7F3964730BEE")");
        std::string dup = "[";
        dup.append(withId).append(",").append(statement()).append(",").append(upperId).append("]");
        auto duplicate = parseStatements(dup, V1);
        auto* dupErr = std::get_if<XapiError>(&duplicate);
        CPPUNIT_ASSERT(dupErr);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.duplicate_statement_id"),
                             std::string(dupErr->name()));
        CPPUNIT_ASSERT_EQUAL(std::string("$[2].id"), dupErr->path);
        auto single = parseStatements(statement(), V2);
        CPPUNIT_ASSERT(!std::get<ParsedStatements>(single).batch);
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(parseStatements("[1]", V1)));
    }

    void testRoundTrip() {
        for (const auto& c : goodCases()) {
            const Version version = c.version;
            auto first = std::get<Poco::Dynamic::Var>(parseJson(c.json));
            std::ostringstream once;
            Poco::JSON::Stringifier::condense(first, once);
            auto second = std::get<Poco::Dynamic::Var>(parseJson(once.str()));
            std::ostringstream twice;
            Poco::JSON::Stringifier::condense(second, twice);
            CPPUNIT_ASSERT_EQUAL(once.str(), twice.str());
            CPPUNIT_ASSERT(!validateStatement(second, version));
        }
    }

    void testVersionHeader() {
        for (const char* h : {"1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3"}) {
            auto v = versionFromHeader(std::string_view(h));
            CPPUNIT_ASSERT(std::get<Version>(v) == V1);
        }
        CPPUNIT_ASSERT(std::get<Version>(versionFromHeader(std::string_view("2.0.0"))) == V2);
        for (const char* h : {"0.95", "1.1.0", "2.1.0", "", "1.0.4", "3.0.0"}) {
            auto v = versionFromHeader(std::string_view(h));
            auto* err = std::get_if<XapiError>(&v);
            CPPUNIT_ASSERT_MESSAGE(h, err);
            CPPUNIT_ASSERT(err->code == ErrorCode::UnsupportedVersion);
            CPPUNIT_ASSERT_EQUAL(400, err->httpStatus);
        }
        auto missing = versionFromHeader(std::nullopt);
        CPPUNIT_ASSERT(std::get<XapiError>(missing).code == ErrorCode::MissingVersionHeader);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), std::string(versionHeaderValue(V2)));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.3"), std::string(versionHeaderValue(V1)));
    }

    // Long component lists take another path for the distinct-id check.
    void testLongComponentLists() {
        auto build = [](int count, int duplicateOf) {
            std::string list;
            for (int i = 0; i < count; ++i) {
                if (i) list += ",";
                const int id = (i == count - 1 && duplicateOf >= 0) ? duplicateOf : (count - i) * 7;
                list += R"({"id":"c)" + std::to_string(id) + R"("})";
            }
            return interaction(R"({"interactionType":"choice","choices":[)" + list + "]}");
        };
        CPPUNIT_ASSERT(!validateStatement(std::string_view(build(100, -1)), V1));
        for (int dup : {700, 490, 420, 14}) {  // ids of elements 0, 30, 40 and 98
            auto err = validateStatement(std::string_view(build(100, dup)), V1);
            CPPUNIT_ASSERT_MESSAGE(std::to_string(dup),
                                   err && err->code == ErrorCode::InvalidInteraction);
            CPPUNIT_ASSERT_EQUAL(std::string("$.object.definition.choices[99].id"), err->path);
        }
        auto early = validateStatement(std::string_view(build(20, 7 * 5)), V1);
        CPPUNIT_ASSERT(early && early->path == "$.object.definition.choices[19].id");
    }

    void testCodeNames() {
        std::set<std::string> names;
        const int last = static_cast<int>(ErrorCode::UnsupportedContentType);
        for (int i = 0; i <= last; ++i) {
            const auto code = static_cast<ErrorCode>(i);
            const std::string name(codeName(code));
            CPPUNIT_ASSERT(name.rfind("xapi.", 0) == 0 && name != "xapi.unknown");
            CPPUNIT_ASSERT_MESSAGE(name, names.insert(name).second);
            CPPUNIT_ASSERT_EQUAL(code == ErrorCode::PayloadTooLarge ? 413 : 400,
                                 httpStatusFor(code));
        }
        auto e = makeError(ErrorCode::InvalidIri, "bad", "$.verb.id");
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.invalid_iri at $.verb.id: bad"), e.describe());
    }

    void testActorParameter() {
        auto group = std::get<Poco::Dynamic::Var>(
            parseJson(R"({"objectType":"Group","mbox":"mailto:g@example.com"})"));
        CPPUNIT_ASSERT(!validateActor(group, V1));
        CPPUNIT_ASSERT(validateAgent(group, V1)->code == ErrorCode::InvalidObjectType);
        auto bad = std::get<Poco::Dynamic::Var>(parseJson(R"({"mbox":"nope"})"));
        CPPUNIT_ASSERT(validateActor(bad, V2)->code == ErrorCode::InvalidMbox);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ValidatorTest);
