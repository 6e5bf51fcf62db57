// Parsers share ANTLR's prediction caches process-wide. Several threads parse at
// once while another thread resets the caches; every parse must still be correct.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>
#include <vector>

#include "assay/pyparse/Model.h"
#include "assay/pyparse/Parser.h"

using namespace assay::pyparse;

class PyParseConcurrencyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PyParseConcurrencyTest);
    CPPUNIT_TEST(testParallelParsesWithResets);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testParallelParsesWithResets() {
        const std::string valid =
            "class A(B):\n    def m(self, x, /, *, y=1):\n        return [i for i in x if i] or "
            "f'{y!r:>{x}}'\n"
            "match v:\n    case {'k': [1, *r]} | P(a=r): pass\n";
        const std::string invalid = "def f(:\n    pass\n";
        Parser parser;
        std::atomic<int> wrong{0};
        std::atomic<bool> stop{false};
        std::vector<std::thread> workers;
        for (int t = 0; t < 3; ++t) {
            workers.emplace_back([&, t] {
                for (int i = 0; i < 150; ++i) {
                    const bool good = (i + t) % 3 != 0;
                    auto result = parser.parse(good ? valid : invalid, "<thread>");
                    if (result->ok() != good) ++wrong;
                    if (good && buildModel(*result)->classes.at(0)->methods.at(0)->complexity != 4)
                        ++wrong;
                    if (!good &&
                        (result->errors().at(0).line != 1 || result->errors().at(0).column != 7))
                        ++wrong;
                }
            });
        }
        std::thread resetter([&] {
            while (!stop) {
                Parser::resetCaches();
                std::this_thread::yield();
            }
        });
        for (auto& w : workers)
            w.join();
        stop = true;
        resetter.join();
        CPPUNIT_ASSERT_EQUAL(0, wrong.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PyParseConcurrencyTest);
