// The pieces in the order an LRS chains them: read a request, store, index, query, page,
// render and answer; statements from Assay's own builder go through the whole way.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include <Poco/JSON/Array.h>

#include "assay/xapi/Comparison.h"
#include "assay/xapi/MoreToken.h"
#include "assay/xapi/OutputForm.h"
#include "assay/xapi/Serialise.h"
#include "assay/xapi/StatementBuilder.h"
#include "assay/xapi/StatementIndex.h"
#include "assay/xapi/StatementQuery.h"
#include "assay/xapi/StatementRequest.h"
#include "assay/xapi/StoredForm.h"
#include "assay/xapi/Syntax.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;
using Obj = Poco::JSON::Object;

namespace {

struct Stored {
    Obj::Ptr statement;
    int64_t stored;
    std::string id;
};

const std::string kKey = "pipeline-test-paging-key";

}  // namespace

class PipelineTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PipelineTest);
    CPPUNIT_TEST(testBatchThroughTheLrs);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testBatchThroughTheLrs() {
        StatementBuilder builder({"https://assay.example.edu", "", "Assay", "en"});
        // Twelve practice runs of three students, sent as one batch.
        std::vector<Obj::Ptr> emitted;
        for (int i = 0; i < 12; ++i) {
            StudentEvent e;
            e.learner = {"https://moodle.example.edu", "u-" + std::to_string(i % 3), ""};
            e.assignment = {"42", "Loops", {"7", "CS1"}};
            e.attemptId = "attempt-" + std::to_string(i % 3);
            e.eventId = "event-" + std::to_string(i);
            e.timestampMillis = 1717243200000 + i;
            emitted.push_back(builder.practiceRun(
                e, RunResult{"run", double(i % 5), 4 + 1.0, i % 5 == 4, 900, 5, {}}));
        }
        Poco::JSON::Array batch;
        for (const auto& s : emitted)
            batch.add(s);
        std::ostringstream body;
        batch.stringify(body);

        for (Version version : {Version::V1_0_3, Version::V2_0_0}) {
            auto read = readStatementRequest("application/json", body.str(), version);
            auto* request = std::get_if<StatementRequest>(&read);
            CPPUNIT_ASSERT_MESSAGE(request ? "" : std::get<XapiError>(read).describe(), request);
            CPPUNIT_ASSERT(request->batch);

            // Store: complete each statement, keep its index.
            std::vector<Stored> store;
            std::vector<std::string> ids;
            int64_t now = 1717243300000;
            for (Obj::Ptr s : request->statements) {
                StoreOptions options;
                options.storedMillis = now++;
                options.version = version;
                options.authority = std::get<Poco::Dynamic::Var>(
                                        parseJson(R"({"mbox":"mailto:lrs@assay.example.edu"})"))
                                        .extract<Obj::Ptr>();
                const std::string id = prepareForStorage(*s, options);
                CPPUNIT_ASSERT(!validateStatement(s, version));
                store.push_back({s, options.storedMillis, id});
                ids.push_back(id);
            }
            auto answer = std::get<Poco::Dynamic::Var>(parseJson(statementIdsJson(ids)))
                              .extract<Poco::JSON::Array::Ptr>();
            CPPUNIT_ASSERT_EQUAL(size_t(12), answer->size());
            // The ids are the builder's: a second delivery of the same events would collide.
            CPPUNIT_ASSERT_EQUAL(emitted[0]->getValue<std::string>("id"),
                                 answer->getElement<std::string>(0));
            CPPUNIT_ASSERT(statementsEquivalent(*emitted[3], *store[3].statement));

            // Query one student's statements, two per page, ascending.
            QueryParameters params = {
                {"agent", R"({"account":{"homePage":"https://moodle.example.edu","name":"u-1"}})"},
                {"limit", "2"},
                {"ascending", "true"},
                {"format", "ids"}};
            auto q = std::get<StatementQuery>(parseStatementQuery(params, version));
            std::vector<std::string> seen;
            std::optional<PageCursor> cursor;
            for (int page = 0; page < 10; ++page) {
                const StatementQuery& current = cursor
                                                    ? std::get<StatementQuery>(parseStatementQuery(
                                                          parseQueryString(cursor->query), version))
                                                    : q;
                std::vector<Obj::Ptr> out;
                const Stored* last = nullptr;
                for (const auto& s : store) {
                    if (cursor &&
                        !(s.stored > cursor->storedMillis ||
                          (s.stored == cursor->storedMillis && s.id > cursor->statementId))) {
                        continue;
                    }
                    const auto index = indexStatement(*s.statement);
                    const bool byIndex = std::find(index.agents.begin(), index.agents.end(),
                                                   current.agent->key()) != index.agents.end();
                    CPPUNIT_ASSERT_EQUAL(matchesQuery(*s.statement, s.stored, current), byIndex);
                    if (!byIndex) continue;
                    if (out.size() == current.limit) break;
                    out.push_back(renderStatement(s.statement, current.format));
                    last = &s;
                }
                for (const auto& o : out) {
                    seen.push_back(o->getValue<std::string>("id"));
                    CPPUNIT_ASSERT(!o->getObject("verb")->has("display"));  // ids form
                    CPPUNIT_ASSERT(!validateStatement(o, version));
                }
                std::string more;
                if (out.size() == current.limit && last) {
                    more = "/xapi/statements?more=" +
                           encodeMoreToken(
                               {current.canonicalParameters(), last->stored, last->id, now}, kKey);
                }
                auto result =
                    std::get<Poco::Dynamic::Var>(parseJson(statementResultJson(out, more)))
                        .extract<Obj::Ptr>();
                CPPUNIT_ASSERT_EQUAL(out.size(), result->getArray("statements")->size());
                if (more.empty()) break;
                const std::string token = more.substr(more.find('=') + 1);
                auto next = parseStatementQuery({{"more", token}}, version);
                CPPUNIT_ASSERT(std::get<StatementQuery>(next).more);
                cursor = std::get<PageCursor>(decodeMoreToken(token, kKey));
            }
            CPPUNIT_ASSERT_EQUAL(size_t(4), seen.size());  // events 1, 4, 7, 10
            CPPUNIT_ASSERT_EQUAL(ids[1], seen[0]);
            CPPUNIT_ASSERT_EQUAL(ids[10], seen[3]);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PipelineTest);
