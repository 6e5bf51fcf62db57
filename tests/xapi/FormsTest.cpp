// Stored form, output forms (exact / ids / canonical), Accept-Language and comparison.
#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

#include <Poco/JSON/Array.h>

#include "StatementCases.h"
#include "assay/xapi/Comparison.h"
#include "assay/xapi/Identity.h"
#include "assay/xapi/OutputForm.h"
#include "assay/xapi/StoredForm.h"
#include "assay/xapi/Syntax.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;
using Obj = Poco::JSON::Object;

namespace {

Obj::Ptr parse(const std::string& json) {
    return std::get<Poco::Dynamic::Var>(parseJson(json)).extract<Obj::Ptr>();
}

std::string text(const Obj::Ptr& o) {
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

const std::string kRich = R"J({
  "actor":{"objectType":"Group","name":"Team","member":[
     {"name":"Ada","mbox":"mailto:ada@example.com"},{"name":"Bob","openid":"http://id.example.org/bob"}]},
  "verb":{"id":"http://adlnet.gov/expapi/verbs/attempted","display":{"en-US":"attempted","de":"versuchte","fr-CA":"a tenté"}},
  "object":{"id":"http://example.com/q1","definition":{"name":{"en":"Question","de-DE":"Frage"},
     "description":{"en-GB":"A question","de":"Eine Frage"},"interactionType":"choice",
     "choices":[{"id":"a","description":{"en":"A","de":"A (de)"}}]}},
  "context":{"instructor":{"name":"Tina","account":{"homePage":"http://lms.example.com","name":"t1"}},
     "contextActivities":{"parent":{"id":"http://example.com/course","definition":{"name":{"en":"Course","de":"Kurs"}}}}},
  "authority":{"name":"LRS","mbox":"mailto:lrs@example.com"}
})J";

}  // namespace

class FormsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FormsTest);
    CPPUNIT_TEST(testPrepareForStorage);
    CPPUNIT_TEST(testKeepsClientValues);
    CPPUNIT_TEST(testIdsForm);
    CPPUNIT_TEST(testCanonicalForm);
    CPPUNIT_TEST(testAcceptLanguage);
    CPPUNIT_TEST(testExactIsUnchanged);
    CPPUNIT_TEST(testOlderClients);
    CPPUNIT_TEST(testEquivalence);
    CPPUNIT_TEST(testIdentity);
    CPPUNIT_TEST(testTimestamps);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testPrepareForStorage() {
        auto s = parse(kRich);
        StoreOptions o;
        o.storedMillis = 1700000000123;
        o.authority = parse(
            R"({"objectType":"Agent","account":{"homePage":"http://assay.example.edu","name":"client-1"}})");
        const std::string id = prepareForStorage(*s, o);
        CPPUNIT_ASSERT(isUuid(id));
        CPPUNIT_ASSERT_EQUAL(id, s->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("2023-11-14T22:13:20.123Z"),
                             s->getValue<std::string>("stored"));
        CPPUNIT_ASSERT_EQUAL(s->getValue<std::string>("stored"),
                             s->getValue<std::string>("timestamp"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), s->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("client-1"),
            s->getObject("authority")->getObject("account")->getValue<std::string>("name"));
        auto parent = s->getObject("context")->getObject("contextActivities")->getArray("parent");
        CPPUNIT_ASSERT(parent);
        CPPUNIT_ASSERT_EQUAL(size_t(1), parent->size());
        CPPUNIT_ASSERT(!validateStatement(s, Version::V1_0_3));
        auto two = parse(xapitest::statement());
        StoreOptions o2;
        o2.storedMillis = 0;
        o2.version = Version::V2_0_0;
        const std::string id2 = prepareForStorage(*two, o2);
        CPPUNIT_ASSERT(id2 != id);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), two->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(std::string("1970-01-01T00:00:00.000Z"),
                             two->getValue<std::string>("stored"));
    }

    void testKeepsClientValues() {
        auto s = parse(xapitest::with(
            R"("id":"6690e6c9-3ef0-4ed3-8b37-7f3964730bee","timestamp":"2020-01-01T00:00:00Z","version":"1.0.3","stored":"1999-01-01T00:00:00Z","authority":{"mbox":"mailto:x@example.com"})"));
        StoreOptions o;
        o.storedMillis = 1000;
        o.authority = parse(R"({"mbox":"mailto:lrs@example.com"})");
        o.trustProvidedAuthority = true;
        CPPUNIT_ASSERT_EQUAL(std::string("6690e6c9-3ef0-4ed3-8b37-7f3964730bee"),
                             prepareForStorage(*s, o));
        CPPUNIT_ASSERT_EQUAL(std::string("2020-01-01T00:00:00Z"),
                             s->getValue<std::string>("timestamp"));
        CPPUNIT_ASSERT_EQUAL(std::string("1970-01-01T00:00:01.000Z"),
                             s->getValue<std::string>("stored"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.3"), s->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(std::string("mailto:x@example.com"),
                             s->getObject("authority")->getValue<std::string>("mbox"));
        o.trustProvidedAuthority = false;
        prepareForStorage(*s, o);
        CPPUNIT_ASSERT_EQUAL(std::string("mailto:lrs@example.com"),
                             s->getObject("authority")->getValue<std::string>("mbox"));
    }

    void testIdsForm() {
        auto s = parse(kRich);
        const std::string before = text(s);
        auto ids = renderStatement(s, StatementFormat::Ids);
        CPPUNIT_ASSERT_EQUAL(before, text(s));  // the stored tree is untouched
        auto verb = ids->getObject("verb");
        CPPUNIT_ASSERT_EQUAL(size_t(1), verb->size());
        auto object = ids->getObject("object");
        CPPUNIT_ASSERT(!object->has("definition"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://example.com/q1"),
                             object->getValue<std::string>("id"));
        auto actor = ids->getObject("actor");
        CPPUNIT_ASSERT(!actor->has("name"));
        auto members = actor->getArray("member");
        CPPUNIT_ASSERT_EQUAL(size_t(2), members->size());
        CPPUNIT_ASSERT(!members->getObject(0)->has("name"));
        CPPUNIT_ASSERT(members->getObject(0)->has("mbox"));
        auto instructor = ids->getObject("context")->getObject("instructor");
        CPPUNIT_ASSERT(!instructor->has("name"));
        CPPUNIT_ASSERT(instructor->has("account"));
        CPPUNIT_ASSERT(!ids->getObject("authority")->has("name"));
        auto parent =
            ids->getObject("context")->getObject("contextActivities")->getObject("parent");
        CPPUNIT_ASSERT(!parent->has("definition"));
    }

    void testCanonicalForm() {
        auto s = parse(kRich);
        auto c = renderStatement(s, StatementFormat::Canonical,
                                 LanguagePreference::parse("de-DE, en;q=0.5"));
        auto display = c->getObject("verb")->getObject("display");
        CPPUNIT_ASSERT_EQUAL(size_t(1), display->size());
        CPPUNIT_ASSERT(display->has("de"));
        auto def = c->getObject("object")->getObject("definition");
        CPPUNIT_ASSERT(def->getObject("name")->has("de-DE"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), def->getObject("name")->size());
        CPPUNIT_ASSERT(def->getObject("description")->has("de"));
        CPPUNIT_ASSERT(def->getArray("choices")->getObject(0)->getObject("description")->has("de"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("Ada"),
            c->getObject("actor")->getArray("member")->getObject(0)->getValue<std::string>("name"));
        // A canonical definition from the LRS replaces the statement's.
        CanonicalDefinitions defs = [](const std::string& id) -> Obj::Ptr {
            if (id != "http://example.com/course") return nullptr;
            return parse(R"J({"name":{"en":"Course (canonical)","fr":"Cours"}})J");
        };
        auto c2 =
            renderStatement(s, StatementFormat::Canonical, LanguagePreference::parse("fr"), defs);
        auto parent = c2->getObject("context")->getObject("contextActivities")->getObject("parent");
        CPPUNIT_ASSERT_EQUAL(
            std::string("Cours"),
            parent->getObject("definition")->getObject("name")->getValue<std::string>("fr"));
    }

    void testAcceptLanguage() {
        auto map = parse(R"({"en-US":"a","de":"b","fr-CA":"c","und":"d"})");
        CPPUNIT_ASSERT_EQUAL(std::string("de"), LanguagePreference::parse("de").bestKey(*map));
        CPPUNIT_ASSERT_EQUAL(std::string("en-US"), LanguagePreference::parse("en").bestKey(*map));
        CPPUNIT_ASSERT_EQUAL(std::string("de"), LanguagePreference::parse("de-AT").bestKey(*map));
        CPPUNIT_ASSERT_EQUAL(
            std::string("fr-CA"),
            LanguagePreference::parse("es;q=0.9, fr-ca;q=0.8, de;q=0.1").bestKey(*map));
        CPPUNIT_ASSERT_EQUAL(std::string("de"),
                             LanguagePreference::parse("fr-CA;q=0, de").bestKey(*map));
        CPPUNIT_ASSERT_EQUAL(std::string("und"), LanguagePreference::parse("ja").bestKey(*map));
        auto noUnd = parse(R"({"zh":"a","ar":"b"})");
        CPPUNIT_ASSERT_EQUAL(std::string("ar"), LanguagePreference().bestKey(*noUnd));
        CPPUNIT_ASSERT_EQUAL(std::string(), LanguagePreference().bestKey(Obj()));
        CPPUNIT_ASSERT(parseStatementFormat("ids") == StatementFormat::Ids);
        CPPUNIT_ASSERT(!parseStatementFormat("IDS"));
    }

    void testOlderClients() {
        const std::string agents =
            R"("context":{"platform":"p","contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:c@e.com"}}],)"
            R"("contextGroups":[{"objectType":"contextGroup","group":{"objectType":"Group","mbox":"mailto:g@e.com"}}]})";
        auto s = parse(xapitest::with(agents));
        auto old = renderForVersion(s, Version::V1_0_3);
        CPPUNIT_ASSERT(!old->getObject("context")->has("contextAgents"));
        CPPUNIT_ASSERT(!old->getObject("context")->has("contextGroups"));
        CPPUNIT_ASSERT(old->getObject("context")->has("platform"));
        CPPUNIT_ASSERT(
            s->getObject("context")->has("contextAgents"));  // the stored tree is untouched
        CPPUNIT_ASSERT(!validateStatement(old, Version::V1_0_3));
        CPPUNIT_ASSERT(renderForVersion(s, Version::V2_0_0).get() == s.get());
        auto plain = parse(xapitest::statement());
        CPPUNIT_ASSERT(renderForVersion(plain, Version::V1_0_3).get() == plain.get());
        auto sub = parse(xapitest::withObject(
            R"({"objectType":"SubStatement","actor":)" + xapitest::kActor + R"(,"verb":)" +
            xapitest::kVerb + R"(,"object":)" + xapitest::kObject + "," + agents + "}"));
        CPPUNIT_ASSERT(validateStatement(sub, Version::V1_0_3));
        CPPUNIT_ASSERT(!validateStatement(renderForVersion(sub, Version::V1_0_3), Version::V1_0_3));
    }

    void testExactIsUnchanged() {
        auto s = parse(kRich);
        CPPUNIT_ASSERT(renderStatement(s, StatementFormat::Exact).get() == s.get());
    }

    void testEquivalence() {
        auto a = parse(kRich);
        auto b = parse(kRich);
        CPPUNIT_ASSERT(statementsEquivalent(*a, *b));
        // Exceptions to immutability are ignored.
        StoreOptions o;
        o.storedMillis = 5;
        prepareForStorage(*b, o);
        CPPUNIT_ASSERT(statementsEquivalent(*a, *b));
        b->getObject("verb")->set("display", parse(R"({"en":"other"})"));
        b->getObject("object")->remove("definition");
        auto members = b->getObject("actor")->getArray("member");
        Poco::JSON::Array::Ptr reversed = new Poco::JSON::Array;
        reversed->add(members->get(1));
        reversed->add(members->get(0));
        b->getObject("actor")->set("member", reversed);
        CPPUNIT_ASSERT(statementsEquivalent(*a, *b));
        // Real differences are not.
        auto c = parse(kRich);
        c->getObject("verb")->set("id", std::string("http://adlnet.gov/expapi/verbs/passed"));
        CPPUNIT_ASSERT(!statementsEquivalent(*a, *c));
        auto d = parse(kRich);
        d->set("result", parse(R"({"success":true})"));
        CPPUNIT_ASSERT(!statementsEquivalent(*a, *d));
        auto e = parse(xapitest::with(
            R"("timestamp":"2024-01-01T10:00:00+02:00","result":{"score":{"raw":1}})"));
        auto f = parse(xapitest::with(
            R"("timestamp":"2024-01-01T08:00:00.000Z","result":{"score":{"raw":1.0}})"));
        CPPUNIT_ASSERT(statementsEquivalent(*e, *f));
        auto g = parse(
            xapitest::with(R"("timestamp":"2024-01-01T08:00:01Z","result":{"score":{"raw":1}})"));
        CPPUNIT_ASSERT(!statementsEquivalent(*e, *g));
        auto h = parse(xapitest::with(R"("id":"6690e6c9-3ef0-4ed3-8b37-7f3964730bee")"));
        auto i = parse(xapitest::with(R"("id":"6690e6c9-3ef0-4ed3-8b37-7f3964730bef")"));
        CPPUNIT_ASSERT(!statementsEquivalent(*h, *i));
        CPPUNIT_ASSERT(jsonEqual(Poco::Dynamic::Var(a), Poco::Dynamic::Var(parse(kRich))));
    }

    void testIdentity() {
        auto a = parse(R"({"mbox":"mailto:Ada@Example.COM"})");
        auto b = parse(R"({"mbox":"mailto:Ada@example.com","name":"x"})");
        CPPUNIT_ASSERT(*ifiOf(*a) == *ifiOf(*b));
        auto c = parse(R"({"mbox":"mailto:ada@example.com"})");
        CPPUNIT_ASSERT(!(*ifiOf(*a) == *ifiOf(*c)));  // the local part keeps its case
        auto acct = parse(R"({"account":{"homePage":"http://lms.example.com","name":"42"}})");
        CPPUNIT_ASSERT_EQUAL(std::string("account:http://lms.example.com 42"), ifiOf(*acct)->key());
        CPPUNIT_ASSERT(!ifiOf(*parse(R"({"objectType":"Group","member":[]})")));
        const auto ns = std::string("6ba7b811-9dad-11d1-80b4-00c04fd430c8");  // URL namespace
        // RFC 4122 v5 of "http://www.example.com/" in the URL namespace.
        CPPUNIT_ASSERT_EQUAL(std::string("fcde3c85-2270-590f-9e7c-ee003d65e0e2"),
                             nameBasedUuid(ns, "http://www.example.com/"));
        CPPUNIT_ASSERT_EQUAL(nameBasedUuid(ns, "x"), nameBasedUuid(ns, "x"));
        CPPUNIT_ASSERT(nameBasedUuid(ns, "x") != nameBasedUuid(ns, "y"));
        const std::string r = randomUuid();
        CPPUNIT_ASSERT(isUuid(r));
        CPPUNIT_ASSERT_EQUAL('4', r[14]);
    }

    void testTimestamps() {
        CPPUNIT_ASSERT_EQUAL(int64_t(0), *parseTimestamp("1970-01-01T00:00:00Z", true));
        CPPUNIT_ASSERT_EQUAL(int64_t(951782400000), *parseTimestamp("2000-02-29T00:00:00Z", true));
        CPPUNIT_ASSERT_EQUAL(int64_t(-3600000), *parseTimestamp("1970-01-01T00:00:00+01:00", true));
        CPPUNIT_ASSERT(!parseTimestamp("2023-02-29T00:00:00Z", true));
        CPPUNIT_ASSERT(!parseTimestamp("2024-01-01T00:00:00", true));
        CPPUNIT_ASSERT(parseTimestamp("2024-01-01T00:00:00", false));
        CPPUNIT_ASSERT(!parseTimestamp("2024-01-01T00:00:00-0000", false));
        CPPUNIT_ASSERT(!parseTimestamp("2024-01-01T00:00:00Z ", false));
        CPPUNIT_ASSERT_EQUAL(int64_t(-3600000), *parseTimestamp("19700101T000000+0100", true));
        CPPUNIT_ASSERT_EQUAL(int64_t(500), *parseTimestamp("1970-01-01 00:00:00.5Z", true));
        CPPUNIT_ASSERT(!parseTimestamp("2024-0101T00:00:00Z", false));  // mixed formats
        CPPUNIT_ASSERT(!parseTimestamp("20240101T00:00:00Z", false));
        CPPUNIT_ASSERT(!parseTimestamp("01/011/2015", false));
        CPPUNIT_ASSERT(!parseTimestamp("2008-09-15T15:53:00.601-00", false));
        CPPUNIT_ASSERT_EQUAL(std::string("2000-02-29T00:00:00.250Z"),
                             formatTimestamp(951782400250));
        CPPUNIT_ASSERT(isDuration("PT4H35M59.14S"));
        CPPUNIT_ASSERT(isDuration("P3Y"));
        CPPUNIT_ASSERT(!isDuration("PT1.5H30M"));
        CPPUNIT_ASSERT(!isDuration("P1H"));
        CPPUNIT_ASSERT(!isDuration("PT1D"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FormsTest);
